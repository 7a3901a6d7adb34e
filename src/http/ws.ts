import uWS from 'uWebSockets.js';
import type { Logger } from 'pino';
import type { Clock } from '../actor/index.js';
import { BodyTooComplexError } from '../errors/index.js';
import { packMsgpack, toJson } from './codec.js';
import type { DecodeLimits } from './decode-limits.js';
import { statusLine } from './errors-view.js';
import { decodeJson } from './json-decode.js';
import { decodeMsgpack } from './msgpack-decode.js';
import { formatRemoteAddress } from './remote-address.js';
import type { HttpRequest, HttpResponse, WsClient, WsRouteDefinition } from './types.js';

/** Runs before an upgrade with the request as HTTP hooks see it; a response refuses the upgrade. */
export type UpgradeGuard = (request: HttpRequest) => HttpResponse | void;

export interface WsOptions {
  /** Largest frame a client may send; larger closes the connection with 1009. */
  maxPayloadBytes: number;
  /** Bytes buffered for one client before it is dropped with 1013. */
  maxBufferedBytes: number;
  idleTimeoutSec: number;
  /** Clients at once; past it an upgrade answers 503. */
  maxClients?: number;
}

interface UserData {
  client?: Client;
  format: 'json' | 'msgpack';
}

/** Close code for a client that cannot keep up (RFC 6455 "Try Again Later"). */
export const WS_TRY_AGAIN_LATER = 1013;
/** Close code for a frame over the limit (RFC 6455 "Message Too Big"). */
export const WS_MESSAGE_TOO_BIG = 1009;

class Client implements WsClient {
  data: Record<string, unknown> = {};
  open = true;

  constructor(
    readonly id: number,
    readonly format: 'json' | 'msgpack',
    private readonly socket: uWS.WebSocket<UserData>,
    private readonly hub: WsHub,
    readonly path: string,
  ) {}

  send(value: unknown): boolean {
    if (!this.open) return false;
    const frame = this.format === 'msgpack' ? packMsgpack(value) : toJson(value);
    const size = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
    if (this.socket.getBufferedAmount() + size > this.hub.options.maxBufferedBytes) {
      this.hub.dropSlow(this);
      return false;
    }
    this.socket.cork(() => this.socket.send(frame, this.format === 'msgpack'));
    return true;
  }

  buffered(): number {
    return this.open ? this.socket.getBufferedAmount() : 0;
  }

  close(code = 1000, reason = ''): void {
    if (!this.open) return;
    this.open = false;
    this.socket.end(code, reason);
  }

  /** Drops the connection without a close handshake. */
  kill(): void {
    if (!this.open) return;
    this.open = false;
    this.socket.close();
  }
}

/**
 * WebSocket routes on the uWebSockets.js app. Every client's send buffer is
 * bounded: past the cap it is closed with 1013 and counted, so a client that
 * reads nothing cannot grow the server's memory.
 */
export class WsHub {
  private seq = 1;
  private readonly clients = new Set<Client>();
  /** Current definition per path; uWebSockets.js routes cannot be removed, so they look it up. */
  private readonly routes = new Map<string, WsRouteDefinition>();
  private readonly registered = new Set<string>();
  private dropped = 0;

  constructor(
    readonly options: WsOptions,
    private readonly log: Logger,
    private readonly clock: Clock,
    /** The request-body limits (`http.maxJsonDepth`, `http.maxJsonElements`), applied to client frames too. */
    private readonly decodeLimits: DecodeLimits,
    private readonly guard: UpgradeGuard = () => undefined,
  ) {}

  get stats(): { clients: number; droppedSlow: number; bufferedBytes: number } {
    let buffered = 0;
    for (const c of this.clients) buffered += c.buffered();
    return { clients: this.clients.size, droppedSlow: this.dropped, bufferedBytes: buffered };
  }

  dropSlow(client: Client): void {
    this.dropped++;
    this.log.warn({ client: client.id }, 'websocket client too slow, dropped');
    client.close(WS_TRY_AGAIN_LATER, 'client too slow');
    // The close frame may never be read either: cut the connection soon after.
    this.clock.setTimeout(() => client.kill(), 1000, { unref: true });
  }

  /** Every WebSocket path mounted now (both trailing-slash spellings) with its route. */
  mounted(): { path: string; def: WsRouteDefinition }[] {
    return [...this.routes].map(([path, def]) => ({ path, def }));
  }

  /** Removes the routes under a prefix; their clients are closed with 1001. */
  unmount(prefix: string): void {
    for (const path of [...this.routes.keys()]) if (path.startsWith(prefix)) this.routes.delete(path);
    for (const c of [...this.clients]) if (c.path.startsWith(prefix)) c.close(1001, 'route removed');
  }

