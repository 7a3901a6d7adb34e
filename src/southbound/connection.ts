/**
 * The thin adapter between one TCP/TLS socket and its switch-connection actor:
 * frames bytes into `of.frame` messages, and implements the actor's named side
 * effects (write, emit, timers, dpid claim, close). No protocol decisions here.
 */
import { TLSSocket } from 'node:tls';
import type { PeerCertificateFacts } from './cert-dpids.js';
import type { Socket } from 'node:net';
import type { AnyActorLogic } from 'xstate';
import type { ActorSystem, TimerHandle } from '../actor/index.js';
import { encodeMessage, type OfMessage } from '../openflow/index.js';
import {
  SWITCH_ACTOR_EFFECTS,
  type SwitchActorEffects,
  type SwitchActorInput,
  type SwitchActorLogic,
  type SwitchActorMessage,
  type SwitchEffectImpl,
} from './actor-protocol.js';
import { FrameDecoder, FramingError } from './framing.js';
import type { SouthboundOptions } from './options.js';

/**
 * Binds the machine's side effects once (a `provide` per connection would rebuild
 * the machine each time): each effect finds its connection by the actor's
 * `context.connectionId`.
 */
export function bindEffects(logic: SwitchActorLogic, find: (connectionId: string) => SwitchSocket | undefined): AnyActorLogic {
  const route =
    <K extends keyof SwitchActorEffects>(k: K): SwitchEffectImpl<K> =>
    (args, params) =>
      (find(args.context.connectionId) as SwitchActorEffectMethods | undefined)?.[k](params as never);
  const actions = Object.fromEntries(SWITCH_ACTOR_EFFECTS.map((k) => [k, route(k)])) as { [K in keyof SwitchActorEffects]: SwitchEffectImpl<K> };
  return logic.provide({ actions });
}

/** The actor's side effects, as methods of its connection (methods, not per-connection closures). */
export type SwitchActorEffectMethods = { [K in keyof SwitchActorEffects]: (params: SwitchActorEffects[K]) => void };

/**
 * Connections with bytes queued in this tick, flushed by one microtask for all
 * of them: a connection costs no flush closure, and a message no microtask.
 */
export class TickWrites {
  private queued: SwitchSocket[] = [];
  private scheduled = false;

  add(conn: SwitchSocket): void {
    this.queued.push(conn);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flushAll);
  }

  private readonly flushAll = (): void => {
    this.scheduled = false;
    const q = this.queued;
    this.queued = [];
    for (let i = 0; i < q.length; i++) q[i].flush();
  };
}

/** What a connection needs from the Southbound that owns it. */
export interface ConnectionHost {
  readonly system: ActorSystem;
  readonly options: SouthboundOptions;
  readonly logic: AnyActorLogic;
  readonly writes: TickWrites;
  claimDpid(conn: SwitchSocket, dpid: string): void;
  switchReady(conn: SwitchSocket, dpid: string): void;
  connectionClosed(conn: SwitchSocket, dpid: string | null, owner: boolean, reason: string): void;
  /** Counters shared by all connections. */
  readonly stats: { mailboxFull: number; framesIn: number; framesOut: number; badFrames: number; bufferOverflows: number; pauses: number };
}

/** Frames held back while the actor's mailbox is nearly full are checked this often. */
const DEPTH_CHECK_EVERY = 64;

export class SwitchSocket implements SwitchActorEffectMethods {
  readonly actorName: string;
  readonly remote: string;
  private readonly decoder: FrameDecoder;
  private readonly timers = new Map<string, TimerHandle>();
  /** Messages waiting for room in the actor's mailbox (socket paused meanwhile). */
  private backlog: SwitchActorMessage[] = [];
  private backlogBytes = 0;
  private sinceCheck = 0;
  private readonly highWater: number;
  private readonly lowWater: number;
  private drainScheduled = false;
  private closed = false;
  private sawBytes = false;
  /** Encoded messages waiting for this tick's one write: the first, then any others (no array for the usual one). */
  private outFirst: Buffer | undefined;
  private outMore: Buffer[] | undefined;
  private outBytes = 0;
  private flushQueued = false;

