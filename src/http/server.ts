import uWS from 'uWebSockets.js';
import type { AnyActorLogic } from 'xstate';
import type { Logger } from 'pino';
import { sleep, type ActorSystem, type Clock, type TimedReply } from '../actor/index.js';
import {
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ShuttingDownError,
  toHttpError,
  InvalidJsonError,
  UnsupportedMediaTypeError,
  LatticeError,
  ErrorCode,
  ConfigError,
} from '../errors/index.js';
import { BodyPool, POOLED_BODY_MIN } from './body-pool.js';
import { decodeAnyType, decodeBody, encodeBody, JSON_TYPE, MSGPACK_TYPE, wantsMsgpack } from './codec.js';
import type { DecodeLimits } from './decode-limits.js';
import { statusLine } from './errors-view.js';
import { emptyHooks, type HookName, type Hooks } from './hooks.js';
import { MetricsRegistry, type Metric } from '../metrics/index.js';
import { bytesCache } from './bytes-cache.js';
import { FrontRequest, headerOf } from './request.js';
import { isLoopbackAddress } from './loopback.js';
import { StatusCells } from './route-metrics.js';
import { Router } from './router.js';
import type { HttpMethod, HttpRequest, HttpResponse, RouteDefinition, RouteInfo, WsRouteDefinition } from './types.js';
import { SchemaCompiler } from './validation.js';
import { WsHub, type WsOptions } from './ws.js';
import { ConnectionGate, sockstatBound, tablesFor } from './connection-gate.js';

export interface HttpServerOptions {
  system: ActorSystem;
  log: Logger;
  /** Builds a route's actor logic (from `actors/route-handler`), injected by main.ts. */
  routeLogic: (handler: RouteDefinition['handler']) => AnyActorLogic;
  routeAccepts: (snapshot: any) => boolean;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Depth and element limits of JSON and msgpack bodies (and WebSocket frames), enforced while decoding. */
  decodeLimits: DecodeLimits;
  requestTimeoutMs: number;
  maxBackpressureBytes: number;
  corsAllowOrigins: string[];
  routeMailbox: number;
  routeConcurrency: number;
  ws: WsOptions;
  /** Per-route body limits ("METHOD /path" -> bytes), under `maxBodyBytes`. */
  maxBodyBytesByRoute?: Record<string, number>;
  /** Requests served at once; past it 503 at once. */
  maxInFlight?: number;
  /** Client TCP connections held at once (see connection-gate.ts); absent or 0: no limit. */
  maxConnections?: number;
  /** How often the connections are counted (ms). */
  connectionCheckMs?: number;
  /** Where request counts go (main.ts passes the controller's; a private one otherwise). */
  metrics?: MetricsRegistry;
  /** Time every request into `lattice_http_request_duration_seconds` (two clock reads per request). */
  latencyHistogram?: boolean;
}

