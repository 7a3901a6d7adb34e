import { BadRequestError, NotFoundError, type NAppContext, type NAppRoute } from '#sdk';
import { count, greet } from './events.js';
import type { HelloSettings } from './settings.js';
import { greetings } from './store.js';

/** Mounted at /api/lattice/hello/... */
export const routes = (ctx: NAppContext<HelloSettings>): NAppRoute[] => {
  const saved = greetings(ctx);
  return [
    {
      // The body schema comes from openapi.yml. The machine answers once the greeting is durable: 201.
      method: 'POST', access: 'write',
      path: 'v1/greetings',
      // A greeting is a name: a small body limit, so a bomb that fits stays small.
      maxBodyBytes: 4096,
      handler: async (req) => ({ status: 201, body: await ctx.ask(greet, { name: (req.body as { name: string }).name }) }),
    },
    {
      method: 'GET', access: 'read',
      path: 'v1/greetings/count',
      handler: async () => ({ body: { count: await ctx.ask(count, {}) } }),
    },
    {
      method: 'GET', access: 'read',
      path: 'v1/greetings/{name}',
      handler: async (req) => {
        const found = await saved.get(req.params.name!);
        if (!found) throw new NotFoundError(`no greeting for ${req.params.name}`);
        return { body: { ...found, at: found.at.toISOString() } };
      },
    },
    {
      method: 'GET', access: 'read',
      path: 'v1/echo/{word}',
      handler: (req) => {
        if (req.params.word === 'forbidden') throw new BadRequestError('that word is not echoed');
        return { body: { word: req.params.word } };
      },
    },
  ];
};
