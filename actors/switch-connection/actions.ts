/**
 * The switch-connection machine's actions: what a step decides, as named
 * effects and a next context. machine.ts says which action runs in which state
 * for which message; these functions say what it does.
 *
 * Every side effect is a named action handed to xstate's action executor
 * (`effect`): a live actor runs its implementation at once, xstate's pure
 * `transition()` collects it as data. The southbound provides the
 * implementations of `send`, `emit`, `switchReady`, `startTimer`, `cancelTimer`,
 * `claimDpid` and `closeSocket`; `resolve`/`reject` settle an asker.
 *
 * Scalars of the context (xids, counters, sequence numbers) are replaced by
 * copying one small object per step. Requests in flight (`pending`, `byXid`,
 * multipart parts) and the handshake's early messages are owned by the actor
 * and mutated in place: a request's start or end does not copy them.
 */
import type { AnyActorScope } from 'xstate';
import { errorReplyFor, OFP_VERSION, ofp, type FeaturesReplyMessage, type OfMessage } from '../../src/openflow/index.js';
import { connectionLost, ErrorCode, helloFailed, SwitchRequestError, switchReady } from '../../src/sdk/index.js';
import {
  dropPending,
  errorMsg,
  formatDpid,
  hello,
  isMore,
  messageInEvent,
  nextOf,
  pendingFor,
  published,
  source,
  OFPBRC,
  OFPC_FRAG,
  OFPCML,
  OFPET,
  OFPHFC,
  type BadFrame,
  type PendingRequest,
  type RejectParams,
  type ResolveParams,
  type SwitchConnectionContext,
} from './context.js';
import type { EncodeFailedEvent, FramingErrorEvent, RequestEvent, SendEvent, SwitchActorEffects } from './events.js';

type Ctx = SwitchConnectionContext;

/** Parameters of every named effect. */
export interface SwitchConnectionEffects extends SwitchActorEffects {
  resolve: ResolveParams;
  reject: RejectParams;
}

export type EffectName = keyof SwitchConnectionEffects;
export type EffectImpl<K extends EffectName> = (args: { context: { connectionId: string } }, params: SwitchConnectionEffects[K]) => void;
export type EffectImplementations = { [K in EffectName]: EffectImpl<K> };

/** Default implementations: adapter effects do nothing until the southbound provides them; resolve/reject settle the asker. */
export const DEFAULT_EFFECTS: EffectImplementations = {
  send: () => undefined,
  emit: () => undefined,
  switchReady: () => undefined,
  startTimer: () => undefined,
  cancelTimer: () => undefined,
  claimDpid: () => undefined,
  closeSocket: () => undefined,
  resolve: (_, p) => {
    if (p.replyTo && !p.replyTo.settled) p.replyTo.resolve(p.value);
  },
  reject: (_, p) => {
    if (p.replyTo && !p.replyTo.settled) p.replyTo.reject(p.error);
  },
};

/** Where one step's effects go: the actor's scope (its action executor) and the effect implementations. */
export interface Fx {
  readonly scope: AnyActorScope;
  readonly impl: EffectImplementations;
}

/** One named effect, as xstate executes (live) or collects (`transition()`) it. */
export function effect<K extends EffectName>(fx: Fx, ctx: Ctx, type: K, params: SwitchConnectionEffects[K]): void {
  fx.scope.actionExecutor({ type, info: ctx.effectArgs as never, params, exec: fx.impl[type] as never });
}

const send = (fx: Fx, ctx: Ctx, messages: OfMessage[]): void => effect(fx, ctx, 'send', { messages });

const NO_DATA = Buffer.alloc(0);
/** The parts of a request that is not multipart: never appended to. */
const NO_PARTS: OfMessage[] = Object.freeze([]) as unknown as OfMessage[];
const HELLO_FAILED_TEXT = Buffer.from('Lattice supports OpenFlow 1.3 (0x04) only');

// ---- handshake ----

/** Entry of the handshake: our HELLO at once (Kytos waits for the switch's), and the handshake deadline. */
export function startHandshake(ctx: Ctx, fx: Fx): Ctx {
  send(fx, ctx, [hello(ctx.nextXid)]);
  effect(fx, ctx, 'startTimer', { key: 'handshake', ms: ctx.opts.handshakeTimeoutMs });
  return { ...ctx, nextXid: nextOf(ctx.nextXid) };
}

