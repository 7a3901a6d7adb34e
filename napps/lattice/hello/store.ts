import type { NAppContext } from '#sdk';

/** A greeting as stored: one document per name, the latest wins. */
export interface SavedGreeting {
  name: string;
  greeting: string;
  count: number;
  at: Date;
}

/** The NApp's `greetings` collection (namespaced to lattice/hello by the SDK). */
export const greetings = (ctx: NAppContext<unknown>) => ctx.store.collection<SavedGreeting>('greetings', { key: 'name', indexes: ['count'] });
