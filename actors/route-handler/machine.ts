import { assign, setup } from 'xstate';
import type { HttpResponse, RouteHandlerFn } from '../../src/sdk/index.js';
import { handlerDone, handlerStarted, type RouteHandlerEvent } from './events.js';

export interface RouteHandlerContext {
  handler: RouteHandlerFn;
  /** Requests running now. */
  inFlight: number;
  /** Most requests running at once; the mailbox holds the rest. */
  concurrency: number;
  /** Asynchronous requests answered, and failed (synchronous ones are not counted: the hot path stays one step). */
  served: number;
  failed: number;
}

export interface RouteHandlerInput {
  handler: RouteHandlerFn;
  concurrency: number;
}

const isPromise = (v: unknown): v is Promise<HttpResponse> => typeof (v as Promise<unknown>)?.then === 'function';

/**
 * One route's actor. A synchronous handler answers within the same step and
 * leaves the state as it was (the hot path: one transition, no assignment).
 * An asynchronous one takes a slot (`handler.started`) until it settles
 * (`handler.done`). With every slot taken the actor is `saturated` and the
 * runtime leaves further requests in its bounded mailbox.
 */
export const routeHandlerMachine = setup({
  types: {
    context: {} as RouteHandlerContext,
    input: {} as RouteHandlerInput,
    events: {} as RouteHandlerEvent,
  },
  actions: {
    /** Runs the handler; a promise reports back as `handler.started`, then `handler.done`. */
    serve: ({ context, event, self }) => {
      if (event.type !== 'http.request') return;
      const { replyTo } = event;
      let result: HttpResponse | Promise<HttpResponse>;
      try {
        result = context.handler(event.request);
      } catch (error) {
        replyTo.reject(error);
        return;
      }
      if (!isPromise(result)) {
        replyTo.resolve(result);
        return;
      }
      self.send(handlerStarted());
      result.then(
        (value) => self.send(handlerDone(replyTo, true, value)),
        (error) => self.send(handlerDone(replyTo, false, undefined, error)),
      );
    },
    takeSlot: assign({ inFlight: ({ context }) => context.inFlight + 1 }),
    freeSlot: assign({
      inFlight: ({ context }) => context.inFlight - 1,
      served: ({ context, event }) => context.served + (event.type === 'handler.done' && event.ok ? 1 : 0),
      failed: ({ context, event }) => context.failed + (event.type === 'handler.done' && !event.ok ? 1 : 0),
    }),
    answer: ({ event }) => {
      if (event.type !== 'handler.done') return;
      if (event.ok) event.replyTo.resolve(event.value!);
      else event.replyTo.reject(event.error);
    },
  },
  guards: {
    /** Taking one more slot fills them all. */
    lastSlot: ({ context }) => context.inFlight + 1 >= context.concurrency,
    /** Freeing this slot empties them all. */
    lastRunning: ({ context }) => context.inFlight - 1 === 0,
  },
}).createMachine({
  id: 'route-handler',
  context: ({ input }) => ({ handler: input.handler, inFlight: 0, concurrency: input.concurrency, served: 0, failed: 0 }),
  initial: 'idle',
  on: {
    'http.request': { actions: 'serve' },
    'handler.started': [
      { guard: 'lastSlot', target: '.saturated', actions: 'takeSlot' },
      { target: '.busy', actions: 'takeSlot' },
    ],
    'handler.done': [
      { guard: 'lastRunning', target: '.idle', actions: ['freeSlot', 'answer'] },
      { target: '.busy', actions: ['freeSlot', 'answer'] },
    ],
  },
  states: {
    idle: {},
    busy: {},
    saturated: {},
  },
});

/** The runtime hands this actor a request only while it has a free slot. */
export const routeHandlerAccepts = (snapshot: { context: RouteHandlerContext }): boolean =>
  snapshot.context.inFlight < snapshot.context.concurrency;
