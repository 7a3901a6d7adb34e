/**
 * The switch-connection machine's context, options and the pure helpers its
 * actions use (xids, dpid format, frame decoding, protocol messages).
 * Exported for the machine and for tests; NApps use the southbound service.
 */
import {
  decodeMessage,
  isOfCodecError,
  messageTypeName,
  versionBitmap,
  ofp,
  OFP_VERSION,
  type FeaturesReplyMessage,
  type OfDesc,
  type OfMessage,
  type OfPort,
} from '../../src/openflow/index.js';
import { formatDpid, messageIn, type ConnectionSource, type EventContract, type Reply } from '../../src/sdk/index.js';
import type { Expect, SwitchActorEffects } from './events.js';

export interface SwitchConnectionOptions {
  /** Time between keepalive echoes once ready (ms). */
  echoIntervalMs: number;
  /** Unanswered echoes after which the peer is closed as dead. */
  echoMissedLimit: number;
  /** The whole handshake must finish within this (ms). */
  handshakeTimeoutMs: number;
  /** Messages kept while the handshake runs (others are dropped and counted). */
  maxEarlyMessages: number;
  /** Malformed messages tolerated per window; one more closes the peer (0: no limit). */
  malformedBudget: number;
  /** The window (ms) the budget counts in, from the first malformed message. */
  malformedWindowMs: number;
}

export const { OFPBRC, OFPC_FRAG, OFPCML, OFPET, OFPHFC, OFPMPF_REPLY_MORE } = ofp;
/** The highest message type OpenFlow 1.3 defines (OFPT_METER_MOD). */
export const MAX_OFPT = Math.max(...Object.values(ofp.OFPT));

export const DEFAULT_SWITCH_CONNECTION_OPTIONS: SwitchConnectionOptions = {
  echoIntervalMs: 5000,
  echoMissedLimit: 3,
  handshakeTimeoutMs: 15_000,
  maxEarlyMessages: 1024,
  malformedBudget: 100,
  malformedWindowMs: 10_000,
};

export interface SwitchConnectionInput {
  connectionId: string;
  /** `ip:port` of the peer (Kytos' `connection` field). */
  remote: string;
  options?: Partial<SwitchConnectionOptions>;
}

/**
 * A request waiting for its answer, keyed by the xid whose reply ends it (its
 * last xid). Owned and mutated by its connection's actor (multipart parts are
 * appended in place).
 */
export interface PendingRequest {
  key: number;
  expect: Expect;
  replyTo?: Reply<unknown>;
  /** Multipart parts received so far. */
  parts: OfMessage[];
  /** Its xids are `first`, then `count - 1` more consecutive ones up to `key`: an OFPT_ERROR on any of them fails it. */
  first: number;
  count: number;
}

export interface SwitchConnectionContext {
  connectionId: string;
  remote: string;
  opts: SwitchConnectionOptions;
  /** Next xid Lattice uses (1..2^32-1, wrapping, never 0). */
  nextXid: number;
  /** xid of the handshake request in flight. */
  hsXid: number;
  /** 1.3 agreed (after the peer's HELLO). */
  negotiated: boolean;
  /** Colon-form dpid once FEATURES_REPLY came. */
  dpid: string | null;
  /** Whether the southbound granted us the dpid. */
  owner: boolean;
  features: FeaturesReplyMessage | null;
  ports: OfPort[];
  desc: OfDesc | null;
  /** Sequence number of the last decoded inbound message (1, 2, ...): lets listeners drop stale port updates. */
  rxSeq: number;
  /** rxSeq of the last PORT_DESC part of the handshake. */
  portsSeq: number;
  /** Keepalive echoes sent since the peer last said anything. */
  missed: number;
  /**
   * Requests in flight by key. Hot state: owned and mutated in place by the
   * actor (a request's start and end do not copy it), so a snapshot's maps are
   * those of the actor's latest state.
   */
  pending: Map<number, PendingRequest>;
  /** The other xids of multi-message requests -> pending key (a request's key xid is looked up in `pending` directly). Mutated in place, like `pending`. */
  byXid: Map<number, number>;
  /** Messages that arrived during the handshake, replayed when ready. */
  early: { message: OfMessage; seq: number }[];
  droppedEarly: number;
  /** Bad frames answered with OFPT_ERROR. */
  badFrames: number;
  /** Malformed messages in the current budget window. */
  badInWindow: number;
  closeReason: string;
  /** What the named effects get as their first argument (the adapter finds its connection by `context.connectionId`). */
  effectArgs: { context: { connectionId: string } };
}

export type SendParams = SwitchActorEffects['send'];
export type EmitParams = SwitchActorEffects['emit'];
export type TimerParams = SwitchActorEffects['startTimer'];
export type ResolveParams = { replyTo?: Reply<unknown>; value: unknown };
export type RejectParams = { replyTo?: Reply<unknown>; error: unknown };
export type ClaimParams = SwitchActorEffects['claimDpid'];
export type CloseParams = SwitchActorEffects['closeSocket'];

// ---- pure helpers ----

