import { BadRequestError, type NAppContext, type NAppRoute } from '../../../src/sdk/index.js';
import { count, greet } from './events.js';
import type { HelloSettings } from './settings.js';

/** Mounted at /api/lattice/hello/... */
export const routes = (ctx: NAppContext<HelloSettings>): NAppRoute[] => [
  {
    method: 'POST',
    // The body schema comes from openapi.yml.
    path: 'v1/greetings',
    handler: async (req) => {
      const { name } = req.body as { name: string };
      const answer = await ctx.ask<{ greeting: string; count: number }>(ctx.self, greet(name));
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
    path: 'v1/echo/{word}',
    handler: (req) => {
      if (req.params.word === 'forbidden') throw new BadRequestError('that word is not echoed');
      return { body: { word: req.params.word } };
    },
  },
];
