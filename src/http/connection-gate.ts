import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../actor/clock.js';

/**
 * `http.maxConnections`: a bound on the client TCP connections (REST and WebSocket) the HTTP
 * server keeps open.
 *
 * What this uWebSockets.js build allows, measured: it reports nothing when a plain HTTP
 * connection opens or closes, gives a request no handle on its connection once answered, accepts
 * every connection itself, and its listening socket cannot be opened again while any connection
 * is open (no SO_REUSEADDR: EADDRINUSE), so new connections cannot be refused at the TCP level
 * without a proxy in front. It closes a connection that has not completed a request within about
 * 10 s, but keeps an answered keep-alive connection open indefinitely.
 *
 * So the count comes from the kernel: the server-side sockets on the listening port in
 * `/proc/self/net/tcp` (and `tcp6` for an IPv6 listener; ESTABLISHED or CLOSE_WAIT), read every
 * `http.connectionCheckMs` (but only every tenth time while `/proc/self/net/sockstat`, read in
 * microseconds, shows fewer TCP sockets in the whole namespace than the limit). While the count is over the limit, every response closes its
 * connection (`Connection: close`), each one counted gone, until the count is back at the limit:
 * a connection past the limit gets its answer and is closed instead of kept alive. What this
 * bounds: connections kept open after a response, to the limit plus those answered within one
 * check interval before the reading saw them. Not bounded by it: connections opened and not yet
 * answered (uWebSockets.js closes them after ~10 s; `ws.maxClients` bounds WebSockets), and a
 * connection is never refused before its first answer.
 */

/** Socket states that hold a server connection: ESTABLISHED, CLOSE_WAIT (the peer closed, we not yet). */
const HELD = new Set(['01', '08']);
const LINE = /^\s*\d+: [0-9A-F]+:([0-9A-F]{4}) [0-9A-F]+:[0-9A-F]{4} ([0-9A-F]{2}) /gm;

/** Server-side connections on `port` in the text of `/proc/net/tcp` or `tcp6` (pure). */
export function countServerConnections(table: string, port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  LINE.lastIndex = 0;
  for (let m = LINE.exec(table); m !== null; m = LINE.exec(table)) if (m[1] === hex && HELD.has(m[2]!)) n++;
  return n;
}

/** How many responses should close their connection with `count` held (pure): those over the limit. */
export const excess = (count: number, max: number): number => Math.max(0, count - max);

export interface ConnectionGateOptions {
  max: number;
  checkMs: number;
  clock: Clock;
  log: Logger;
  /** The listening port (known once listening). */
  port(): number;
  /** The connection tables (`tablesFor(host)`; tests give their own). */
  read: () => Promise<string[]>;
  /**
   * A cheap upper bound on the connections (`sockstatBound(host)`: every TCP socket in use in the
   * network namespace), or null when unknown. While it is within the limit nothing can be over it,
   * so the table is read only every `FULL_EVERY` checks (to keep the reported count fresh).
   */
  bound?: CheapBound;
}

/** Checks between two full table readings while the cheap bound is within the limit. */
export const FULL_EVERY = 10;

const IN_USE = { TCP: /^TCP: inuse (\d+)/m, TCP6: /^TCP6: inuse (\d+)/m } as const;

/** TCP sockets in use in `/proc/self/net/sockstat` (or `sockstat6`) text, null if absent (pure). */
export function sockstatInUse(text: string, family: 'TCP' | 'TCP6'): number | null {
  const m = IN_USE[family].exec(text);
  return m ? Number(m[1]) : null;
}

/** A cheap bound read again and again; `close` lets go of what it holds open. */
export interface CheapBound {
  (): number | null;
  close?: () => void;
}

/**
 * A small `/proc` file read from its start through one descriptor kept open and one buffer: no
 * open, close or allocation per reading (the kernel writes the file afresh at offset 0).
 */
class ProcFile {
  private fd: number | undefined;
  private readonly buf = Buffer.allocUnsafe(4096);

  constructor(private readonly path: string) {}