interface MountedRoute {
  def: RouteDefinition;
  info: RouteInfo;
  maxBodyBytes: number;
  actor: string;
  validate?: (value: unknown) => void;
  bodyMode: NonNullable<RouteDefinition['body']>;
  /** Requests answered, per status class (index 1..5), made on first use. */
  answered: StatusCells;
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);
const DIRECT = { direct: true } as const;
/** Free body buffers kept for large JSON bodies (each http.maxBodyBytes): bodies in flight at once beyond it get their own. */
const BODY_POOL_KEEP = 4;
const OK_200 = Buffer.from(statusLine(200));
/** The methods with their own uWebSockets.js handler (its registration method, the method's name). */
const KNOWN_METHODS = [
  ['get', 'GET'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['del', 'DELETE'],
  ['head', 'HEAD'],
  ['options', 'OPTIONS'],
] as const;
/** Header bytes handed to uWebSockets.js as they are (see bytes-cache.ts); the content types a response names. */
const CONTENT_TYPE = Buffer.from('Content-Type');
const CONTENT_LENGTH = Buffer.from('Content-Length');
const contentTypeBytes = bytesCache(64);

/**
 * The uWebSockets.js front end. It copies what it needs out of `req`
 * synchronously, reads the body under a limit, decodes and validates it, then
 * asks the route's actor; the actor answers with a message and this adapter
 * writes it (corked). Route actors never touch `res`.
 */
export class HttpServer {
  readonly router = new Router<MountedRoute>();
  readonly hooks: Hooks = emptyHooks();
  readonly ws: WsHub;
  private readonly app: uWS.TemplatedApp;
  private readonly schemas = new SchemaCompiler();
  private listenSocket: uWS.us_listen_socket | false = false;
  /** `maxConnections`: counts the connections, closes those past the limit after their response (none without a limit). */
  gate: ConnectionGate | undefined;
  private inFlight = 0;
  /** Buffers lent to large JSON bodies while they arrive and are decoded (see body-pool.ts). */
  private readonly bodyPool: BodyPool;
  private closing = false;
  private boundPort = 0;
  private routeSeq = 0;
  /** True while a uWebSockets.js request handler runs: its socket is corked already. */
  private inHandler = false;
  private counts = { requests: 0, rejected503: 0 };
  /** Listening on a loopback address (127.0.0.0/8, ::1, localhost): every peer is a loopback one. */
  readonly loopbackOnly: boolean;
  readonly metrics: MetricsRegistry;
  private readonly requestsMetric: Metric;
  private readonly durationMetric: Metric | undefined;
  /** Requests that matched no route (404, 405, early answers). */
  private readonly unrouted: StatusCells;

  constructor(private readonly options: HttpServerOptions) {
    this.loopbackOnly = options.host.toLowerCase() === 'localhost' || isLoopbackAddress(options.host);
    if (options.corsAllowOrigins.includes('*')) throw new ConfigError('http.corsAllowOrigins: "*" is not allowed; list each origin (scheme://host[:port])', { key: 'http.corsAllowOrigins' });
    if (typeof (uWS as unknown as Record<string, unknown>).getParts !== 'function') {
      // The npm package silently falls back to a slow Node.js implementation when its binary does not load.
      options.log.warn('uWebSockets.js native binary not loaded: running on its Node.js fallback, performance is degraded');
    }
    this.bodyPool = new BodyPool(options.maxBodyBytes, BODY_POOL_KEEP);
    this.metrics = options.metrics ?? new MetricsRegistry();
    this.requestsMetric = this.metrics.get('httpRequests');
    this.durationMetric = options.latencyHistogram ? this.metrics.get('httpRequestDuration') : undefined;
    this.unrouted = new StatusCells(this.requestsMetric, '', this.durationMetric);
    this.metrics.get('httpRejected503').collectFrom(() => this.counts.rejected503);
    this.metrics.get('httpConnections').collectFrom(() => this.gate?.count ?? 0);
    this.metrics.get('httpConnectionsShed').collectFrom(() => this.gate?.shedTotal ?? 0);
    this.app = uWS.App();
    // A WebSocket upgrade meets the same preParsing hooks as a routed request (auth).
    this.ws = new WsHub(options.ws, options.log, options.system.clock, options.decodeLimits, (request) => {
      for (const hook of this.hooks.preParsing) {
        const early = hook(request);
        if (early) return early;
      }
      return undefined;
    });
    // One handler per usual method: uWebSockets.js matches them before `any`, and the method is then
    // known without `getMethod()` (a new string per request, looked up again to upper-case it).
    for (const [register, method] of KNOWN_METHODS) this.app[register]('/*', (res, req) => this.onHttp(res, req, method));
    this.app.any('/*', (res, req) => this.onHttp(res, req, undefined));
  }

  /** The actor system's clock (request timing, shutdown grace). */
  get clock(): Clock {
    return this.options.system.clock;
  }

  get port(): number {
    return this.boundPort;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get stats(): { requests: number; rejected503: number; inFlight: number; connections?: number; connectionsShed?: number } {
    return { ...this.counts, inFlight: this.inFlight, ...(this.gate ? { connections: this.gate.count, connectionsShed: this.gate.shedTotal } : {}) };
  }

  /**
   * Registers a lifecycle hook (see hooks.ts for where each runs); returns its
   * removal. Hooks are synchronous; a request path without hooks pays nothing.
   */
  addHook<K extends HookName>(name: K, fn: Hooks[K][number]): () => void {
    const list = this.hooks[name] as unknown[];
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Mounts a route, each with its own route-handler actor. Schemas compile here, once. */
  route(def: RouteDefinition): void {
    if (def.access !== 'read' && def.access !== 'write') {
      throw new Error(`route ${def.method} ${def.path} declares no access ('read' or 'write')`);
    }
    const actor = `route:${def.method} ${def.path}#${this.routeSeq++}`;
    this.options.system.spawn(actor, this.options.routeLogic(def.handler), {
      kind: 'route',
      input: { concurrency: def.concurrency ?? this.options.routeConcurrency },
      mailbox: def.mailbox ?? this.options.routeMailbox,
      accepts: this.options.routeAccepts,
      parent: def.owner,
    });
    const mounted: MountedRoute = {
      def,
      info: Object.freeze({
        method: def.method,
        path: def.path,
        access: def.access,
        tokenAlways: def.tokenAlways === true,
        adminOnly: def.adminOnly === true,
        ...(def.owner !== undefined ? { owner: def.owner } : {}),
      }),
      maxBodyBytes: Math.min(
        this.options.maxBodyBytesByRoute?.[`${def.method} ${def.path}`] ?? def.maxBodyBytes ?? this.options.maxBodyBytes,
        this.options.maxBodyBytes,
      ),
      actor,
      // A GET that declares no body ignores one, as Kytos-ng's do (a route that reads one says so).
      bodyMode: def.body ?? (def.bodySchema ? 'json' : BODYLESS.has(def.method) ? 'none' : 'optional-json'),
      answered: new StatusCells(this.requestsMetric, `${def.method} ${def.path}`, this.durationMetric),
    };
    if (def.bodySchema) mounted.validate = this.schemas.compile(def.bodySchema);
    this.router.add(def.method, def.path, mounted);
  }

  /** Every route mounted now, in the order added: method, path template, owner. */
  routeTable(): { method: HttpMethod; path: string; owner: string }[] {
    return this.router.routes().map((r) => ({ method: r.method, path: r.path, owner: r.value.def.owner ?? '' }));
  }

  /** Removes every route under a prefix and stops their actors (NApp unload). */
  unmount(prefix: string): void {
    const doomed = this.router.routes().filter((r) => r.path.startsWith(prefix));
    this.router.removePrefix(prefix);
    this.ws.unmount(prefix);
    for (const r of doomed) this.options.system.stop(r.value.actor);
  }

  /** Declares a WebSocket route. */
  wsRoute(def: WsRouteDefinition): void {
    if (def.access !== 'read' && def.access !== 'write') throw new Error(`WebSocket route ${def.path} declares no access ('read' or 'write')`);
    this.ws.mount(this.app, def);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.app.listen(this.options.host, this.options.port, (token) => {
        if (!token) return reject(new Error(`cannot listen on ${this.options.host}:${this.options.port}`));
        this.listenSocket = token;
        this.boundPort = uWS.us_socket_local_port(token as unknown as uWS.us_socket);
        resolve();
      });
    });
    const max = this.options.maxConnections ?? 0;
    if (max > 0 && !this.gate) {
      this.gate = new ConnectionGate({
        max,
        checkMs: this.options.connectionCheckMs ?? 1000,
        clock: this.options.system.clock,
        log: this.options.log,
        port: () => this.boundPort,
        read: tablesFor(this.options.host),
        bound: sockstatBound(this.options.host),
      });
      await this.gate.start();
    }
    return this.boundPort;
  }

  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes WebSockets. */
  async close(graceMs: number): Promise<boolean> {
    this.closing = true;
    this.gate?.stop();
    if (this.listenSocket) {
      uWS.us_listen_socket_close(this.listenSocket);
      this.listenSocket = false;
    }
    const clock = this.options.system.clock;
    const deadline = clock.monotonic() + graceMs;
    while (this.inFlight > 0 && clock.monotonic() < deadline) await sleep(clock, 5);
    this.ws.closeAll(1001, 'server shutting down');
    const drained = this.inFlight === 0;
    (this.app as unknown as { close?: () => void }).close?.();
    return drained;
  }

  // ---- request path ----

  private onHttp(res: uWS.HttpResponse, req: uWS.HttpRequest, method: string | undefined): void {
    this.inHandler = true;
    try {
      // The catch-all's methods: uWebSockets.js gives them in lower case.
      this.serve(res, req, method ?? req.getMethod().toUpperCase());
    } finally {
      this.inHandler = false;
    }
  }

  private serve(res: uWS.HttpResponse, req: uWS.HttpRequest, method: string): void {
    this.counts.requests++;
    const request = new FrontRequest(method, req.getUrl(), req.getQuery() ?? '', req, res);
    const ex = new Exchange(this, res, request, this.durationMetric !== undefined || this.hooks.onResponse.length > 0);
    try {
      this.handle(res, request, ex);
    } finally {
      request.release(ex.done);
    }
  }

  private handle(res: uWS.HttpResponse, request: FrontRequest, ex: Exchange): void {
    const { method, path } = request;
    this.inFlight++;

    if (this.closing) return ex.fail(new ShuttingDownError());
    if (method === 'OPTIONS' && this.options.corsAllowOrigins.length > 0) return ex.finish(this.preflight(request));

    if (this.inFlight > (this.options.maxInFlight ?? Infinity)) {
      return ex.fail(new LatticeError(ErrorCode.ServiceUnavailable, 'Too many requests in flight'), announcesBody(request));
    }
    if (this.hooks.onRequest.length > 0) {
      try {
        for (const hook of this.hooks.onRequest) {
          const early = hook(request);
          if (early) return ex.finish(early, announcesBody(request));
        }
      } catch (error) {
        return ex.fail(error, announcesBody(request));
      }
    }

    const match = this.router.match(method, path);
    if (match.kind === 'not_found') return ex.fail(new NotFoundError());
    if (match.kind === 'method_not_allowed') return ex.fail(new MethodNotAllowedError(method, path));
    request.params = match.params;
    const mounted = match.value;
    ex.answered = mounted.answered;
    request.route = mounted.info;
    // A write's peer goes in the audit log, written once it is answered (its socket read now).
    if (mounted.info.access === 'write') void request.remote;
    if (this.hooks.preParsing.length > 0) {
      try {
        for (const hook of this.hooks.preParsing) {
          const early = hook(request);
          if (early) return ex.finish(early, announcesBody(request));
        }
      } catch (error) {
        return ex.fail(error, announcesBody(request));
      }
    }

    const limit = mounted.maxBodyBytes;
    const declared = request.header('content-length');
    const length = declared === undefined ? 0 : Number(declared);
    if (length > limit) {
      // Closing at once while the client still sends makes its socket fail before it reads the 413
      // (a reset); a body up to twice the limit is read and dropped first, keeping nothing.
      if (length > 2 * limit) return ex.fail(new PayloadTooLargeError(limit), true);
      ex.watchAbort();
      res.onData((_chunk, isLast) => {
        if (isLast && !ex.done) ex.fail(new PayloadTooLargeError(limit));
      });
      return;
    }
    const hasBody = length > 0 || request.header('transfer-encoding') !== undefined;
    if (!hasBody || (BODYLESS.has(method) && length === 0)) {
      this.dispatch(mounted, ex, undefined);
      // Answered within the handler (a synchronous route): no abort to watch for.
      if (!ex.done) ex.watchAbort();
      return;
    }
    ex.watchAbort();
    if (mounted.bodyMode === 'none') {
      // Read to its end (the connection's next request follows it) and dropped, not copied; still
      // under the limit, which a body of unknown length (chunked) meets only here.
      let seen = 0;
      res.onData((chunk, isLast) => {
        if (ex.done) return;
        seen += chunk.byteLength;
        if (seen > limit) ex.fail(new PayloadTooLargeError(limit), true);
        else if (isLast) this.dispatch(mounted, ex, undefined);
      });
      return;
    }
    // A body of announced length is copied once, straight into its buffer: a JSON one into a
    // buffer lent by the pool (decoding leaves nothing pointing into it), the others into their own.
    let lent = length >= POOLED_BODY_MIN && this.bodyPool.lends(length) && lendable(mounted.bodyMode, request.header('content-type'));
    const into = length > 0 ? (lent ? this.bodyPool.take() : Buffer.allocUnsafe(length)) : undefined;
    // Chunks only for a body of unknown length (no Content-Length): the others go straight `into`.
    let chunks: Buffer[] | undefined;
    let total = 0;
    res.onData((chunk, isLast) => {
      const size = chunk.byteLength;
      if (ex.done || total + size > limit || (into && total + size > into.length)) {
        if (!ex.done) ex.fail(new PayloadTooLargeError(limit), true);
        lent = this.giveBack(lent, into);
        return;
      }
      if (into) into.set(new Uint8Array(chunk), total);
      else (chunks ??= []).push(Buffer.from(new Uint8Array(chunk)));
      total += size;
      if (!isLast) return;
      if (!into) return this.dispatch(mounted, ex, chunks!.length === 1 ? chunks![0]! : Buffer.concat(chunks!));
      this.dispatch(mounted, ex, into.subarray(0, total));
      // Decoded (or refused) synchronously in dispatch: the lent bytes are free again.
      lent = this.giveBack(lent, into);
    });
  }

  /** Gives a lent body buffer back to the pool (once: the caller keeps the `false` returned). */
  private giveBack(lent: boolean, into: Buffer | undefined): false {
    if (lent) this.bodyPool.give(into!);
    return false;
  }

  private dispatch(mounted: MountedRoute, ex: Exchange, raw: Buffer | undefined): void {
    const request = ex.request;
    try {
      this.prepareBody(mounted, request, raw);
      if (this.hooks.preValidation.length > 0) for (const hook of this.hooks.preValidation) hook(request);
      mounted.validate?.(request.body);
      if (this.hooks.preHandler.length > 0) {
        for (const hook of this.hooks.preHandler) {
          const early = hook(request);
          if (early) return ex.finish(early);
        }
      }
    } catch (error) {
      return ex.fail(error);
    }
    // The exchange is the reply channel: no promise, no closure per request.
    ex.asked(mounted.actor, this.options.system, this.options.requestTimeoutMs);
    this.options.system.askWith(mounted.actor, { type: 'http.request', request }, ex, DIRECT);
  }

  private prepareBody(mounted: MountedRoute, request: HttpRequest, raw: Buffer | undefined): void {
    const mode = mounted.bodyMode;
    if (mode === 'none' || (mode === 'optional-json' && raw === undefined)) return;
    if (mode === 'any') {
      if (raw && raw.length > 0) request.rawBody = raw;
      return;
    }
    const contentType = headerOf(request, 'content-type') ?? '';
    if (mode === 'json-any-type') {
      if (!raw || raw.length === 0) return;
      try {
        request.body = decodeAnyType(raw, contentType, this.options.decodeLimits);
      } catch (error) {
        // Not JSON: the route answers that in its own words (a body over a limit is refused here).
        if (!(error instanceof InvalidJsonError)) throw error;
        request.bodyError = error.message;
      }
      return;
    }
    if (mode === 'json' && (!raw || raw.length === 0)) {
      if (!/json|msgpack/i.test(contentType)) throw new UnsupportedMediaTypeError(contentType);
      throw new InvalidJsonError('the request has no body');
    }
    if (raw && raw.length > 0) request.body = decodeBody(raw, contentType, this.options.decodeLimits);
  }

  private preflight(request: HttpRequest): HttpResponse {
    return {
      status: 204,
      raw: '',
      headers: {
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': headerOf(request, 'access-control-request-headers') ?? 'Content-Type, Authorization',
        'Access-Control-Max-Age': '600',
      },
    };
  }

  /** @internal Called by Exchange when a request ends in an error. */
  errorResponse(request: HttpRequest, error: unknown): HttpResponse {
    const view = toHttpError(error);
    if (view.status >= 500 && view.status !== 503 && view.status !== 504) {
      this.options.log.error({ err: error, method: request.method, path: request.path }, 'route failed');
    }
    if (view.status === 503) this.counts.rejected503++;
    if (this.hooks.onError.length > 0) {
      for (const hook of this.hooks.onError) {
        try {
          hook(request, error);
        } catch (hookError) {
          this.options.log.error({ err: hookError, method: request.method, path: request.path }, 'onError hook failed');
        }
      }
    }
    const response: HttpResponse = { status: view.status, body: view.body };
    if (view.retryAfter !== undefined) response.headers = { 'Retry-After': String(view.retryAfter) };
    if (error instanceof MethodNotAllowedError) response.headers = { Allow: this.allowed(request.path) };
    return response;
  }

  private allowed(path: string): string {
    const m = this.router.match('\0', path);
    return m.kind === 'method_not_allowed' ? m.allowed.join(', ') : '';
  }

  /** @internal Called by Exchange once per request: the request is over. */
  ended(ex: Exchange): void {
    this.inFlight--;
    if (ex.to !== '') this.options.system.forgetAsk(ex);
  }

  /** The status line, headers and body, within a cork. */
  private writeNow(
    res: uWS.HttpResponse,
    request: HttpRequest,
    status: number,
    type: string | undefined,
    extra: HttpResponse['headers'] | EncodedHeaders,
    cors: string | undefined,
    closeConnection: boolean,
    bytes: Buffer | string,
  ): void {
    res.writeStatus(status === 200 ? OK_200 : statusLine(status));
    if (type) res.writeHeader(CONTENT_TYPE, contentTypeBytes(type));
    if (isEncoded(extra)) for (const [k, v] of extra) res.writeHeader(k, v);
    else if (extra) for (const k in extra) if (extra[k] !== '') res.writeHeader(k, extra[k]!);
    if (cors) {
      res.writeHeader('Access-Control-Allow-Origin', cors);
      res.writeHeader('Vary', 'Origin');
    }
    // Over http.maxConnections, responses close their connections until the count is back at it.
    const close = closeConnection || (this.gate !== undefined && this.gate.shed());
    if (request.method === 'HEAD') endHead(res, Buffer.byteLength(bytes), close);
    else res.end(bytes, close);
  }

  /** @internal Writes a response (corked). */
  writeResponse(
    res: uWS.HttpResponse,
    request: HttpRequest,
    response: HttpResponse,
    closeConnection: boolean,
    started: number,
    answered: StatusCells | undefined,
  ): void {
    // What uWebSockets.js would refuse half-way through the writes (and, inside its handler, abort
    // the process for) is found before anything is written: the route's mistake becomes a logged 500.
    let seen = inspect(response);
    if (typeof seen === 'string') {
      response = this.unsendable(request, seen);
      seen = undefined;
    }
    if (this.hooks.onSend.length > 0) {
      response = this.runOnSend(request, response);
      seen = inspect(response);
      if (typeof seen === 'string') {
        response = this.unsendable(request, `after the onSend hooks, ${seen}`);
        seen = undefined;
      }
    }
    let bytes: Buffer | string = '';
    let type: string | undefined;
    if (response.raw !== undefined) {
      bytes = response.raw;
      type = response.contentType;
    } else if (response.body !== undefined) {
      try {
        ({ bytes, type } = this.encoded(request, response.body));
      } catch (error) {
        response = this.unsendable(request, `its body cannot be encoded (${error instanceof Error ? error.message : String(error)})`);
        ({ bytes, type } = this.encoded(request, response.body));
      }
    }
    const status = response.status ?? 200;
    const cells = answered ?? this.unrouted;
    cells.count(status);
    const origin = headerOf(request, 'origin');
    const cors = origin !== undefined && this.corsAllows(origin) ? origin : undefined;
    const extra = response.headers;
    // Inside uWebSockets.js' handler the socket is corked; any later write is corked here.
    if (this.inHandler) this.writeNow(res, request, status, type, seen ?? extra, cors, closeConnection, bytes);
    else res.cork(() => this.writeNow(res, request, status, type, seen ?? extra, cors, closeConnection, bytes));
    if (this.durationMetric !== undefined) cells.observe((this.clock.monotonic() - started) / 1000);
    if (this.hooks.onResponse.length > 0) {
      const elapsed = this.clock.monotonic() - started;
      for (const hook of this.hooks.onResponse) {
        try {
          hook(request, status, elapsed);
        } catch (error) {
          this.options.log.error({ err: error, method: request.method, path: request.path }, 'onResponse hook failed');
        }
      }
    }
  }

  /** A body as JSON, or msgpack when the request asks for it. */
  private encoded(request: HttpRequest, body: unknown): { bytes: Buffer | string; type: string } {
    const accept = headerOf(request, 'accept');
    return encodeBody(body, accept !== undefined && wantsMsgpack(accept));
  }

  /** The 500 for a response that cannot be sent, logged with what is wrong with it. */
  private unsendable(request: HttpRequest, problem: string): HttpResponse {
    return this.errorResponse(request, new Error(`the route answered a response that cannot be sent: ${problem}`));
  }

  /** onSend hooks see the status (200 when the handler left it out) and may replace the response. */
  private runOnSend(request: HttpRequest, response: HttpResponse): HttpResponse {
    let current: HttpResponse = response.status === undefined ? { ...response, status: 200 } : response;
    try {
      for (const hook of this.hooks.onSend) current = hook(request, current as HttpResponse & { status: number });
      return current;
    } catch (error) {
      this.options.log.error({ err: error, method: request.method, path: request.path }, 'onSend hook failed');
      const view = toHttpError(error);
      return { status: view.status, body: view.body };
    }
  }

  /** An allowlist only: `*` is refused when the server is made. */
  private corsAllows(origin: string): boolean {
    return this.options.corsAllowOrigins.includes(origin);
  }
}

export type { HttpMethod };

/** A header name (RFC 9110 token) and a value without line breaks or NUL (no header injection). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_UNSAFE = /[\r\n\0]/;

/** A response's extra headers as bytes, empty values left out. */
type EncodedHeaders = readonly (readonly [Buffer, Buffer])[];

/**
 * Frozen responses found sendable, with their headers as bytes: a route that answers the same
 * frozen response again and again (a cached GET) has it checked and its headers encoded once.
 */
const sendable = new WeakMap<HttpResponse, EncodedHeaders>();

const isEncoded = (h: HttpResponse['headers'] | EncodedHeaders): h is EncodedHeaders => Array.isArray(h);

/**
 * What makes a response impossible to send (text), or, when it can be sent, its headers as bytes
 * if it is frozen (remembered: one lookup next time), else undefined.
 */
function inspect(r: HttpResponse): EncodedHeaders | string | undefined {
  return sendable.get(r) ?? responseProblem(r) ?? rememberSendable(r);
}

/** Remembers a sendable response when it cannot change (frozen, its headers too); their bytes then. */
function rememberSendable(r: HttpResponse): EncodedHeaders | undefined {
  const headers = r.headers;
  if (!Object.isFrozen(r) || (headers !== undefined && !Object.isFrozen(headers))) return undefined;
  const encoded: [Buffer, Buffer][] = [];
  if (headers !== undefined) for (const k in headers) if (headers[k] !== '') encoded.push([Buffer.from(k), Buffer.from(headers[k]!)]);
  sendable.set(r, encoded);
  return encoded;
}

/** What makes a route's response impossible to send as it is, or undefined (cheap: typeof and two tests per header). */
function responseProblem(r: HttpResponse): string | undefined {
  if (typeof r !== 'object' || r === null) return `it is ${r === null ? 'null' : typeof r}, not a response object ({ status, body, raw, contentType, headers })`;
  const status = r.status;
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) return `status ${String(status)} is not an HTTP status (an integer from 100 to 599)`;
  if (r.raw !== undefined && typeof r.raw !== 'string' && !(r.raw instanceof Uint8Array)) return 'raw is neither text nor bytes';
  if (r.contentType !== undefined && typeof r.contentType !== 'string') return 'contentType is not text';
  const headers = r.headers;
  if (headers !== undefined) {
    for (const name in headers) {
      const value: unknown = headers[name];
      if (typeof value !== 'string') return `header ${name} is ${value === null ? 'null' : typeof value}, not text`;
      if (!HEADER_NAME.test(name)) return `header name ${JSON.stringify(name)} is not a token`;
      if (HEADER_VALUE_UNSAFE.test(value)) return `header ${name} holds a line break or NUL`;
    }
  }
  return undefined;
}

