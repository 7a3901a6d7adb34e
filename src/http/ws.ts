import uWS from 'uWebSockets.js';
import type { Logger } from 'pino';
import { packMsgpack, unpackMsgpack } from './codec.js';
import type { WsClient, WsRouteDefinition } from './types.js';

export interface WsOptions {
  /** Largest frame a client may send; larger closes the connection with 1009. */
  maxPayloadBytes: number;
  /** Bytes buffered for one client before it is dropped with 1013. */
  maxBufferedBytes: number;
  idleTimeoutSec: number;
}

interface UserData {
  client?: Client;
  format: 'json' | 'msgpack';
}

/** Close code for a client that cannot keep up (RFC 6455 "Try Again Later"). */
export const WS_TRY_AGAIN_LATER = 1013;

class Client implements WsClient {
  data: Record<string, unknown> = {};
  open = true;

  constructor(
    readonly id: number,
    readonly format: 'json' | 'msgpack',
    private readonly socket: uWS.WebSocket<UserData>,
    private readonly hub: WsHub,
  ) {}

  send(value: unknown): boolean {
    if (!this.open) return false;
    const frame = this.format === 'msgpack' ? packMsgpack(value) : JSON.stringify(value);
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
  private dropped = 0;

  constructor(
    readonly options: WsOptions,
    private readonly log: Logger,
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
    setTimeout(() => client.kill(), 1000).unref();
  }

  mount(app: uWS.TemplatedApp, def: WsRouteDefinition): void {
    const behavior: uWS.WebSocketBehavior<UserData> = {
      compression: uWS.DISABLED,
      maxPayloadLength: this.options.maxPayloadBytes,
      // Above our own cap, so that our check (and its 1013) runs first.
      maxBackpressure: this.options.maxBufferedBytes * 2,
      closeOnBackpressureLimit: 0,
      idleTimeout: this.options.idleTimeoutSec,
      upgrade: (res, req, context) => {
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
        const client = new Client(this.seq++, data.format, ws, this);
        data.client = client;
        this.clients.add(client);
        try {
          def.open?.(client);
        } catch (error) {
          this.log.warn({ err: error, path: def.path }, 'websocket open handler failed');
        }
      },
      message: (ws, message, isBinary) => {
        const client = ws.getUserData().client!;
        let value: unknown;
        try {
          const bytes = Buffer.from(new Uint8Array(message));
          value = isBinary ? unpackMsgpack(bytes) : JSON.parse(bytes.toString('utf8'));
        } catch {
          client.send({ error: 'malformed message: expected JSON text or msgpack binary frames' });
          return;
        }
        try {
          def.message?.(client, value);
        } catch (error) {
          this.log.warn({ err: error, path: def.path }, 'websocket message handler failed');
        }
      },
      close: (ws, code) => {
        const client = ws.getUserData().client;
        if (!client) return;
        client.open = false;
        this.clients.delete(client);
        try {
          def.close?.(client, code);
        } catch (error) {
          this.log.warn({ err: error, path: def.path }, 'websocket close handler failed');
        }
      },
    };
    app.ws(def.path, behavior);
    const alt = def.path.endsWith('/') ? def.path.slice(0, -1) : `${def.path}/`;
    app.ws(alt, behavior);
  }

  closeAll(code: number, reason: string): void {
    for (const c of [...this.clients]) c.close(code, reason);
  }
}
