/**
 * One OpenFlow 1.3 switch connection: its explicit states and which action
 * (actions.ts) runs in which state for which message.
 *
 *   handshake.hello -> handshake.features -> handshake.claim -> handshake.portDesc
 *   -> handshake.desc -> ready -> closed (final; from any state)
 *
 * Lattice sends HELLO at once on accept, negotiates 1.3 (bitmap, else header),
 * then FEATURES -> (dpid claim) -> PORT_DESC -> DESC -> SET_CONFIG -> ready.
 * Ready: echo keepalive that closes a peer after `echoMissedLimit` unanswered
 * echoes, xid-correlated requests (reply / whole multipart / barrier) with
 * timeouts, and every inbound message re-emitted on the bus.
 *
 * It is xstate actor logic written as a reducer, like the route actors: a
 * message on a ready connection costs one step (no microsteps, no raised
 * events, no `assign` copies), and one inbound path serves every state: a frame
 * is decoded once, then handled by the current state. The state is explicit in
 * the snapshot's `value` (shown by /api/kytos/core/actors/), `status` is `done`
 * once closed, and every side effect is a named action that the southbound
 * provides (`provide({ actions })`), so xstate's pure `transition()` and
 * `initialTransition()` test it as data.
 */
import type { ActorLogic, ActorSystem, AnyActorScope, EventObject } from 'xstate';
import {
  answerBadFrame,
  BAD_WINDOW,
  overBudget,
  answerEcho,
  answerFramingError,
  descRequest,
  DEFAULT_EFFECTS,
  effect,
  enterClosed,
  enterReady,
  expireRequest,
  failUnencodable,
  featuresRequest,
  handleRequest,
  handleSend,
  inbound,
  keepEarly,
  keepFeatures,
  keepPorts,
  portDescRequest,
  refuseHello,
  refuseNotReady,
  sendHandshakeRequest,
  sendKeepalive,
  startHandshake,
  type EffectImplementations,
  type Fx,
} from './actions.js';
import {
  decodeFrame,
  isMore,
  negotiates13,
  DEFAULT_SWITCH_CONNECTION_OPTIONS,
  type SwitchConnectionContext,
  type SwitchConnectionInput,
} from './context.js';
import type { SwitchConnectionEvent } from './events.js';

export * from './context.js';
export { DEFAULT_EFFECTS, type EffectImplementations, type SwitchConnectionEffects } from './actions.js';

export type HandshakeStep = 'hello' | 'features' | 'claim' | 'portDesc' | 'desc';
export type SwitchConnectionValue = { readonly handshake: HandshakeStep } | 'ready' | 'closed';

/** The handshake's state values, one object each. */
const HS: { readonly [K in HandshakeStep]: { readonly handshake: K } } = Object.freeze({
  hello: Object.freeze({ handshake: 'hello' as const }),
  features: Object.freeze({ handshake: 'features' as const }),
  claim: Object.freeze({ handshake: 'claim' as const }),
  portDesc: Object.freeze({ handshake: 'portDesc' as const }),
  desc: Object.freeze({ handshake: 'desc' as const }),
});

export type SwitchConnectionSnapshot =
  | { status: 'active'; value: SwitchConnectionValue; context: SwitchConnectionContext; output: undefined; error: undefined }
  | { status: 'done'; value: 'closed'; context: SwitchConnectionContext; output: undefined; error: undefined }
  | { status: 'error'; value: SwitchConnectionValue; context: SwitchConnectionContext; output: undefined; error: unknown };

type Snap = SwitchConnectionSnapshot;
type Ctx = SwitchConnectionContext;

const at = (value: SwitchConnectionValue, context: Ctx): Snap => ({ status: 'active', value, context, output: undefined, error: undefined });

/** Exit actions of the state being left. */
function exit(s: Snap, fx: Fx): void {
  if (s.value === 'ready') effect(fx, s.context, 'cancelTimer', { key: 'echo' });
  else if (s.value !== 'closed') effect(fx, s.context, 'cancelTimer', { key: 'handshake' });
}

/** Into the final state (the caller ran `exit` and the transition's own actions). */
function closed(ctx: Ctx, fx: Fx, reason: string): Snap {
  const c = { ...ctx, closeReason: reason };
  enterClosed(c, fx);
  return { status: 'done', value: 'closed', context: c, output: undefined, error: undefined };
}