  mount(app: uWS.TemplatedApp, def: WsRouteDefinition): void {
    const alt = def.path.endsWith('/') ? def.path.slice(0, -1) : `${def.path}/`;
    for (const path of [def.path, alt]) {
      this.routes.set(path, def);
      if (!this.registered.has(path)) {
        this.registered.add(path);
        app.ws(path, this.behavior(path));
      }
    }
  }

  private behavior(path: string): uWS.WebSocketBehavior<UserData> {
    const current = () => this.routes.get(path);
    const behavior: uWS.WebSocketBehavior<UserData> = {
      compression: uWS.DISABLED,
      // uWebSockets.js cuts a frame over its own limit without a close code; it
      // gets headroom so that our check can answer 1009 (Message Too Big).
      maxPayloadLength: Math.max(this.options.maxPayloadBytes * 4, this.options.maxPayloadBytes + 65_536),
      // Above our own cap, so that our check (and its 1013) runs first.
      maxBackpressure: this.options.maxBufferedBytes * 2,
      closeOnBackpressureLimit: 0,
      idleTimeout: this.options.idleTimeoutSec,
      upgrade: (res, req, context) => {
        if (!current()) {
          res.cork(() => {
            res.writeStatus('404 Not Found').writeHeader('Content-Type', 'application/json');
            res.end('{"description":"Not Found","code":404}');
          });
          return;
        }
        const def = current()!;
        const headers: Record<string, string> = {};
        req.forEach((k, v) => {
          headers[k] = v;
        });
        const request: HttpRequest = {
          method: 'GET',
          path: req.getUrl(),
          params: {},
          queryString: req.getQuery() ?? '',
          headers,
          body: undefined,
          remote: formatRemoteAddress(res.getRemoteAddress()),
          route: { method: 'GET', path: def.path, access: def.access, tokenAlways: false, adminOnly: false, ...(def.owner ? { owner: def.owner } : {}) },
        };
        let refused: HttpResponse | void;
        try {
          refused =
            this.clients.size >= (this.options.maxClients ?? Infinity)
              ? { status: 503, body: { description: 'Too many WebSocket clients', code: 503 }, headers: { 'Retry-After': '1' } }
              : this.guard(request);
        } catch (error) {
          this.log.warn({ err: error, path }, 'websocket upgrade guard failed');
          refused = { status: 500, body: { description: 'Internal server error', code: 500 } };
        }
        if (refused) {
          const answer = refused;
          res.cork(() => {
            res.writeStatus(statusLine(answer.status ?? 401)).writeHeader('Content-Type', 'application/json');
            for (const [k, v] of Object.entries(answer.headers ?? {})) res.writeHeader(k, v);
            res.end(toJson(answer.body ?? null));
          });
          return;
        }
        const query = new URLSearchParams(req.getQuery() ?? '');
        const protocol = req.getHeader('sec-websocket-protocol');
        const format = query.get('format') === 'msgpack' || protocol.split(',').map((s) => s.trim()).includes('msgpack') ? 'msgpack' : 'json';
        res.upgrade<UserData>(
          { format },
          req.getHeader('sec-websocket-key'),
          protocol.includes('msgpack') ? 'msgpack' : '',
          req.getHeader('sec-websocket-extensions'),
          context,
        );
      },
      open: (ws) => {
        const data = ws.getUserData();
        const def = current();
        const client = new Client(this.seq++, data.format, ws, this, path);
        data.client = client;
        this.clients.add(client);
        if (!def) {
          client.close(1001, 'route removed');
          return;
        }
        try {
          def.open?.(client);
        } catch (error) {
          this.log.warn({ err: error, path }, 'websocket open handler failed');
        }
      },
      message: (ws, message, isBinary) => {
        const client = ws.getUserData().client!;
        if (message.byteLength > this.options.maxPayloadBytes) {
          client.close(WS_MESSAGE_TOO_BIG, 'message too big');
          return;
        }
        let value: unknown;
        try {
          const bytes = Buffer.from(new Uint8Array(message));
          value = isBinary ? decodeMsgpack(bytes, this.decodeLimits) : decodeJson(bytes, this.decodeLimits);
        } catch (error) {
          const reason = error instanceof BodyTooComplexError ? error.message : 'expected JSON text or msgpack binary frames';
          client.send({ error: `malformed message: ${reason}` });
          return;
        }
        try {
          current()?.message?.(client, value);
        } catch (error) {
          this.log.warn({ err: error, path }, 'websocket message handler failed');
        }
      },
      close: (ws, code) => {
        const client = ws.getUserData().client;
        if (!client) return;
        client.open = false;
        this.clients.delete(client);
        try {
          current()?.close?.(client, code);
        } catch (error) {
          this.log.warn({ err: error, path }, 'websocket close handler failed');
        }
      },
    };
    return behavior;
  }

  closeAll(code: number, reason: string): void {
    for (const c of [...this.clients]) c.close(code, reason);
  }
}