export const nextOf = (xid: number): number => (xid >= 0xffffffff ? 1 : xid + 1);

export { formatDpid };

/** 1.3 negotiation: the bitmap when present, else min(header version, 1.3) must be 1.3. */
export function negotiates13(hello: OfMessage): boolean {
  if (hello.type !== 'hello') return false;
  const bitmap = hello.elements.find((e) => e.type === 'versionbitmap');
  if (bitmap && bitmap.type === 'versionbitmap') {
    const word = bitmap.bitmaps[OFP_VERSION >>> 5] ?? 0;
    return (word & (1 << (OFP_VERSION & 31))) !== 0;
  }
  return Math.min(hello.version, OFP_VERSION) === OFP_VERSION;
}

/** A frame the codec rejected, with the OFPT_ERROR type/code that answers it. */
export interface BadFrame {
  type: 'of.bad';
  frame: Buffer;
  ofType: number;
  ofCode: number;
  code: string;
}

/** Decodes a frame into its message, or the BadFrame that says how to answer it. Never throws. */
export function decodeFrame(frame: Buffer, negotiated = false): OfMessage | BadFrame {
  try {
    // After negotiation every message must be 1.3 (the codec decodes HELLO/ERROR/ECHO of any version).
    if (negotiated && frame[0] !== OFP_VERSION) {
      return { type: 'of.bad', frame, ofType: OFPET.BAD_REQUEST, ofCode: OFPBRC.BAD_VERSION, code: 'BAD_VERSION' };
    }
    const message = decodeMessage(frame);
    // A type code OpenFlow 1.3 does not define: OFPBRC_BAD_TYPE (the codec keeps it raw).
    if (message.type === 'raw' && message.msgType > MAX_OFPT) {
      return { type: 'of.bad', frame, ofType: OFPET.BAD_REQUEST, ofCode: OFPBRC.BAD_TYPE, code: 'BAD_TYPE' };
    }
    return message;
  } catch (err) {
    if (isOfCodecError(err)) return { type: 'of.bad', frame, ofType: err.ofType, ofCode: err.ofCode, code: err.code };
    // Anything else is a codec bug; answer like a malformed request rather than crash.
    return { type: 'of.bad', frame, ofType: OFPET.BAD_REQUEST, ofCode: OFPBRC.EPERM, code: 'CODEC_BUG' };
  }
}

export const hello = (xid: number): OfMessage => ({ type: 'hello', version: OFP_VERSION, xid, elements: [versionBitmap([OFP_VERSION])] });

export const errorMsg = (xid: number, errType: number, code: number, data: Buffer): OfMessage => ({
  type: 'error',
  version: OFP_VERSION,
  xid,
  errType,
  code,
  data,
});

export const isMore = (m: OfMessage): boolean => m.type === 'multipart_reply' && (m.flags & OFPMPF_REPLY_MORE) !== 0;

export function source(ctx: SwitchConnectionContext): ConnectionSource {
  return { connection_id: ctx.connectionId, connection: ctx.remote, dpid: ctx.dpid };
}

/** `messages.in` event names of every OpenFlow 1.3 message type, computed once. */
const MESSAGE_IN_NAMES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.keys(ofp.OFPT).map((k) => [k.toLowerCase(), messageIn(k.toLowerCase()).type])),
);

/**
 * The `emit` parameters of a `messages.in` event. The content is built when
 * read: the adapter reads it only when someone subscribes to `name`, so a
 * message nobody listens to costs one small object.
 */
export class MessageInParams implements EmitParams {
  readonly name: string;
  constructor(
    private readonly ctx: SwitchConnectionContext,
    private readonly message: OfMessage,
    private readonly seq: number,
  ) {
    const type = message.type === 'raw' ? messageTypeName(message.msgType).slice(5) : message.type;
    this.name = MESSAGE_IN_NAMES[type] ?? messageIn(type).type;
  }

  get content(): Record<string, unknown> {
    return { source: source(this.ctx), message: this.message, seq: this.seq };
  }
}

export function messageInEvent(ctx: SwitchConnectionContext, message: OfMessage, seq: number): EmitParams {
  return new MessageInParams(ctx, message, seq);
}

/** The `emit` effect's parameters for a catalogue event, its content type-checked. */
export const published = <N extends string, P>(event: EventContract<N, P>, content: P): EmitParams => ({
  name: event.type,
  content: content as Record<string, unknown>,
});

/** Forgets a finished request (in place: the actor owns its maps). */
export function dropPending(ctx: SwitchConnectionContext, p: PendingRequest): void {
  ctx.pending.delete(p.key);
  let x = p.first;
  for (let i = 1; i < p.count; i++, x = nextOf(x)) ctx.byXid.delete(x);
}

/** The pending request an xid belongs to, if any. */
export function pendingFor(ctx: SwitchConnectionContext, xid: number): PendingRequest | undefined {
  if (ctx.pending.size === 0) return undefined;
  const p = ctx.pending.get(xid);
  if (p) return p;
  const key = ctx.byXid.get(xid);
  return key === undefined ? undefined : ctx.pending.get(key);
}
