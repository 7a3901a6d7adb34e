import { findPaths, type NAppContext, type NAppRoute, type PathRequest } from '#sdk';
import type { PathfinderSettings } from './settings.js';

/** Mounted at /api/kytos/pathfinder/... The body is checked against openapi.yml first (400). */
export const routes = (ctx: NAppContext<PathfinderSettings>): NAppRoute[] => [
  {
    method: 'POST',
    // Computes paths; changes nothing.
    access: 'read',
    path: 'v3/',
    handler: async (req) => ({ body: await ctx.ask(findPaths, req.body as PathRequest) }),
  },
];
