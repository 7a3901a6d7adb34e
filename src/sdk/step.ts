/**
 * `stepNApp`: a NApp's logic tested as data, without a controller. The NApp's
 * machine runs with a recording context on a manual clock; the harness feeds
 * it inputs one by one and returns what it emitted, told and asked, the
 * answers it gave, and its final snapshot.
 *
 *   const r = await stepNApp(myNApp, [deliver(linkDown, { link }), { advance: 1000 }], {
 *     replies: { [getSwitch.type]: ({ dpid }) => switches[dpid] },
 *   });
 *   expect(r.emits.map((e) => e.name)).to.deep.equal(['kytos/mef_eline.redeployed_link_down']);
 */
import { pino } from 'pino';
import { createActor, type AnyActorRef, type SnapshotFrom, type AnyStateMachine } from 'xstate';
import { ManualClock, xstateClock } from '../actor/clock.js';
import type { KytosEvent, Message } from '../actor/index.js';
import type { Reply } from '../actor/reply.js';
import { kytosTimestamp } from '../actor/time.js';
import { NotFoundError } from '../errors/index.js';
import type { Store } from '../store/ports.js';
import type { AskContract, BusDelivery, EventContract, ServiceBinding, ServiceContract } from './contract.js';
import { nappActorName, nappId, type NAppContext, type NAppDefinition } from './napp.js';
import { ownedTimers } from './timers.js';

/** One input: a message to the NApp, a bus delivery (see `deliver`), an ask whose answer is recorded, or time passing. */
export type StepInput = Message | BusDelivery | StepAsk | { advance: number };

interface StepAsk {
  ask: AskContract<string, object, unknown>;
  request: object;
}

export interface StepOptions<S = Record<string, unknown>> {
  /** Overrides of the NApp's default settings. */
  settings?: Partial<S>;
  /** The clock the NApp's timers and `after:` transitions run on (default: a ManualClock at 0). */
  clock?: ManualClock;
  /** Scripted answers to the NApp's asks, by ask type; a throw (or a returned Error) rejects the ask. */
  replies?: Record<string, (request: any) => unknown>;
  services?: readonly ServiceBinding<any>[];
  /** A store for the NApp's effects (default: none; using it throws). */
  store?: Store;
  /** Run the NApp's `setup` first, as the NApp manager does before its machine starts (a restart from `store`). */
  setup?: boolean;
}

export interface StepResult {
  snapshot: SnapshotFrom<AnyStateMachine>;
  /** Bus events the NApp published, in order. */
  emits: { name: string; content: unknown }[];
  /** Messages the NApp told actors (itself included), in order. */
  sends: { actor: string; message: Message }[];
  /** Asks the NApp made, in order. */
  asks: { napp: string; type: string; request: object }[];
  /** Answers the NApp gave to `{ ask, request }` inputs, in input order. */
  answers: { type: string; value?: unknown; error?: unknown }[];
  clock: ManualClock;
}

let seq = 0;

/** The machine event a subscriber receives when `contract` is published with `content`. */
export function deliver<N extends string, P>(contract: EventContract<N, P>, content: P, timestampMs = 0): BusDelivery<N, P> {
  const event: KytosEvent = {
    id: `step-${++seq}`,
    name: contract.type,
    content: content as Record<string, unknown>,
    timestamp: kytosTimestamp(timestampMs),
    reinjections: 0,
  };
  return { type: contract.type, content, event };
}

/** An input that asks the NApp itself and records its answer. */
export const askInput = <T extends string, Req extends object, Res>(ask: AskContract<T, Req, Res>, request: Req): StepInput => ({ ask, request });

/** Promises the NApp's effects started through the context (store calls, asks): the harness waits for them. */
class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const done = () => this.pending.delete(p);
    p.then(done, done);
    return p;
  }

  /** Wraps a store so every promise its collections return is tracked. */
  store(store: Store): Store {
    const wrap = <O extends object>(target: O): O =>
      new Proxy(target, {
        get: (t, key, receiver) => {
          const value = Reflect.get(t, key, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const out = (value as (...a: unknown[]) => unknown).apply(t, args);
            if (out instanceof Promise) return this.track(out);
            return out !== null && typeof out === 'object' && key !== 'status' ? wrap(out) : out;
          };
        },
      });
    return wrap(store);
  }

  /** Runs the event loop until every tracked promise settled and a few turns passed with nothing new. */
  async settle(): Promise<void> {
    let quiet = 0;
    for (let turn = 0; turn < 100_000 && quiet < 3; turn++) {
      await new Promise<void>((r) => setImmediate(r));
      quiet = this.pending.size === 0 ? quiet + 1 : 0;
    }
  }
}

