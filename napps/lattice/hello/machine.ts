import { assign, setup } from 'xstate';
import { reply, type NAppContext } from '#sdk';
import { GREETED, type HelloEvent } from './events.js';
import type { HelloSettings } from './settings.js';

/** Keeps the greeting count; answers `greet` and `count`; counts `kytos/core.switch.new` too. */
export const helloMachine = (ctx: NAppContext<HelloSettings>) =>
  setup({
    types: { context: {} as { count: number; switchesSeen: number }, events: {} as HelloEvent },
    actions: {
      countGreeting: assign({ count: ({ context }) => context.count + 1 }),
      answerGreeting: ({ context, event }) => {
        const e = event as Extract<HelloEvent, { type: 'greet' }>;
        const greeting = `${ctx.settings.salutation}, ${e.name}!`;
        ctx.emit(GREETED, { name: e.name, count: context.count });
        reply(e, { greeting, count: context.count });
      },
      answerCount: ({ context, event }) => reply(event as { replyTo?: never }, context.count),
      countSwitch: assign({ switchesSeen: ({ context }) => context.switchesSeen + 1 }),
    },
  }).createMachine({
    id: 'hello',
    context: { count: 0, switchesSeen: 0 },
    initial: 'ready',
    states: {
      ready: {
        on: {
          greet: { actions: ['countGreeting', 'answerGreeting'] },
          count: { actions: 'answerCount' },
          'bus.event': { actions: 'countSwitch' },
        },
      },
    },
  });