export const featuresRequest = (xid: number): OfMessage => ({ type: 'features_request', version: OFP_VERSION, xid });
export const portDescRequest = (xid: number): OfMessage => ({ type: 'multipart_request', version: OFP_VERSION, xid, flags: 0, body: { mpType: 'port_desc' } });
export const descRequest = (xid: number): OfMessage => ({ type: 'multipart_request', version: OFP_VERSION, xid, flags: 0, body: { mpType: 'desc' } });

/** Sends one handshake request and remembers its xid. */
export function sendHandshakeRequest(ctx: Ctx, fx: Fx, build: (xid: number) => OfMessage): Ctx {
  send(fx, ctx, [build(ctx.nextXid)]);
  return { ...ctx, hsXid: ctx.nextXid, nextXid: nextOf(ctx.nextXid) };
}

/** A HELLO we cannot meet, or anything else first: HELLO_FAILED/INCOMPATIBLE and the hello_failed event. */
export function refuseHello(ctx: Ctx, fx: Fx, m: OfMessage): void {
  send(fx, ctx, [errorMsg(m.xid, OFPET.HELLO_FAILED, OFPHFC.INCOMPATIBLE, HELLO_FAILED_TEXT)]);
  effect(fx, ctx, 'emit', published(helloFailed, { source: source(ctx) }));
}

export function keepFeatures(ctx: Ctx, fx: Fx, m: FeaturesReplyMessage): Ctx {
  const dpid = formatDpid(m.datapathId);
  effect(fx, ctx, 'claimDpid', { dpid });
  return { ...ctx, features: m, dpid };
}

export function keepPorts(ctx: Ctx, m: OfMessage): Ctx {
  const ports = m.type === 'multipart_reply' && m.body.mpType === 'port_desc' ? [...ctx.ports, ...m.body.ports] : ctx.ports;
  return { ...ctx, ports, portsSeq: ctx.rxSeq };
}

/** A message during the handshake: kept (in place) and published once the dpid is known. */
export function keepEarly(ctx: Ctx, m: OfMessage): Ctx {
  if (ctx.early.length >= ctx.opts.maxEarlyMessages) return { ...ctx, droppedEarly: ctx.droppedEarly + 1 };
  ctx.early.push({ message: m, seq: ctx.rxSeq });
  return ctx;
}

/** Entry of ready: SET_CONFIG, recorded as connected, announced, early messages published, keepalive started. */
export function enterReady(ctx: Ctx, fx: Fx): Ctx {
  const dpid = ctx.dpid!;
  send(fx, ctx, [{ type: 'set_config', version: OFP_VERSION, xid: ctx.nextXid, flags: OFPC_FRAG.NORMAL, missSendLen: OFPCML.NO_BUFFER }]);
  const next = { ...ctx, nextXid: nextOf(ctx.nextXid), early: [] };
  // Recorded as connected first, then announced.
  effect(fx, next, 'switchReady', { dpid });
  effect(
    fx,
    next,
    'emit',
    published(switchReady, { ...source(next), dpid, features: next.features!, ports: next.ports, portsSeq: next.portsSeq, desc: next.desc }),
  );
  // Messages that came during the handshake, now that the dpid is known.
  for (const e of ctx.early) effect(fx, next, 'emit', messageInEvent(next, e.message, e.seq));
  effect(fx, next, 'startTimer', { key: 'echo', ms: next.opts.echoIntervalMs });
  return next;
}

// ---- any state ----

export function answerEcho(ctx: Ctx, fx: Fx, m: OfMessage): void {
  if (m.type === 'echo_request') send(fx, ctx, [{ type: 'echo_reply', version: OFP_VERSION, xid: m.xid, data: m.data }]);
}

/** The timer that ends a malformed-message budget window. */
export const BAD_WINDOW = 'malformed';

/**
 * A frame the codec rejected: OFPT_ERROR with its xid and first bytes, counted
 * against the peer's budget (`malformedBudget` per `malformedWindowMs`, the
 * window opening at the first one; see `overBudget`).
 */
