/** lattice/hello: the example NApp, in the one NApp style (pure machine, effects provided here). */
import { defineNApp, replyError, reply, type NAppContext, type Reply } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { SUBSCRIPTIONS, type Greeting } from './events.js';
import { helloMachine } from './machine.js';
import { routes } from './routes.js';
import { defaults, type HelloSettings } from './settings.js';
import { greetings } from './store.js';

/** The machine with its effects bound to the NApp's context. */
export function helloLogic(ctx: NAppContext<HelloSettings>) {
  const saved = greetings(ctx);
  return helloMachine.provide({
    actions: {
      persist: (_, p) => {
        saved.put({ name: p.name, greeting: p.greeting.greeting, count: p.greeting.count, at: new Date(ctx.clock.now()) }).then(
          () => ctx.tell(ctx.self, { type: 'hello.greeting.stored', name: p.name, greeting: p.greeting, replyTo: p.replyTo }),
          (error: unknown) => ctx.tell(ctx.self, { type: 'hello.greeting.failed', error, replyTo: p.replyTo }),
        );
      },
      emit: (_, p) => {
        ctx.emit(p.event, p.content);
      },
      answer: (_, p) => {
        const to = { replyTo: p.replyTo as Reply<unknown> | undefined };
        if (p.error !== undefined) replyError(to, p.error);
        else reply(to, p.value);
      },
    },
  });
}

export type { Greeting };

export default defineNApp<HelloSettings>({
  manifest,
  schema: { greetings: { version: 1 } },
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: helloLogic,
  routes,
  openapi: new URL('./openapi.yml', import.meta.url),
  setup: (ctx) => {
    ctx.log.info('hello NApp ready');
  },
});