  constructor(
    private readonly host: ConnectionHost,
    readonly socket: Socket,
    readonly connectionId: string,
  ) {
    this.actorName = `switch:${connectionId}`;
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`.replace(/^::ffff:/, '');
    this.decoder = new FrameDecoder({ maxFrameBytes: host.options.maxFrameBytes });
    const capacity = host.options.switchMailbox;
    this.highWater = Math.max(1, Math.floor(capacity / 2));
    this.lowWater = Math.max(1, Math.floor(capacity / 4));
  }

  start(): void {
    const { system, options, logic } = this.host;
    socketTuning(this.socket);
    const input: SwitchActorInput = {
      connectionId: this.connectionId,
      remote: this.remote,
      options: {
        echoIntervalMs: options.echoIntervalMs,
        echoMissedLimit: options.echoMissedLimit,
        handshakeTimeoutMs: options.handshakeTimeoutMs,
        malformedBudget: options.malformedBudget,
        malformedWindowMs: options.malformedWindowMs,
      },
    };
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => system.log.debug({ err, conn: this.connectionId }, 'switch socket error'));
    this.socket.on('close', () => this.onSocketClose());
    // Spawning runs the machine's entry actions: our HELLO goes out now.
    system.spawn(this.actorName, logic, { input, mailbox: options.switchMailbox, restart: false, kind: 'switch' });
  }

  /** The peer's TLS client certificate (`{}` when it sent none); null on a plaintext connection. */
  certificate(): PeerCertificateFacts | null {
    if (!(this.socket instanceof TLSSocket)) return null;
    const cert = this.socket.getPeerCertificate();
    if (!cert || Object.keys(cert).length === 0) return {};
    const cn = cert.subject?.CN;
    return { ...(typeof cn === 'string' ? { cn } : {}), ...(cert.fingerprint256 ? { fingerprint256: cert.fingerprint256 } : {}) };
  }

  /** Tell the actor something (used by the Southbound: dpid decisions, close, requests). */
  tell(message: SwitchActorMessage): boolean {
    return this.host.system.tell(this.actorName, message);
  }

  // ---- inbound ----

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (!this.sawBytes) {
      this.sawBytes = true;
      // The first message must be an OpenFlow HELLO: a first byte that is no OpenFlow
      // version (1..6) or a type that is not HELLO is some other protocol. Refuse at once
      // instead of waiting for a "length" that was never one.
      if (chunk[0] < 1 || chunk[0] > 6 || (chunk.length > 1 && chunk[1] !== 0)) {
        this.host.stats.badFrames++;
        this.socket.pause();
        const bytes = Buffer.from(chunk.subarray(0, 64));
        this.deliver({ type: 'of.framing_error', bytes, xid: chunk.length >= 8 ? chunk.readUInt32BE(4) : 0, reason: 'NOT_OPENFLOW' }, true);
        return;
      }
    }
    try {
      this.decoder.push(chunk, this.onFrame, this);
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      this.host.stats.badFrames++;
      // The stream cannot be resynchronised: stop reading; the actor answers and closes.
      this.socket.pause();
      this.deliver({ type: 'of.framing_error', bytes: err.bytes, xid: err.xid, reason: err.code }, true);
    }
  }

  private onFrame(frame: Buffer): void {
    this.host.stats.framesIn++;
    this.deliver({ type: 'of.frame', frame });
  }

  private deliver(message: SwitchActorMessage, force = false): void {
    // Closed (e.g. past its malformed-message budget): what is still in the chunk goes nowhere.
    if (this.closed) return;
    if (this.backlog.length > 0 || (!force && this.nearlyFull())) {
      this.hold(message);
      return;
    }
    if (!this.host.system.tell(this.actorName, message)) {
      // Refused (counted by the runtime as a dead letter): keep it and slow the peer down.
      this.host.stats.mailboxFull++;
      this.host.system.log.warn({ conn: this.connectionId }, 'switch mailbox full; pausing the socket');
      this.hold(message);
    }
  }

  private nearlyFull(): boolean {
    if (++this.sinceCheck < DEPTH_CHECK_EVERY) return false;
    this.sinceCheck = 0;
    if (!this.host.system.has(this.actorName)) return false;
    return this.host.system.info(this.actorName).mailbox.depth >= this.highWater;
  }

  private hold(message: SwitchActorMessage): void {
    this.backlog.push(message);
    this.backlogBytes += message.type === 'of.frame' ? message.frame.length : 64;
    if (this.backlogBytes > this.host.options.maxBufferBytes) {
      this.host.stats.bufferOverflows++;
      this.host.system.log.warn({ conn: this.connectionId }, 'switch inbound backlog over the buffer cap; closing');
      this.destroy();
      return;
    }
    if (!this.drainScheduled) this.host.stats.pauses++;
    this.socket.pause();
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.closed) return;
    this.drainScheduled = true;
    this.host.system.clock.setTimeout(
      () => {
        this.drainScheduled = false;
        this.drain();
      },
      1,
      { unref: true },
    );
  }

  private drain(): void {
    const { system } = this.host;
    if (this.closed || !system.has(this.actorName)) return;
    if (system.info(this.actorName).mailbox.depth > this.lowWater) return this.scheduleDrain();
    let room = this.highWater - system.info(this.actorName).mailbox.depth;
    while (this.backlog.length > 0 && room-- > 0) {
      const m = this.backlog[0];
      if (!system.tell(this.actorName, m)) break;
      this.backlog.shift();
      this.backlogBytes -= m.type === 'of.frame' ? m.frame.length : 64;
    }
    if (this.backlog.length > 0) return this.scheduleDrain();
    this.sinceCheck = 0;
    if (!this.decoder.error) this.socket.resume();
  }

  private onSocketClose(): void {
    const wasClosed = this.closed;
    this.closed = true;
    this.clearTimers();
    if (this.host.system.has(this.actorName)) {
      // Frames still held back are dropped: the peer is gone.
      this.backlog = [];
      this.host.system.tell(this.actorName, { type: 'socket.closed', reason: wasClosed ? 'closed' : 'peer_closed' });
    }
  }

  // ---- effects the actor asks for ----

  // ---- the actor's side effects, for this connection ----

  send({ messages }: SwitchActorEffects['send']): void {
    this.write(messages);
  }

  switchReady({ dpid }: SwitchActorEffects['switchReady']): void {
    this.host.switchReady(this, dpid);
  }

  emit(params: SwitchActorEffects['emit']): void {
    const bus = this.host.system.bus;
    // Most messages.in names have no listener: the content is not even built then.
    if (bus.hasSubscribers(params.name)) bus.publish(params.name, params.content);
  }

  startTimer({ key, ms }: SwitchActorEffects['startTimer']): void {
    const clock = this.host.system.clock;
    clock.clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      clock.setTimeout(() => {
        this.timers.delete(key);
        if (this.host.system.has(this.actorName)) this.host.system.tell(this.actorName, { type: 'timer', key });
      }, ms),
    );
  }

  cancelTimer({ key }: SwitchActorEffects['cancelTimer']): void {
    const t = this.timers.get(key);
    if (t === undefined) return;
    this.host.system.clock.clearTimeout(t);
    this.timers.delete(key);
  }

  claimDpid({ dpid }: SwitchActorEffects['claimDpid']): void {
    this.host.claimDpid(this, dpid);
  }

  closeSocket({ reason, dpid, owner }: SwitchActorEffects['closeSocket']): void {
    this.host.connectionClosed(this, dpid, owner, reason);
    this.clearTimers();
    this.end();
  }

  /**
   * Encodes now (so an unencodable message fails its request at once) and
   * queues the bytes; everything the actor sends for this connection until the
   * current run of microtasks ends leaves in one write (`flush`, run by the
   * host's TickWrites). Light traffic waits for nothing: the flush is a
   * microtask of the same tick.
   */
  private write(messages: OfMessage[]): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      let bytes: Buffer;
      try {
        bytes = encodeMessage(m);
      } catch (err) {
        // A NApp handed us a message the codec cannot encode: drop it, keep the connection.
        this.host.system.log.error({ err, conn: this.connectionId, type: m.type }, 'cannot encode OpenFlow message');
        // Later, through the mailbox: the actor fails the request that carried it.
        const reason = err instanceof Error ? err.message : String(err);
        queueMicrotask(() => this.tell({ type: 'of.encode_failed', xid: m.xid, reason }));
        continue;
      }
      if (this.outFirst === undefined) this.outFirst = bytes;
      else (this.outMore ??= []).push(bytes);
      this.outBytes += bytes.length;
      this.host.stats.framesOut++;
    }
    if (!this.flushQueued && this.outFirst !== undefined) {
      this.flushQueued = true;
      this.host.writes.add(this);
    }
  }

  /** One socket write for everything queued this tick; a peer that does not read is closed. */
  flush(): void {
    this.flushQueued = false;
    const first = this.outFirst;
    if (first === undefined) return;
    const more = this.outMore;
    let bytes = first;
    if (more !== undefined) {
      more.unshift(first);
      bytes = Buffer.concat(more, this.outBytes);
    }
    this.outFirst = this.outMore = undefined;
    this.outBytes = 0;
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(bytes);
    if (this.socket.writableLength > this.host.options.maxBufferBytes) {
      this.host.stats.bufferOverflows++;
      this.host.system.log.warn({ conn: this.connectionId, queued: this.socket.writableLength }, 'switch not reading; closing');
      this.destroy();
    }
  }

  private clearTimers(): void {
    for (const t of this.timers.values()) this.host.system.clock.clearTimeout(t);
    this.timers.clear();
  }

  /** Graceful close: flush what was written (e.g. an OFPT_ERROR), then close; force after 1 s. */
  end(): void {
    if (this.socket.destroyed) return;
    this.closed = true;
    this.flush();
    this.dropBacklog();
    this.socket.end();
    this.host.system.clock.setTimeout(() => this.socket.destroy(), 1000, { unref: true });
  }

  destroy(): void {
    this.closed = true;
    this.dropBacklog();
    this.socket.destroy();
  }

  private dropBacklog(): void {
    this.backlog.length = 0;
    this.backlogBytes = 0;
  }
}

function socketTuning(socket: Socket): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
}