  read(): string {
    this.fd ??= openSync(this.path, 'r');
    return this.buf.toString('latin1', 0, readSync(this.fd, this.buf, 0, this.buf.length, 0));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Every TCP socket in use in this network namespace (listening, client and server sides,
 * ESTABLISHED or CLOSE_WAIT among them): an upper bound on the server's connections read in a few
 * microseconds, where the connection table costs a walk of the kernel's whole hash (1-2 ms).
 */
export function sockstatBound(host: string): CheapBound {
  const v6 = host.includes(':');
  const four = new ProcFile('/proc/self/net/sockstat');
  const six = new ProcFile('/proc/self/net/sockstat6');
  const bound: CheapBound = () => {
    try {
      const v4 = sockstatInUse(four.read(), 'TCP');
      if (v4 === null) return null;
      if (!v6) return v4;
      const in6 = sockstatInUse(six.read(), 'TCP6');
      return in6 === null ? null : v4 + in6;
    } catch {
      return null;
    }
  };
  bound.close = () => {
    four.close();
    six.close();
  };
  return bound;
}

/**
 * The kernel's connection tables for a listener on `host`: IPv4 only for an IPv4 address (each
 * reading walks the kernel's whole table: about 1-2 ms of CPU), both for an IPv6 one (`::` takes
 * IPv4 clients as mapped addresses, in tcp6).
 */
export function tablesFor(host: string): () => Promise<string[]> {
  const files = host.includes(':') ? ['/proc/self/net/tcp', '/proc/self/net/tcp6'] : ['/proc/self/net/tcp'];
  return async () => {
    const out: string[] = [];
    for (const f of files) {
      try {
        out.push(await readFile(f, 'latin1'));
      } catch (error) {
        // No IPv6 table is fine (IPv6 off); no IPv4 one means no /proc (not Linux).
        if (f === files[0]) throw error;
      }
    }
    return out;
  };
}

export class ConnectionGate {
  /** Connections counted at the last reading (minus those closed by shedding since). */
  count = 0;
  /** Responses that closed their connection because the count was over the limit. */
  shedTotal = 0;
  /** Whether the last reading was over the limit (logged once per episode). */
  private over = false;
  private timer: TimerHandle | undefined;
  private checking = false;
  private stopped = false;
  /** Checks since the last full reading. */
  private sinceFull = 0;
  /** Full readings of the connection table (the cheap bound spared the others). */
  fullReadings = 0;
  private readonly read: () => Promise<string[]>;

  constructor(private readonly options: ConnectionGateOptions) {
    this.read = options.read;
  }

  /** Starts the readings (after the server listens). Without /proc, warns and limits nothing. */
  async start(): Promise<void> {
    try {
      await this.read();
    } catch {
      this.options.log.warn('http.maxConnections is not enforced: /proc/self/net/tcp cannot be read (not Linux?)');
      return;
    }
    await this.check();
    this.timer = this.options.clock.setInterval(() => void this.check(), this.options.checkMs, { unref: true });
  }

  stop(): void {
    this.stopped = true;
    this.options.bound?.close?.();
    this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Over the limit: this response should close its connection (counted gone until the next reading). */
  shed(): boolean {
    if (excess(this.count, this.options.max) === 0) return false;
    this.count--;
    this.shedTotal++;
    return true;
  }

  /** One reading and what follows from it. */
  async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      const port = this.options.port();
      if (port <= 0) return;
      const bound = this.options.bound?.() ?? null;
      if (bound !== null && bound <= this.options.max && !this.over && ++this.sinceFull < FULL_EVERY) {
        // Nothing can be over the limit: `count` stays the last full reading's (or less, the bound).
        this.count = Math.min(this.count, bound);
        return;
      }
      this.sinceFull = 0;
      this.fullReadings++;
      let n = 0;
      for (const table of await this.read()) n += countServerConnections(table, port);
      if (this.stopped) return;
      this.count = n;
      const over = excess(n, this.options.max) > 0;
      if (over && !this.over) this.options.log.warn({ connections: n, max: this.options.max }, 'over http.maxConnections: responses close their connections until back at it');
      this.over = over;
    } catch (error) {
      this.options.log.warn({ err: error }, 'counting HTTP connections failed');
    } finally {
      this.checking = false;
    }
  }
}
