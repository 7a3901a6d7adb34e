/**
 * The route-handler actor: one per route, serving every request of it.
 *
 * It is xstate reducer logic (what `fromTransition` builds) rather than a
 * statechart: it runs once per HTTP request, and a reducer step costs about a
 * fifth of a machine macrostep, which is what keeps the actor path within the
 * CPU budget of a bare uWebSockets.js server (see bench:http). Its state is
 * still explicit: `value` is `idle`, `busy` or `saturated`, and the pure
 * functions below decide every change, so they are tested as data.
 */
import type { ActorLogic, AnyActorRef } from 'xstate';
import type { HttpResponse, RouteHandlerFn } from '../../src/sdk/index.js';
import { handlerDone, type RouteHandlerEvent } from './events.js';

export type RouteHandlerValue = 'idle' | 'busy' | 'saturated';

export interface RouteHandlerState {
  value: RouteHandlerValue;
  /** Requests running now. */
  inFlight: number;
  /** Most requests running at once; the runtime keeps the rest in the mailbox. */
  concurrency: number;
  /** Asynchronous requests answered and failed (synchronous ones keep the hot path to one step). */
  served: number;
  failed: number;
}

export interface RouteHandlerInput {
  concurrency: number;
}

const valueFor = (inFlight: number, concurrency: number): RouteHandlerValue =>
  inFlight === 0 ? 'idle' : inFlight >= concurrency ? 'saturated' : 'busy';

export const initialState = (concurrency: number): RouteHandlerState => ({
  value: 'idle',
  inFlight: 0,
  concurrency,
  served: 0,
  failed: 0,
});

/** An asynchronous request took a slot. */
export const slotTaken = (s: RouteHandlerState): RouteHandlerState => ({
  ...s,
  inFlight: s.inFlight + 1,
  value: valueFor(s.inFlight + 1, s.concurrency),
});

/** An asynchronous request settled and gave its slot back. */
export const slotFreed = (s: RouteHandlerState, ok: boolean): RouteHandlerState => ({
  ...s,
  inFlight: s.inFlight - 1,
  value: valueFor(s.inFlight - 1, s.concurrency),
  served: s.served + (ok ? 1 : 0),
  failed: s.failed + (ok ? 0 : 1),
});

const isPromise = (v: unknown): v is Promise<HttpResponse> => typeof (v as Promise<unknown>)?.then === 'function';

/** The actor's snapshot: xstate's shape for a logic without a final state. */
export interface RouteHandlerSnapshot {
  status: 'active';
  output: undefined;
  error: undefined;
  context: RouteHandlerState;
}

const snapshotOf = (context: RouteHandlerState): RouteHandlerSnapshot => ({ status: 'active', output: undefined, error: undefined, context });

/**
 * A synchronous handler answers within the step and leaves the state as it
 * was; an asynchronous one takes a slot until its `handler.done`.
 *
 * The step is xstate's reducer logic, as `fromTransition` builds it, except that a step that
 * leaves the state as it was returns the very same snapshot (xstate's `fromTransition` copies it
 * on every event: an allocation and a property definition per request, in code shared by every
 * route, so never specialised).
 */
export function routeHandlerLogic(handler: RouteHandlerFn) {
  const step = (state: RouteHandlerState, event: RouteHandlerEvent, self: AnyActorRef): RouteHandlerState => {
    if (event.type === 'handler.done') {
      if (event.ok) event.replyTo.resolve(event.value!);
      else event.replyTo.reject(event.error);
      return slotFreed(state, event.ok);
    }
    if (event.type !== 'http.request') return state;
    const { replyTo } = event;
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result = handler(event.request);
    } catch (error) {
      replyTo.reject(error);
      return state;
    }
    if (!isPromise(result)) {
      replyTo.resolve(result);
      return state;
    }
    result.then(
      (value) => self.send(handlerDone(replyTo, true, value)),
      (error) => self.send(handlerDone(replyTo, false, undefined, error)),
    );
    return slotTaken(state);
  };
  const logic: ActorLogic<RouteHandlerSnapshot, RouteHandlerEvent, RouteHandlerInput> = {
    config: step,
    transition: (snapshot, event, scope) => {
      const next = step(snapshot.context, event, scope.self);
      return next === snapshot.context ? snapshot : snapshotOf(next);
    },
    getInitialSnapshot: (_scope, input) => snapshotOf(initialState(input.concurrency)),
    getPersistedSnapshot: (snapshot) => snapshot,
    restoreSnapshot: (snapshot) => snapshot as RouteHandlerSnapshot,
  };
  return logic;
}

/** The runtime hands this actor a request only while it has a free slot. */
export const routeHandlerAccepts = (snapshot: { context: RouteHandlerState }): boolean =>
  snapshot.context.inFlight < snapshot.context.concurrency;
