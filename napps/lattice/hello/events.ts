import type { Message, Reply } from '#sdk';

/** Messages the hello NApp's machine takes. */
export type HelloEvent =
  | { type: 'greet'; name: string; replyTo?: Reply<{ greeting: string; count: number }> }
  | { type: 'count'; replyTo?: Reply<number> }
  | { type: 'bus.event'; event: { name: string; content: Record<string, unknown> } }
  | Message;

export const greet = (name: string) => ({ type: 'greet' as const, name });
export const count = () => ({ type: 'count' as const });

/** Bus events this NApp publishes. */
export const GREETED = 'lattice/hello.greeted';
