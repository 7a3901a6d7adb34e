import type { HttpRequest, HttpResponse, Reply } from '../../src/sdk/index.js';

/** A request to serve; the answer goes back through `replyTo`. */
export interface RequestEvent {
  type: 'http.request';
  request: HttpRequest;
  replyTo: Reply<HttpResponse>;
}

/** An asynchronous handler finished. */
export interface DoneEvent {
  type: 'handler.done';
  replyTo: Reply<HttpResponse>;
  ok: boolean;
  value?: HttpResponse;
  error?: unknown;
}

export type RouteHandlerEvent = RequestEvent | DoneEvent;

export const handlerDone = (replyTo: Reply<HttpResponse>, ok: boolean, value?: HttpResponse, error?: unknown): DoneEvent => ({
  type: 'handler.done',
  replyTo,
  ok,
  value,
  error,
});
