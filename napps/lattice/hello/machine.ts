/**
 * The hello machine: decides, never does. Each greeting reserves a number,
 * asks the `persist` effect to store it, and only when the write is durable
 * counts it, publishes `greeted` and answers (store -> emit -> reply). Effects
 * are named actions with parameters, provided by index.ts.
 */
import { assign, setup } from 'xstate';
import { emission, greeted, switchNew, type Emission, type Reply } from '#sdk';
import { count, greet, type Greeting, type HelloEvent } from './events.js';
import { defaults, type HelloSettings } from './settings.js';

export interface HelloContext {
  settings: HelloSettings;
  /** Greetings stored durably since start. */
  count: number;
  /** Numbers handed out to greetings still being stored. */
  reserved: number;
  switchesSeen: number;
}

export interface PersistParams {
  name: string;
  greeting: Greeting;
  replyTo?: Reply<Greeting>;
}

export const helloMachine = setup({
  types: {
    context: {} as HelloContext,
    events: {} as HelloEvent,
    input: {} as { settings?: Partial<HelloSettings> },
  },
  actions: {
    /** Effects, provided by index.ts. */
    persist: (_, _p: PersistParams) => undefined,
    emit: (_, _p: Emission) => undefined,
    answer: (_, _p: { replyTo?: Reply<never>; value?: unknown; error?: unknown }) => undefined,
  },
}).createMachine({
  id: 'hello',
  context: ({ input }) => ({ settings: { ...defaults, ...input?.settings }, count: 0, reserved: 0, switchesSeen: 0 }),
  initial: 'ready',
  states: {
    ready: {
      on: {
        [greet.type]: {
          actions: [
            assign({ reserved: ({ context }) => context.reserved + 1 }),
            {
              type: 'persist',
              params: ({ context, event }) => {
                const name = event.type === greet.type ? event.name : '';
                const greeting = { greeting: `${context.settings.salutation}, ${name}!`, count: context.reserved };
                return { name, greeting, replyTo: event.type === greet.type ? event.replyTo : undefined };
              },
            },
          ],
        },
        'hello.greeting.stored': {
          actions: [
            assign({ count: ({ context, event }) => (event.type === 'hello.greeting.stored' ? Math.max(context.count, event.greeting.count) : context.count) }),
            {
              type: 'emit',
              params: ({ event }) =>
                emission(greeted, event.type === 'hello.greeting.stored' ? { name: event.name, count: event.greeting.count } : { name: '', count: 0 }),
            },
            {
              type: 'answer',
              params: ({ event }) => (event.type === 'hello.greeting.stored' ? { replyTo: event.replyTo, value: event.greeting } : {}),
            },
          ],
        },
        'hello.greeting.failed': {
          actions: { type: 'answer', params: ({ event }) => (event.type === 'hello.greeting.failed' ? { replyTo: event.replyTo, error: event.error } : {}) },
        },
        [count.type]: {
          actions: { type: 'answer', params: ({ context, event }) => ({ replyTo: event.type === count.type ? event.replyTo : undefined, value: context.count }) },
        },
        [switchNew.type]: { actions: assign({ switchesSeen: ({ context }) => context.switchesSeen + 1 }) },
      },
    },
  },
});