export function answerBadFrame(ctx: Ctx, fx: Fx, bad: BadFrame): Ctx {
  send(fx, ctx, [errorReplyFor(bad, bad.frame)]);
  const inWindow = ctx.badInWindow + 1;
  if (inWindow === 1) effect(fx, ctx, 'startTimer', { key: BAD_WINDOW, ms: ctx.opts.malformedWindowMs });
  return { ...ctx, badFrames: ctx.badFrames + 1, badInWindow: inWindow };
}

/**
 * The peer sent more malformed messages in one window than its budget: it is
 * closed (`malformed_budget`, reported in `connection.lost`), so a peer that
 * floods garbage costs the other switches nothing.
 */
export const overBudget = (ctx: Ctx): boolean => ctx.opts.malformedBudget > 0 && ctx.badInWindow > ctx.opts.malformedBudget;

/** Not OpenFlow at all (checked on the first bytes): HELLO_FAILED; an impossible length: BAD_LEN. */
export function answerFramingError(ctx: Ctx, fx: Fx, e: FramingErrorEvent): void {
  const [type, code] = e.reason === 'NOT_OPENFLOW' ? [OFPET.HELLO_FAILED, OFPHFC.INCOMPATIBLE] : [OFPET.BAD_REQUEST, OFPBRC.BAD_LEN];
  send(fx, ctx, [errorMsg(e.xid, type, code, e.bytes)]);
}

export function refuseNotReady(ctx: Ctx, fx: Fx, e: RequestEvent): void {
  effect(fx, ctx, 'reject', {
    replyTo: e.replyTo,
    error: new SwitchRequestError(ErrorCode.SwitchNotReady, 'switch handshake not finished', { connectionId: ctx.connectionId }),
  });
}

/** Entry of closed: every request in flight fails, the loss is published, the socket closes. */
export function enterClosed(ctx: Ctx, fx: Fx): void {
  for (const p of ctx.pending.values()) {
    effect(fx, ctx, 'reject', {
      replyTo: p.replyTo,
      error: new SwitchRequestError(ErrorCode.SwitchDisconnected, `connection closed: ${ctx.closeReason}`, { xid: p.key, connectionId: ctx.connectionId }),
    });
  }
  ctx.pending.clear();
  ctx.byXid.clear();
  effect(
    fx,
    ctx,
    'emit',
    published(connectionLost, {
      connection_id: ctx.connectionId,
      connection: ctx.remote,
      dpid: ctx.owner ? ctx.dpid : null,
      reason: ctx.closeReason,
    }),
  );
  effect(fx, ctx, 'closeSocket', { reason: ctx.closeReason, dpid: ctx.dpid, owner: ctx.owner });
}

// ---- ready ----

export function sendKeepalive(ctx: Ctx, fx: Fx): Ctx {
  send(fx, ctx, [{ type: 'echo_request', version: OFP_VERSION, xid: ctx.nextXid, data: NO_DATA }]);
  effect(fx, ctx, 'startTimer', { key: 'echo', ms: ctx.opts.echoIntervalMs });
  return { ...ctx, nextXid: nextOf(ctx.nextXid), missed: ctx.missed + 1 };
}

/** Fire-and-forget messages, each with an xid of ours. */
export function handleSend(ctx: Ctx, fx: Fx, e: SendEvent): Ctx {
  const n = e.messages.length;
  if (n === 0) return ctx;
  const out = new Array<OfMessage>(n);
  let x = ctx.nextXid;
  for (let i = 0; i < n; i++, x = nextOf(x)) out[i] = { ...e.messages[i], xid: x } as OfMessage;
  send(fx, ctx, out);
  return { ...ctx, nextXid: x };
}

