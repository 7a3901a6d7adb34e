import type { HttpRequest, HttpResponse } from './types.js';

/**
 * The named request lifecycle, in the order a request meets it (all synchronous):
 *
 * - `onRequest`: headers copied, before routing (`params` still empty). May
 *   answer early by returning a response; throwing answers with the error.
 * - `preParsing`: routed (`request.route` and `params` set), before the body is
 *   read; also runs for a WebSocket upgrade. May answer early; throwing answers
 *   with the error (auth runs here).
 * - `preValidation`: routed, body decoded, before the route's schema runs. May
 *   change `request.body`; throwing answers with the error.
 * - `preHandler`: body valid, before the route's actor is asked. May answer early.
 * - `onError`: the request ends in an error (thrown by a hook, the router, the
 *   body checks or the handler), before the error response is made. Observes.
 * - `onSend`: every response (handler's or error's), before it is encoded. Sees
 *   the status (200 filled in when left out) and returns the response to send.
 * - `onResponse`: after the response is written, with its status and the
 *   elapsed milliseconds. Observes.
 */
export interface Hooks {
  onRequest: ((request: HttpRequest) => HttpResponse | void)[];
  /** Routed (`request.route` and `params` set), before the body is read: may answer early (auth runs here). */
  preParsing: ((request: HttpRequest) => HttpResponse | void)[];
  preValidation: ((request: HttpRequest) => void)[];
  preHandler: ((request: HttpRequest) => HttpResponse | void)[];
  onSend: ((request: HttpRequest, response: HttpResponse & { status: number }) => HttpResponse)[];
  onResponse: ((request: HttpRequest, status: number, elapsedMs: number) => void)[];
  onError: ((request: HttpRequest, error: unknown) => void)[];
}

export type HookName = keyof Hooks;

export const emptyHooks = (): Hooks => ({
  onRequest: [],
  preParsing: [],
  preValidation: [],
  preHandler: [],
  onSend: [],
  onResponse: [],
  onError: [],
});