/**
 * A HEAD answer: the GET's headers and length, no body. This uWebSockets.js binding takes
 * `endWithoutBody` only without arguments: given a length it answers nothing, and returning from
 * the handler unanswered aborts the process. So the length goes as a header (`endWithoutBody()`
 * writes none of its own); a connection to close gets an empty `end` instead (Content-Length 0).
 */
function endHead(res: uWS.HttpResponse, length: number, close: boolean): void {
  if (close) {
    res.end('', true);
    return;
  }
  res.writeHeader(CONTENT_LENGTH, String(length));
  res.endWithoutBody();
}

/** Whether a body may go into a lent buffer: decoded as JSON (strings copied out of it), never kept as rawBody or unpacked by msgpackr (which may point into its source). */
function lendable(mode: MountedRoute['bodyMode'], contentType: string | undefined): boolean {
  if (mode !== 'json' && mode !== 'optional-json') return false;
  const type = contentType?.toLowerCase() ?? '';
  return type.includes(JSON_TYPE) && !type.includes(MSGPACK_TYPE);
}

/** A request announcing a body: answered early, its connection is closed instead of reading the body. */
function announcesBody(request: FrontRequest): boolean {
  const length = request.header('content-length');
  return (length !== undefined && length !== '0') || request.header('transfer-encoding') !== undefined;
}