const noStore = (): Store =>
  new Proxy({} as Store, {
    get: () => {
      throw new Error('stepNApp: this NApp uses the store; pass options.store');
    },
  });

/** Runs a NApp's machine over `inputs` with a recording context; see the module comment. */
export async function stepNApp<S>(definition: NAppDefinition<S>, inputs: readonly StepInput[], options: StepOptions<S> = {}): Promise<StepResult> {
  if (!definition.machine) throw new TypeError('stepNApp: the NApp has no machine');
  const clock = options.clock ?? new ManualClock(0);
  const id = nappId(definition.manifest);
  const self = nappActorName(id);
  const result: StepResult = { snapshot: undefined as never, emits: [], sends: [], asks: [], answers: [], clock };
  let actor: AnyActorRef | undefined;
  const inFlight = new InFlight();
  const bound = new Map((options.services ?? []).map((b) => [b.contract.name, b.implementation]));

  const ctx: NAppContext<S> = {
    id,
    self,
    manifest: definition.manifest,
    settings: { ...(definition.settings ?? {}), ...(options.settings ?? {}) } as S,
    log: pino({ level: 'silent' }),
    clock,
    store: options.store ? inFlight.store(options.store) : noStore(),
    emit: (event, content) => {
      result.emits.push({ name: event.type, content });
      return deliver(event, content, clock.now()).event;
    },
    tell: (to, message) => {
      result.sends.push({ actor: to, message: message as Message });
      if (to === self) queueMicrotask(() => actor?.send(message));
      return true;
    },
    ask: (contract, request) => {
      result.asks.push({ napp: contract.napp, type: contract.type, request });
      const script = options.replies?.[contract.type];
      const answer = (async () => {
        if (!script) throw new Error(`stepNApp: no scripted reply for ask ${contract.type}`);
        const value = await script(request);
        if (value instanceof Error) throw value;
        return value;
      })();
      return inFlight.track(answer) as Promise<never>;
    },
    lock: async () => () => undefined,
    withLock: async (_key, fn) => fn(),
    service: <T>(contract: ServiceContract<T>): T => {
      if (!bound.has(contract.name)) throw new NotFoundError(`stepNApp: no service named ${contract.name}; pass options.services`);
      return bound.get(contract.name) as T;
    },
    // A yield is an effect in flight: the harness waits for what the NApp does after it.
    timers: Object.assign(ownedTimers(clock, new Set()), { yield: () => inFlight.track(new Promise<void>((resolve) => setImmediate(resolve))) }),
  };

  if (options.setup && definition.setup) await inFlight.track(Promise.resolve(definition.setup(ctx)));
  const machine = definition.machine(ctx);
  actor = createActor(machine, {
    input: ctx,
    clock: xstateClock(clock),
  });
  let failure: unknown;
  actor.subscribe({ error: (e: unknown) => (failure = e) });
  actor.start();
  await inFlight.settle();

  for (const input of inputs) {
    if ('advance' in input && typeof input.advance === 'number') {
      clock.advance(input.advance);
    } else if ('ask' in input && (input as StepAsk).ask?.kind === 'ask') {
      const { ask, request } = input as StepAsk;
      const answer: StepResult['answers'][number] = { type: ask.type };
      result.answers.push(answer);
      let settled = false;
      const replyTo: Reply<unknown> = {
        resolve: (value) => {
          settled = true;
          answer.value = value;
        },
        reject: (error) => {
          settled = true;
          answer.error = error;
        },
        get settled() {
          return settled;
        },
      };
      actor.send({ ...request, type: ask.type, replyTo });
    } else {
      actor.send(input as Message);
    }
    await inFlight.settle();
    if (failure) throw failure;
  }
  result.snapshot = actor.getSnapshot();
  actor.stop();
  return result;
}