/** Messages whose answer is awaited: xids assigned, the request kept by its last xid, its timer started. */
export function handleRequest(ctx: Ctx, fx: Fx, e: RequestEvent): Ctx {
  const k = e.messages.length;
  if (k === 0) {
    effect(fx, ctx, 'reject', { replyTo: e.replyTo, error: new SwitchRequestError(ErrorCode.SwitchMessageInvalid, 'request without a message') });
    return ctx;
  }
  const barrier = e.expect === 'barrier';
  const n = k + (barrier ? 1 : 0);
  const out = new Array<OfMessage>(n);
  const first = ctx.nextXid;
  let key = first;
  for (let i = 1; i < n; i++) key = nextOf(key);
  let x = first;
  for (let i = 0; i < n; i++, x = nextOf(x)) {
    out[i] = i < k ? ({ ...e.messages[i], xid: x } as OfMessage) : { type: 'barrier_request', version: OFP_VERSION, xid: x };
    if (x !== key) ctx.byXid.set(x, key);
  }
  ctx.pending.set(key, { key, expect: e.expect, replyTo: e.replyTo, parts: e.expect === 'multipart' ? [] : NO_PARTS, first, count: n });
  send(fx, ctx, out);
  effect(fx, ctx, 'startTimer', { key: `req:${key}`, ms: e.timeoutMs });
  return { ...ctx, nextXid: x };
}

/** Ends a request: forgets it, cancels its timer, and settles its asker. */
function settle(ctx: Ctx, fx: Fx, p: PendingRequest, value: unknown, error?: SwitchRequestError): void {
  dropPending(ctx, p);
  effect(fx, ctx, 'cancelTimer', { key: `req:${p.key}` });
  if (error) effect(fx, ctx, 'reject', { replyTo: p.replyTo, error });
  else effect(fx, ctx, 'resolve', { replyTo: p.replyTo, value });
}

/** The adapter could not encode a message of a request: the request fails. */
export function failUnencodable(ctx: Ctx, fx: Fx, e: EncodeFailedEvent): void {
  const p = pendingFor(ctx, e.xid);
  if (!p) return;
  settle(
    ctx,
    fx,
    p,
    undefined,
    new SwitchRequestError(ErrorCode.SwitchMessageInvalid, `message xid ${e.xid} cannot be encoded: ${e.reason}`, { xid: e.xid, connectionId: ctx.connectionId }),
  );
}

/** A request's timer fell due (`req:<key>`): it fails with SWITCH_TIMEOUT. */
export function expireRequest(ctx: Ctx, fx: Fx, timerKey: string): void {
  const key = Number(timerKey.slice(4));
  const p = ctx.pending.get(key);
  if (!p) return;
  dropPending(ctx, p);
  effect(fx, ctx, 'reject', {
    replyTo: p.replyTo,
    error: new SwitchRequestError(ErrorCode.SwitchTimeout, `no answer to xid ${key}`, { xid: key, connectionId: ctx.connectionId }),
  });
}

/** OFPT_ERROR classes that blame the request itself, not the switch (HTTP 400 rather than 502). */
const REQUEST_FAULTS = new Set<number>([ofp.OFPET.BAD_ACTION, ofp.OFPET.BAD_INSTRUCTION, ofp.OFPET.BAD_MATCH]);

const SWITCH_INITIATED = new Set<OfMessage['type']>(['echo_request', 'hello', 'packet_in', 'port_status', 'flow_removed']);

/** A message on a ready connection: answer echoes, settle requests, publish it. */
export function inbound(ctx: Ctx, fx: Fx, m: OfMessage, seq: number): void {
  if (m.type === 'echo_request') send(fx, ctx, [{ type: 'echo_reply', version: OFP_VERSION, xid: m.xid, data: m.data }]);
  // Messages the switch starts itself never answer a request, whatever their xid.
  const p = SWITCH_INITIATED.has(m.type) ? undefined : pendingFor(ctx, m.xid);
  if (p) {
    if (m.type === 'error') {
      settle(
        ctx,
        fx,
        p,
        undefined,
        SwitchRequestError.rejected(m.errType, m.code, REQUEST_FAULTS.has(m.errType), {
          xid: m.xid,
          // Which of the request's messages the switch refused (a batch's FLOW_MODs are told apart by it; xids skip 0 when they wrap).
          index: m.xid >= p.first ? m.xid - p.first : 0xffffffff - p.first + m.xid,
          data: m.data,
          connectionId: ctx.connectionId,
        }),
      );
    } else if (m.xid === p.key) {
      if (p.expect === 'multipart') {
        p.parts.push(m);
        if (!isMore(m)) settle(ctx, fx, p, p.parts);
      } else {
        settle(ctx, fx, p, m);
      }
    }
  }
  effect(fx, ctx, 'emit', messageInEvent(ctx, m, seq));
}
