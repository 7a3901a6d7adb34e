/**
 * The southbound: TCP (and optional TLS) listeners for OpenFlow switches, one
 * SwitchConnection actor per socket, the dpid ownership table with the
 * duplicate-dpid policy (README.md), and the SwitchService NApps use.
 */
import net, { type Server, type Socket } from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import type { AnyActorLogic } from 'xstate';
import type { ActorSystem } from '../actor/index.js';
import { ErrorCode } from '../errors/index.js';
import type { MultipartReplyMessage, OfMessage } from '../openflow/index.js';
import type { SwitchActorLogic } from './actor-protocol.js';
import { SwitchSocket, TickWrites, bindEffects, type ConnectionHost } from './connection.js';
import { DEFAULT_SOUTHBOUND_OPTIONS, type SouthboundOptions } from './options.js';
import { certificateRefusal } from './cert-dpids.js';
import { SwitchNotConnectedError, SwitchRequestError, type RequestOptions, type SwitchConnectionInfo, type SwitchService } from './service.js';

export interface SouthboundDeps {
  system: ActorSystem;
  /** The switch-connection machine (actors/switch-connection/machine.ts), passed in by main.ts. */
  logic: SwitchActorLogic;
  options?: Partial<SouthboundOptions>;
}

export class Southbound implements SwitchService, ConnectionHost {
  readonly system: ActorSystem;
  readonly logic: AnyActorLogic;
  readonly options: SouthboundOptions;
  /** One flush per tick for every connection that has bytes to write. */
  readonly writes = new TickWrites();
  readonly stats = { accepted: 0, mailboxFull: 0, framesIn: 0, framesOut: 0, badFrames: 0, bufferOverflows: 0, pauses: 0, refusedDuplicates: 0, replaced: 0, refusedCertificates: 0 };

  private tcp?: Server;
  private tlsServer?: tls.Server;
  private readonly prefix = randomBytes(3).toString('hex');
  private seq = 0;
  private readonly connections = new Map<string, SwitchSocket>();
  /** dpid -> connection id that owns it (granted at FEATURES_REPLY). */
  private readonly owners = new Map<string, string>();
  /** dpid -> ready connection. */
  private readonly ready = new Map<string, SwitchConnectionInfo>();
  private stopping = false;
  private offCrash?: () => void;

  constructor(deps: SouthboundDeps) {
    this.system = deps.system;
    this.logic = bindEffects(deps.logic, (id) => this.connections.get(id));
    this.options = { ...DEFAULT_SOUTHBOUND_OPTIONS, ...deps.options };
  }

  /** Starts the listeners; resolves with the bound ports. */
  async start(): Promise<{ port: number; tlsPort?: number }> {
    this.stopping = false;
    // A switch actor that crashes (a bug) is not restarted: its socket is closed, the switch reconnects.
    this.offCrash ??= this.system.bus.on(['lattice/core\\.actor\\.crashed'], (ev) => {
      const name = String(ev.content.actor ?? '');
      if (!name.startsWith('switch:')) return;
      const conn = this.connections.get(name.slice('switch:'.length));
      if (!conn) return;
      const dpid = [...this.owners].find(([, id]) => id === conn.connectionId)?.[0] ?? null;
      this.connectionClosed(conn, dpid, dpid !== null, 'actor_crashed');
      this.system.bus.publish('kytos/core.openflow.connection.lost', {
        connection_id: conn.connectionId,
        connection: conn.remote,
        dpid,
        reason: 'actor_crashed',
      });
      conn.destroy();
      this.system.stop(name);
    });
    let port = 0;
    if (this.options.plaintext) {
      this.tcp = net.createServer({ noDelay: true }, (s) => this.accept(s));
      port = await listen(this.tcp, this.options.host, this.options.port);
    }
    let tlsPort: number | undefined;
    const t = this.options.tls;
    if (t) {
      this.tlsServer = tls.createServer(
        {
          cert: t.cert,
          key: t.key,
          ca: t.ca,
          requestCert: Boolean(t.requireClientCert),
          rejectUnauthorized: Boolean(t.requireClientCert),
        },
        (s) => this.accept(s),
      );
      this.tlsServer.on('tlsClientError', (err) => this.system.log.debug({ err }, 'TLS handshake with a switch failed'));
      tlsPort = await listen(this.tlsServer, this.options.host, t.port);
    }
    this.system.log.info({ port, tlsPort }, 'OpenFlow listener started');
    return { port, tlsPort };
  }

