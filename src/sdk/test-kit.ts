/**
 * The test kit for NApp authors: a real controller on ephemeral loopback
 * ports, a real HTTP client and a real WebSocket client. Async only.
 *
 *   const t = await createTestController({ napps: [myNApp] });
 *   const res = await t.http.get('/api/me/my_napp/v1/things');
 *   await t.stop();
 */
import { Packr } from 'msgpackr';
import type { Logger } from 'pino';
import { createLogger } from '../log.js';
import WebSocket from 'ws';
import { systemClock, type Clock, type EventBus, type KytosEvent } from '../actor/index.js';
import { startController, tempDataDir, type Controller } from '../main.js';
import type { NAppDefinition } from './napp.js';
import type { ServiceBinding } from './contract.js';

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON or msgpack body; the text when it is neither; undefined when empty. */
  body: T;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  /** Ask for msgpack (`Accept: application/msgpack`). */
  msgpack?: boolean;
}

export interface TestHttpClient {
  readonly baseUrl: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  get<T = any>(path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  post<T = any>(path: string, json?: unknown, options?: RequestOptions): Promise<TestResponse<T>>;
  put<T = any>(path: string, json?: unknown, options?: RequestOptions): Promise<TestResponse<T>>;
  patch<T = any>(path: string, json?: unknown, options?: RequestOptions): Promise<TestResponse<T>>;
  delete<T = any>(path: string, json?: unknown, options?: RequestOptions): Promise<TestResponse<T>>;
}

export interface TestWsClient {
  readonly socket: WebSocket;
  /** Every message received so far (decoded). */
  readonly received: any[];
  send(value: unknown): void;
  /** Waits for the next message that satisfies `match`. */
  next<T = any>(match?: (m: any) => boolean, timeoutMs?: number): Promise<T>;
  /** Subscribes to event patterns and waits for the acknowledgement. */
  subscribe(patterns: string[]): Promise<void>;
  /** Resolves with the close code. */
  closed(): Promise<number>;
  close(): void;
}

export interface TestController {
  readonly controller: Controller;
  readonly http: TestHttpClient;
  readonly bus: EventBus;
  /** The HTTP port. */
  readonly port: number;
  /** The OpenFlow port switches connect to. */
  readonly openflowPort: number;
  /**
   * An HTTP client whose requests carry an admin's token: the first call
   * creates the user `test-admin` (through the first-run loopback bootstrap,
   * so call it before creating other users) and logs in.
   */
  asAdmin(): Promise<TestHttpClient>;
  ws(path?: string, options?: { format?: 'json' | 'msgpack' }): Promise<TestWsClient>;
  /** Waits for the next bus event whose name matches (Kytos regex semantics). */
  nextEvent(pattern: string, timeoutMs?: number): Promise<KytosEvent>;
  stop(): Promise<void>;
}

const packr = new Packr({ useRecords: false });

export function httpClient(baseUrl: string, defaultHeaders: Record<string, string> = {}): TestHttpClient {
  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse<T>> => {
    const headers: Record<string, string> = { ...defaultHeaders, ...options.headers };
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      if (options.contentType) headers['content-type'] = options.contentType;
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    if (options.msgpack) headers.accept = 'application/msgpack';
    const res = await fetch(baseUrl + path, { method, headers, body: body as BodyInit | undefined });
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    const text = type.includes('msgpack') ? '' : bytes.toString('utf8');
    let parsed: unknown = undefined;
    if (bytes.length > 0) {
      if (type.includes('msgpack')) parsed = packr.unpack(bytes);
      else if (type.includes('json')) parsed = JSON.parse(text);
      else parsed = text;
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
  const withBody =
    (method: string) =>
    <T>(path: string, json?: unknown, options: RequestOptions = {}) =>
      request<T>(method, path, { ...options, json: options.json ?? json });
  return {
    baseUrl,
    request,
    get: (path, options) => request('GET', path, options),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
    delete: withBody('DELETE'),
  };
}

export async function wsClient(url: string, format: 'json' | 'msgpack' = 'json'): Promise<TestWsClient> {
  const socket = new WebSocket(format === 'msgpack' ? `${url}${url.includes('?') ? '&' : '?'}format=msgpack` : url);
  const received: any[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  let closeCode: number | undefined;
  const closeWaiters: ((code: number) => void)[] = [];
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    const value = isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'));
    received.push(value);
    const i = waiters.findIndex((w) => w.match(value));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(value);
  });
  socket.on('close', (code: number) => {
    closeCode = code;
    for (const w of closeWaiters.splice(0)) w(code);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  // The test's own deadlines wait for real I/O: real time, whatever clock the controller runs on.
  const waitClock = systemClock();
  const client: TestWsClient = {
    socket,
    received,
    send: (value) => socket.send(format === 'msgpack' ? packr.pack(value) : JSON.stringify(value)),
    next: (match = () => true, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const seen = received.find(match);
        if (seen !== undefined) {
          received.splice(received.indexOf(seen), 1);
          return resolve(seen);
        }
        const timer = waitClock.setTimeout(() => reject(new Error('no matching WebSocket message in time')), timeoutMs);
        waiters.push({
          match,
          resolve: (m) => {
            waitClock.clearTimeout(timer);
            received.splice(received.indexOf(m), 1);
            resolve(m);
          },
        });
      }),
    subscribe: async (patterns) => {
      client.send({ subscribe: patterns });
      await client.next((m) => Array.isArray(m?.subscribed) && patterns.every((p) => m.subscribed.includes(p)));
    },
    closed: () => new Promise((resolve) => (closeCode !== undefined ? resolve(closeCode) : closeWaiters.push(resolve))),
    close: () => socket.close(),
  };
  return client;
}

const ADMIN = { username: 'test-admin', email: 'test-admin@example.com', password: 'Test-admin-1' };

/** Creates the test admin (first-run loopback bootstrap) and returns a client carrying its token. */
async function adminClient(http: TestHttpClient): Promise<TestHttpClient> {
  const created = await http.post('/api/kytos/core/auth/users/', ADMIN);
  if (created.status !== 201) throw new Error(`cannot create ${ADMIN.username}: ${created.status} ${created.text}`);
  const basic = Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64');
  const login = await http.get<{ token: string }>('/api/kytos/core/auth/login/', { headers: { authorization: `Basic ${basic}` } });
  if (login.status !== 200) throw new Error(`cannot log in as ${ADMIN.username}: ${login.status}`);
  return httpClient(http.baseUrl, { authorization: `Bearer ${login.body.token}` });
}

/** Starts a real controller for tests: ephemeral ports, a private data dir, silent logs. */
export async function createTestController(
  options: {
    napps?: NAppDefinition<any>[];
    config?: Record<string, Record<string, unknown>>;
    services?: readonly ServiceBinding<any>[];
    /** The controller's clock (e.g. a ManualClock to drive `after:` transitions and timers); the system clock when absent. */
    clock?: Clock;
    /** The controller's logger (e.g. `createLogger('info', stream)` to capture its lines); silent by default. */
    log?: Logger;
  } = {},
): Promise<TestController> {
  const overrides: Record<string, Record<string, unknown>> = {
    ...options.config,
    http: { host: '127.0.0.1', port: 0, ...options.config?.http },
    openflow: { host: '127.0.0.1', port: 0, ...options.config?.openflow },
    store: { dataDir: tempDataDir(), ...options.config?.store },
    napps: { enabled: [], ...options.config?.napps },
    log: { level: 'silent', ...options.config?.log },
  };
  const controller = await startController({
    overrides,
    napps: options.napps,
    services: options.services,
    clock: options.clock,
    log: options.log ?? createLogger(String(overrides.log!.level)),
  });
  const baseUrl = `http://127.0.0.1:${controller.httpPort}`;
  const sockets: TestWsClient[] = [];
  // The test's own deadlines wait for real I/O: real time, whatever clock the controller runs on.
  const waitClock = systemClock();
  const http = httpClient(baseUrl);
  let admin: Promise<TestHttpClient> | undefined;
  return {
    controller,
    http,
    bus: controller.system.bus,
    port: controller.httpPort,
    openflowPort: controller.openflowPort,
    asAdmin: () => (admin ??= adminClient(http)),
    ws: async (path = '/api/kytos/core/events/ws', o = {}) => {
      const c = await wsClient(`ws://127.0.0.1:${controller.httpPort}${path}`, o.format);
      sockets.push(c);
      return c;
    },
    nextEvent: (pattern, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = waitClock.setTimeout(() => {
          off();
          reject(new Error(`no event matching ${pattern} in time`));
        }, timeoutMs);
        const off = controller.system.bus.on([pattern], (event) => {
          waitClock.clearTimeout(timer);
          off();
          resolve(event);
        });
      }),
    stop: async () => {
      for (const s of sockets) s.socket.terminate();
      await controller.stop();
    },
  };
}
