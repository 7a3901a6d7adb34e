import { BadRequestError, NotFoundError, type NAppContext, type NAppRoute } from '#sdk';
import { count, greet } from './events.js';
import type { HelloSettings } from './settings.js';
import { greetings } from './store.js';

/** Mounted at /api/lattice/hello/... */
export const routes = (ctx: NAppContext<HelloSettings>): NAppRoute[] => {
  const saved = greetings(ctx);
  return [
    {
      // The body schema comes from openapi.yml. 201 means the greeting is stored durably.
      method: 'POST',
      path: 'v1/greetings',
      handler: async (req) => {
        const { name } = req.body as { name: string };
        const answer = await ctx.ask<{ greeting: string; count: number }>(ctx.self, greet(name));
        await saved.put({ name, greeting: answer.greeting, count: answer.count, at: new Date(ctx.clock.now()) });
        return { status: 201, body: answer };
      },
    },
    {
      method: 'GET',
      path: 'v1/greetings/count',
      handler: async () => ({ body: { count: await ctx.ask<number>(ctx.self, count()) } }),
    },
    {
      method: 'GET',
      path: 'v1/greetings/{name}',
      handler: async (req) => {
        const found = await saved.get(req.params.name!);
        if (!found) throw new NotFoundError(`no greeting for ${req.params.name}`);
        return { body: { ...found, at: found.at.toISOString() } };
      },
    },
    {
      method: 'GET',
      path: 'v1/echo/{word}',
      handler: (req) => {
        if (req.params.word === 'forbidden') throw new BadRequestError('that word is not echoed');
        return { body: { word: req.params.word } };
      },
    },
  ];
};