/**
 * One request's state: answered once, whether by the route, an error or an
 * abort. It is also the reply channel the route's actor answers through.
 */
class Exchange implements TimedReply<HttpResponse> {
  done = false;
  to = '';
  readonly messageType = 'http.request';
  timeoutMs = 0;
  /** The matched route's response counters (none until routed). */
  answered: StatusCells | undefined = undefined;
  private system?: ActorSystem;
  private deadlineAt = 0;
  private isAborted = false;
  private watching = false;
  /** Only taken when someone listens to onResponse. */
  private readonly started: number;

  constructor(
    private readonly server: HttpServer,
    private readonly res: uWS.HttpResponse,
    readonly request: FrontRequest,
    timed: boolean,
  ) {
    this.started = timed ? server.clock.monotonic() : 0;
  }

  aborted(): void {
    this.isAborted = true;
    this.end();
  }

  /**
   * uWebSockets.js must be told, before its handler returns, how to learn that a request not yet
   * answered was aborted; a request answered within the handler needs no such callback.
   */
  watchAbort(): void {
    if (this.watching) return;
    this.watching = true;
    this.res.onAborted(() => this.aborted());
  }

  get settled(): boolean {
    return this.done;
  }

  asked(to: string, system: ActorSystem, timeoutMs: number): void {
    this.to = to;
    this.system = system;
    this.timeoutMs = timeoutMs;
  }

  /** Taken when the runtime starts timing this request (not at all for a request answered at once). */
  get deadline(): number {
    if (this.deadlineAt === 0) this.deadlineAt = this.system!.askDeadline(this.timeoutMs);
    return this.deadlineAt;
  }

  resolve(response: HttpResponse): void {
    this.finish(response);
  }

  reject(error: unknown): void {
    this.fail(error);
  }

  finish(response: HttpResponse, closeConnection = false): void {
    if (this.done) return;
    this.end();
    if (this.isAborted) return;
    this.server.writeResponse(this.res, this.request, response, closeConnection, this.started, this.answered);
  }

  fail(error: unknown, closeConnection = false): void {
    if (this.done) return;
    this.finish(this.server.errorResponse(this.request, error), closeConnection);
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.request.answering();
    this.server.ended(this);
  }
}