/** The one inbound path: any frame proves the peer alive; it is decoded once and handled by the current state. */
function frame(s: Snap, fx: Fx, bytes: Buffer): Snap {
  let ctx: Ctx = { ...s.context, missed: 0, rxSeq: s.context.rxSeq + 1 };
  const d = decodeFrame(bytes, ctx.negotiated);
  const v = s.value;
  if (v === 'closed') return s;
  if (d.type === 'of.bad' && (v === 'ready' || v.handshake !== 'hello')) {
    ctx = answerBadFrame(ctx, fx, d);
    if (!overBudget(ctx)) return at(v, ctx);
    exit(s, fx);
    return closed(ctx, fx, 'malformed_budget');
  }
  if (v === 'ready') {
    if (d.type !== 'of.bad') inbound(ctx, fx, d, ctx.rxSeq); // malformed ones were answered above
    return at(v, ctx);
  }
  const step = v.handshake;
  if (d.type === 'of.bad') {
    // A first frame the codec rejects: answer it, and we cannot negotiate: close.
    exit(s, fx);
    return closed(answerBadFrame(ctx, fx, d), fx, 'bad_hello');
  }
  const m = d;
  if (step === 'hello') {
    if (negotiates13(m)) return at(HS.features, sendHandshakeRequest({ ...ctx, negotiated: true }, fx, featuresRequest));
    exit(s, fx);
    refuseHello(ctx, fx, m);
    return closed(ctx, fx, 'hello_failed');
  }
  if (m.type === 'echo_request') {
    answerEcho(ctx, fx, m);
    return at(v, ctx);
  }
  const ours = m.xid === ctx.hsXid;
  if (ours && m.type === 'error' && step !== 'claim') {
    exit(s, fx);
    return closed(ctx, fx, 'handshake_error');
  }
  if (ours && step === 'features' && m.type === 'features_reply') return at(HS.claim, keepFeatures(ctx, fx, m));
  if (ours && step === 'portDesc' && m.type === 'multipart_reply' && m.body.mpType === 'port_desc') {
    ctx = keepPorts(ctx, m);
    return isMore(m) ? at(v, ctx) : at(HS.desc, sendHandshakeRequest(ctx, fx, descRequest));
  }
  if (ours && step === 'desc' && m.type === 'multipart_reply' && m.body.mpType === 'desc') {
    exit(s, fx);
    return at('ready', enterReady({ ...ctx, desc: m.body.desc }, fx));
  }
  return at(v, keepEarly(ctx, m));
}

function timer(s: Snap, fx: Fx, key: string): Snap {
  const ctx = s.context;
  // The malformed-message budget's window ended: the budget is whole again.
  if (key === BAD_WINDOW) return s.value === 'closed' ? s : at(s.value, { ...ctx, badInWindow: 0 });
  if (s.value === 'ready') {
    if (key === 'echo') {
      if (ctx.missed < ctx.opts.echoMissedLimit) return at('ready', sendKeepalive(ctx, fx));
      exit(s, fx);
      return closed(ctx, fx, 'echo_timeout');
    }
    if (key.startsWith('req:')) expireRequest(ctx, fx, key);
    return s;
  }
  if (key !== 'handshake') return s;
  exit(s, fx);
  return closed(ctx, fx, 'handshake_timeout');
}

/** One step: the next snapshot; effects go to the executor. */
function step(s: Snap, e: SwitchConnectionEvent, fx: Fx): Snap {
  if (s.status !== 'active') return s;
  const ready = s.value === 'ready';
  switch (e.type) {
    case 'of.frame':
      return frame(s, fx, e.frame);
    case 'of.request':
      if (ready) return at('ready', handleRequest(s.context, fx, e));
      refuseNotReady(s.context, fx, e);
      return s;
    case 'of.send':
      return ready ? at('ready', handleSend(s.context, fx, e)) : s;
    case 'of.encode_failed':
      if (ready) failUnencodable(s.context, fx, e);
      return s;
    case 'timer':
      return timer(s, fx, e.key);
    case 'dpid.granted':
      if (s.value !== HS.claim) return s;
      return at(HS.portDesc, sendHandshakeRequest({ ...s.context, owner: true }, fx, portDescRequest));
    case 'dpid.refused':
      if (s.value !== HS.claim) return s;
      exit(s, fx);
      return closed(s.context, fx, 'duplicate_dpid');
    case 'of.framing_error':
      exit(s, fx);
      answerFramingError(s.context, fx, e);
      return closed(s.context, fx, `framing_error:${e.reason}`);
    case 'socket.closed':
    case 'close':
      exit(s, fx);
      return closed(s.context, fx, e.reason);
    default:
      return s;
  }
}

function initialContext(input: SwitchConnectionInput): Ctx {
  return {
    connectionId: input.connectionId,
    remote: input.remote,
    opts: { ...DEFAULT_SWITCH_CONNECTION_OPTIONS, ...input.options },
    nextXid: 1,
    hsXid: 0,
    negotiated: false,
    dpid: null,
    owner: false,
    features: null,
    ports: [],
    desc: null,
    rxSeq: 0,
    portsSeq: 0,
    missed: 0,
    pending: new Map(),
    byXid: new Map(),
    early: [],
    droppedEarly: 0,
    badFrames: 0,
    badInWindow: 0,
    closeReason: '',
    effectArgs: { context: { connectionId: input.connectionId } },
  };
}

export interface SwitchConnectionLogic
  extends ActorLogic<SwitchConnectionSnapshot, SwitchConnectionEvent, SwitchConnectionInput, ActorSystem<any>, EventObject> {
  readonly implementations: EffectImplementations;
  /** The same logic with these effect implementations. */
  provide(implementations: { actions: Partial<EffectImplementations> }): SwitchConnectionLogic;
}

function createSwitchConnectionLogic(impl: EffectImplementations): SwitchConnectionLogic {
  return {
    config: 'switchConnection',
    implementations: impl,
    provide: ({ actions }) => createSwitchConnectionLogic({ ...impl, ...actions }),
    transition: (s, e, scope: AnyActorScope) => step(s, e, { scope, impl }),
    getInitialSnapshot: (scope: AnyActorScope, input) => at(HS.hello, startHandshake(initialContext(input), { scope, impl })),
    getPersistedSnapshot: (s) => s,
    restoreSnapshot: (s) => s as SwitchConnectionSnapshot,
  };
}

export const switchConnectionMachine = createSwitchConnectionLogic(DEFAULT_EFFECTS);
