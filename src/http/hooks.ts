import type { HttpRequest, HttpResponse } from './types.js';

/**
 * The named request lifecycle. `onRequest` and `preHandler` may answer early by
 * returning a response; `preParsing` runs once routed, before the body is
 * read, and may answer early too; `onSend` may replace the response; `onResponse` and
 * `onError` observe.
 */
export interface Hooks {
  onRequest: ((request: HttpRequest) => HttpResponse | void)[];
  /** Routed (`request.route` and `params` set), before the body is read: may answer early (auth runs here). */
  preParsing: ((request: HttpRequest) => HttpResponse | void)[];
  preValidation: ((request: HttpRequest) => void)[];
  preHandler: ((request: HttpRequest) => HttpResponse | void)[];
  onSend: ((request: HttpRequest, response: HttpResponse) => HttpResponse)[];
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
