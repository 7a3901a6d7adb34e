import type { NAppRoute } from '../../src/sdk/index.js';

/**
 * `POST v1/echo` (a write, JSON body, the default body limit) answering with the body it decoded,
 * and how many requests reached it: a test sees what the front end let through, and that a refused
 * body never ran the route.
 */
export function echoRoute(): { route: NAppRoute; handled: () => number } {
  let count = 0;
  const route: NAppRoute = {
    method: 'POST', access: 'write',
    path: 'v1/echo',
    body: 'json',
    handler: (req) => {
      count++;
      return { body: req.body };
    },
  };
  return { route, handled: () => count };
}
