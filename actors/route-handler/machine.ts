import { enqueueActions, setup } from 'xstate';
import type { HttpResponse, RouteHandlerFn } from '../../src/sdk/index.js';
import { handlerDone, type RouteHandlerEvent } from './events.js';

export interface RouteHandlerContext {
  handler: RouteHandlerFn;
  /** Requests running now. */
  inFlight: number;
  /** Most requests running at once; the mailbox holds the rest. */
  concurrency: number;
  served: number;
  failed: number;
}

export interface RouteHandlerInput {
  handler: RouteHandlerFn;
  concurrency: number;
}

const isPromise = (v: unknown): v is Promise<HttpResponse> => typeof (v as Promise<unknown>)?.then === 'function';

/**
 * One route's actor. A synchronous handler answers within the same step; an
 * asynchronous one takes a slot until it settles. With every slot taken the
 * actor is `saturated` and the runtime leaves further requests in its
 * (bounded) mailbox.
 */
export const routeHandlerMachine = setup({
  types: {
    context: {} as RouteHandlerContext,
    input: {} as RouteHandlerInput,
    events: {} as RouteHandlerEvent,
  },
  actions: {
    /** Runs the handler; a promise takes a slot and reports back as `handler.done`. */
    serve: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'http.request') return;
      const { replyTo } = event;
      let result: HttpResponse | Promise<HttpResponse>;
      try {
        result = context.handler(event.request);
      } catch (error) {
        enqueue.assign({ failed: context.failed + 1 });
        replyTo.reject(error);
        return;
      }
      if (isPromise(result)) {
        enqueue.assign({ inFlight: context.inFlight + 1 });
        result.then(
          (value) => self.send(handlerDone(replyTo, true, value)),
          (error) => self.send(handlerDone(replyTo, false, undefined, error)),
        );
      } else {
        replyTo.resolve(result);
      }
    }),
    /** Answers a finished asynchronous request and frees its slot. */
    finish: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'handler.done') return;
      if (event.ok) {
        enqueue.assign({ inFlight: context.inFlight - 1, served: context.served + 1 });
        event.replyTo.resolve(event.value!);
      } else {
        enqueue.assign({ inFlight: context.inFlight - 1, failed: context.failed + 1 });
        event.replyTo.reject(event.error);
      }
    }),
  },
  guards: {
    saturated: ({ context }) => context.inFlight >= context.concurrency,
    idle: ({ context }) => context.inFlight === 0,
  },
}).createMachine({
  id: 'route-handler',
  context: ({ input }) => ({ handler: input.handler, inFlight: 0, concurrency: input.concurrency, served: 0, failed: 0 }),
  initial: 'idle',
  states: {
    idle: {
      on: { 'http.request': { target: 'settling', actions: 'serve' } },
    },
    busy: {
      on: {
        'http.request': { target: 'settling', actions: 'serve' },
        'handler.done': { target: 'settling', actions: 'finish' },
      },
    },
    saturated: {
      on: { 'handler.done': { target: 'settling', actions: 'finish' } },
    },
    /** Picks the state that matches the number of requests in flight. */
    settling: {
      always: [{ guard: 'saturated', target: 'saturated' }, { guard: 'idle', target: 'idle' }, { target: 'busy' }],
    },
  },
});

/** The runtime hands this actor a request only while it has a free slot. */
export const routeHandlerAccepts = (snapshot: { context: RouteHandlerContext }): boolean =>
  snapshot.context.inFlight < snapshot.context.concurrency;
