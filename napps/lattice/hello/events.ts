/** Messages the hello machine takes: its own asks (from its routes), effect results, subscribed bus events. */
import { defineAsk, switchNew, type AskMessage, type DeliveryOf, type Reply } from '#sdk';

export const HELLO = 'lattice/hello';

export interface Greeting {
  greeting: string;
  count: number;
}

/** Ask: greet someone; answered once the greeting is stored durably. */
export const greet = defineAsk<{ name: string }, Greeting>()(HELLO, 'hello.greet');
/** Ask: greetings stored since start. */
export const count = defineAsk<Record<never, never>, number>()(HELLO, 'hello.count');

/** The `persist` effect finished: the greeting is durable. */
export interface GreetingStored {
  type: 'hello.greeting.stored';
  name: string;
  greeting: Greeting;
  replyTo?: Reply<Greeting>;
}

/** The `persist` effect failed: nothing changed. */
export interface GreetingFailed {
  type: 'hello.greeting.failed';
  error: unknown;
  replyTo?: Reply<Greeting>;
}

export const SUBSCRIPTIONS = [switchNew] as const;

export type HelloEvent = AskMessage<typeof greet> | AskMessage<typeof count> | GreetingStored | GreetingFailed | DeliveryOf<typeof switchNew>;