  /** Stops listening and closes every switch connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.offCrash?.();
    this.offCrash = undefined;
    const closing = [this.tcp, this.tlsServer].filter(Boolean).map((s) => new Promise<void>((r) => s!.close(() => r())));
    for (const c of this.connections.values()) c.destroy();
    await Promise.all(closing);
    this.tcp = undefined;
    this.tlsServer = undefined;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    this.stats.accepted++;
    const id = `${this.prefix}-${++this.seq}`;
    const conn = new SwitchSocket(this, socket, id);
    this.connections.set(id, conn);
    try {
      conn.start();
    } catch (err) {
      this.system.log.error({ err, conn: id }, 'cannot start switch actor');
      this.connections.delete(id);
      socket.destroy();
    }
  }

  // ---- ConnectionHost ----

  /**
   * Duplicate-dpid policy: the first connection to present a dpid owns it. A
   * newcomer for an owned dpid triggers one echo probe of the owner: if the owner
   * answers within `duplicateProbeMs` it keeps the dpid and the newcomer is closed;
   * if it is silent it is closed ("replaced") and the newcomer takes over.
   */
  claimDpid(conn: SwitchSocket, dpid: string): void {
    const refusal = certificateRefusal(this.options.tls?.dpidsByCertificate ?? {}, conn.certificate(), dpid);
    if (refusal) {
      this.stats.refusedCertificates++;
      const cert = conn.certificate();
      this.system.log.warn({ dpid, conn: conn.connectionId, remote: conn.remote, reason: refusal, certificate: cert?.cn ?? null }, 'switch refused: its certificate does not cover the dpid it announced');
      this.system.bus.publish('lattice/southbound.switch.refused', { dpid, connection: conn.remote, connection_id: conn.connectionId, reason: refusal, certificate_cn: cert?.cn ?? null });
      conn.tell({ type: 'close', reason: refusal });
      return;
    }
    void this.system.locks.run(`southbound:dpid:${dpid}`, async () => {
      const current = this.owners.get(dpid);
      const owner = current === undefined ? undefined : this.connections.get(current);
      if (!owner || current === conn.connectionId || !this.system.has(owner.actorName)) {
        this.owners.set(dpid, conn.connectionId);
        conn.tell({ type: 'dpid.granted' });
        return;
      }
      const alive = await this.probe(owner);
      if (!this.connections.has(conn.connectionId)) return; // the newcomer left meanwhile
      if (alive) {
        this.stats.refusedDuplicates++;
        this.system.log.warn({ dpid, owner: owner.connectionId, newcomer: conn.connectionId }, 'duplicate dpid refused: owner is alive');
        conn.tell({ type: 'dpid.refused', owner: owner.connectionId });
        return;
      }
      this.stats.replaced++;
      this.system.log.warn({ dpid, old: owner.connectionId, new: conn.connectionId }, 'silent connection replaced by a new one for its dpid');
      this.owners.set(dpid, conn.connectionId);
      this.ready.delete(dpid);
      owner.tell({ type: 'close', reason: 'replaced' });
      conn.tell({ type: 'dpid.granted' });
    });
  }

  /** One echo to the current owner: true when it answers in time (or is still in its handshake). */
  private async probe(owner: SwitchSocket): Promise<boolean> {
    const ms = this.options.duplicateProbeMs;
    try {
      await this.system.ask(
        owner.actorName,
        { type: 'of.request', messages: [{ type: 'echo_request', version: 4, xid: 0, data: Buffer.from('lattice-probe') }], expect: 'reply', timeoutMs: ms },
        ms + 500,
      );
      return true;
    } catch (err) {
      // Mid-handshake owners are not silent; timeouts and gone actors are.
      return err instanceof SwitchRequestError && err.code === ErrorCode.SwitchNotReady;
    }
  }

  switchReady(conn: SwitchSocket, dpid: string): void {
    if (this.owners.get(dpid) !== conn.connectionId) return;
    this.ready.set(dpid, {
      dpid,
      connectionId: conn.connectionId,
      remote: conn.remote,
      actor: conn.actorName,
      readySince: this.system.clock.now(),
    });
  }

  connectionClosed(conn: SwitchSocket, dpid: string | null, owner: boolean, reason: string): void {
    this.connections.delete(conn.connectionId);
    if (dpid && owner && this.owners.get(dpid) === conn.connectionId) {
      this.owners.delete(dpid);
      if (this.ready.get(dpid)?.connectionId === conn.connectionId) this.ready.delete(dpid);
    }
    this.system.log.debug({ conn: conn.connectionId, dpid, reason }, 'switch connection closed');
  }

  // ---- SwitchService ----

  list(): SwitchConnectionInfo[] {
    return [...this.ready.values()];
  }

  get(dpid: string): SwitchConnectionInfo | undefined {
    return this.ready.get(dpid);
  }

  send(dpid: string, messages: OfMessage | OfMessage[]): boolean {
    const info = this.ready.get(dpid);
    if (!info) return false;
    return this.system.tell(info.actor, { type: 'of.send', messages: Array.isArray(messages) ? messages : [messages] });
  }

  request(dpid: string, message: OfMessage, opts: RequestOptions = {}): Promise<OfMessage> {
    return this.ask<OfMessage>(dpid, [message], 'reply', opts);
  }

  requestMultipart(dpid: string, message: OfMessage, opts: RequestOptions = {}): Promise<MultipartReplyMessage[]> {
    return this.ask<MultipartReplyMessage[]>(dpid, [message], 'multipart', opts);
  }

  async sendWithBarrier(dpid: string, messages: OfMessage[], opts: RequestOptions = {}): Promise<void> {
    await this.ask<OfMessage>(dpid, messages, 'barrier', opts);
  }

  disconnect(dpid: string, reason = 'disconnect_requested'): boolean {
    const info = this.ready.get(dpid);
    if (!info) return false;
    return this.system.tell(info.actor, { type: 'close', reason });
  }

  private ask<R>(dpid: string, messages: OfMessage[], expect: 'reply' | 'multipart' | 'barrier', opts: RequestOptions): Promise<R> {
    const info = this.ready.get(dpid);
    if (!info) return Promise.reject(new SwitchNotConnectedError(dpid));
    const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs;
    // The actor times the request out itself (SWITCH_TIMEOUT); the ask's own timeout is a backstop.
    // A message made for this one ask: the reply channel rides on it (no copy).
    return this.system.askOwned<R>(info.actor, { type: 'of.request', messages, expect, timeoutMs }, timeoutMs + 1000);
  }
}

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 1024 }, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
