import uWS from 'uWebSockets.js';
import type { AnyActorLogic } from 'xstate';
import type { Logger } from 'pino';
import type { ActorSystem } from '../actor/index.js';
import {
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ShuttingDownError,
  toHttpError,
  InvalidJsonError,
  UnsupportedMediaTypeError,
} from '../errors/index.js';
import { decodeBody, encodeBody, wantsMsgpack } from './codec.js';
import { statusLine } from './errors-view.js';
import { emptyHooks, type HookName, type Hooks } from './hooks.js';
import { Router } from './router.js';
import type { HttpMethod, HttpRequest, HttpResponse, RouteDefinition, WsRouteDefinition } from './types.js';
import { SchemaCompiler } from './validation.js';
import { WsHub, type WsOptions } from './ws.js';

export interface HttpServerOptions {
  system: ActorSystem;
  log: Logger;
  /** The route-handler actor logic (from `actors/route-handler`), injected by main.ts. */
  routeLogic: AnyActorLogic;
  routeAccepts: (snapshot: any) => boolean;
  host: string;
  port: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  maxBackpressureBytes: number;
  corsAllowOrigins: string[];
  routeMailbox: number;
  routeConcurrency: number;
  ws: WsOptions;
}

interface MountedRoute {
  def: RouteDefinition;
  actor: string;
  validate?: (value: unknown) => void;
  bodyMode: NonNullable<RouteDefinition['body']>;
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
  private inFlight = 0;
  private closing = false;
  private boundPort = 0;
  private routeSeq = 0;
  private counts = { requests: 0, rejected503: 0 };

  constructor(private readonly options: HttpServerOptions) {
    this.app = uWS.App();
    this.ws = new WsHub(options.ws, options.log);
    this.app.any('/*', (res, req) => this.onHttp(res, req));
  }

  get port(): number {
    return this.boundPort;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get stats(): { requests: number; rejected503: number; inFlight: number } {
    return { ...this.counts, inFlight: this.inFlight };
  }

  addHook<K extends HookName>(name: K, fn: Hooks[K][number]): void {
    (this.hooks[name] as unknown[]).push(fn);
  }

  /** Mounts a route, each with its own route-handler actor. Schemas compile here, once. */
  route(def: RouteDefinition): void {
    const actor = `route:${def.method} ${def.path}#${this.routeSeq++}`;
    this.options.system.spawn(actor, this.options.routeLogic, {
      kind: 'route',
      input: { handler: def.handler, concurrency: def.concurrency ?? this.options.routeConcurrency },
      mailbox: def.mailbox ?? this.options.routeMailbox,
      accepts: this.options.routeAccepts,
      parent: def.owner,
    });
    const mounted: MountedRoute = {
      def,
      actor,
      bodyMode: def.body ?? (def.bodySchema ? 'json' : 'optional-json'),
    };
    if (def.bodySchema) mounted.validate = this.schemas.compile(def.bodySchema);
    this.router.add(def.method, def.path, mounted);
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
    this.ws.mount(this.app, def);
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.app.listen(this.options.host, this.options.port, (token) => {
        if (!token) return reject(new Error(`cannot listen on ${this.options.host}:${this.options.port}`));
        this.listenSocket = token;
        this.boundPort = uWS.us_socket_local_port(token as unknown as uWS.us_socket);
        resolve(this.boundPort);
      });
    });
  }

  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes WebSockets. */
  async close(graceMs: number): Promise<boolean> {
    this.closing = true;
    if (this.listenSocket) {
      uWS.us_listen_socket_close(this.listenSocket);
      this.listenSocket = false;
    }
    const deadline = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    this.ws.closeAll(1001, 'server shutting down');
    const drained = this.inFlight === 0;
    (this.app as unknown as { close?: () => void }).close?.();
    return drained;
  }

  // ---- request path ----

  private onHttp(res: uWS.HttpResponse, req: uWS.HttpRequest): void {
    this.counts.requests++;
    const started = performance.now();
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl();
    const request: HttpRequest = {
      method,
      path,
      params: {},
      queryString: req.getQuery() ?? '',
      headers: {},
      body: undefined,
    };
    req.forEach((k, v) => {
      request.headers[k] = v;
    });
    const state = { aborted: false, done: false };
    res.onAborted(() => {
      state.aborted = true;
      if (!state.done) {
        state.done = true;
        this.inFlight--;
      }
    });
    this.inFlight++;

    const finish = (response: HttpResponse) => this.write(res, state, request, response, started);
    const fail = (error: unknown, close = false) => this.fail(res, state, request, error, started, close);

    if (this.closing) return fail(new ShuttingDownError());
    if (method === 'OPTIONS' && this.options.corsAllowOrigins.length > 0) return finish(this.preflight(request));

    for (const hook of this.hooks.onRequest) {
      const early = hook(request);
      if (early) return finish(early);
    }

    const match = this.router.match(method, path);
    if (match.kind === 'not_found') return fail(new NotFoundError());
    if (match.kind === 'method_not_allowed') return fail(new MethodNotAllowedError(method, path));
    request.params = match.params;
    const mounted = match.value;

    const length = Number(request.headers['content-length'] ?? 0);
    const hasBody = length > 0 || request.headers['transfer-encoding'] !== undefined;
    if (length > this.options.maxBodyBytes) return fail(new PayloadTooLargeError(this.options.maxBodyBytes), true);

    if (!hasBody) {
      this.dispatch(mounted, request, undefined, finish, fail);
      return;
    }
    if (BODYLESS.has(method) && length === 0) {
      this.dispatch(mounted, request, undefined, finish, fail);
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    res.onData((chunk, isLast) => {
      if (state.done) return;
      total += chunk.byteLength;
      if (total > this.options.maxBodyBytes) {
        this.fail(res, state, request, new PayloadTooLargeError(this.options.maxBodyBytes), started, true);
        return;
      }
      chunks.push(Buffer.from(new Uint8Array(chunk)));
      if (isLast) this.dispatch(mounted, request, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), finish, fail);
    });
  }

  private dispatch(
    mounted: MountedRoute,
    request: HttpRequest,
    raw: Buffer | undefined,
    finish: (r: HttpResponse) => void,
    fail: (e: unknown, close?: boolean) => void,
  ): void {
    try {
      this.prepareBody(mounted, request, raw);
      for (const hook of this.hooks.preValidation) hook(request);
      mounted.validate?.(request.body);
      for (const hook of this.hooks.preHandler) {
        const early = hook(request);
        if (early) return finish(early);
      }
    } catch (error) {
      return fail(error);
    }
    this.options.system
      .ask<HttpResponse>(mounted.actor, { type: 'http.request', request }, this.options.requestTimeoutMs)
      .then(finish, fail);
  }

  private prepareBody(mounted: MountedRoute, request: HttpRequest, raw: Buffer | undefined): void {
    const mode = mounted.bodyMode;
    if (mode === 'none') return;
    if (raw && raw.length > 0) request.rawBody = raw;
    if (mode === 'any') return;
    const contentType = request.headers['content-type'] ?? '';
    if (mode === 'json' && (!raw || raw.length === 0)) {
      if (!/json|msgpack/i.test(contentType)) throw new UnsupportedMediaTypeError(contentType);
      throw new InvalidJsonError('the request has no body');
    }
    if (raw && raw.length > 0) request.body = decodeBody(raw, contentType);
  }

  private preflight(request: HttpRequest): HttpResponse {
    return {
      status: 204,
      raw: '',
      headers: {
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? 'Content-Type, Authorization',
        'Access-Control-Max-Age': '600',
      },
    };
  }

  private fail(
    res: uWS.HttpResponse,
    state: { aborted: boolean; done: boolean },
    request: HttpRequest,
    error: unknown,
    started: number,
    closeConnection = false,
  ): void {
    const view = toHttpError(error);
    if (view.status >= 500 && view.status !== 503 && view.status !== 504) {
      this.options.log.error({ err: error, method: request.method, path: request.path }, 'route failed');
    }
    if (view.status === 503) this.counts.rejected503++;
    for (const hook of this.hooks.onError) hook(request, error);
    const headers: Record<string, string> = {};
    if (view.retryAfter !== undefined) headers['Retry-After'] = String(view.retryAfter);
    if (view.status === 405) headers['Allow'] = '';
    this.write(res, state, request, { status: view.status, body: view.body, headers }, started, closeConnection);
  }

  private write(
    res: uWS.HttpResponse,
    state: { aborted: boolean; done: boolean },
    request: HttpRequest,
    response: HttpResponse,
    started: number,
    closeConnection = false,
  ): void {
    if (state.done) return;
    state.done = true;
    this.inFlight--;
    if (state.aborted) return;
    for (const hook of this.hooks.onSend) response = hook(request, response);
    const status = response.status ?? 200;
    let bytes: Buffer | string;
    let type: string | undefined;
    if (response.raw !== undefined) {
      bytes = response.raw;
      type = response.contentType;
    } else if (response.body !== undefined) {
      ({ bytes, type } = encodeBody(response.body, wantsMsgpack(request.headers['accept'] ?? '')));
    } else {
      bytes = '';
    }
    const origin = request.headers['origin'];
    const cors = origin !== undefined && this.corsAllows(origin) ? origin : undefined;
    res.cork(() => {
      res.writeStatus(statusLine(status));
      if (type) res.writeHeader('Content-Type', type);
      if (response.headers) for (const [k, v] of Object.entries(response.headers)) if (v !== '') res.writeHeader(k, v);
      if (cors) {
        res.writeHeader('Access-Control-Allow-Origin', cors);
        res.writeHeader('Vary', 'Origin');
      }
      if (request.method === 'HEAD') res.endWithoutBody(Buffer.byteLength(bytes), closeConnection);
      else res.end(bytes, closeConnection);
    });
    for (const hook of this.hooks.onResponse) hook(request, status, performance.now() - started);
  }

  private corsAllows(origin: string): boolean {
    const allow = this.options.corsAllowOrigins;
    return allow.length > 0 && (allow.includes('*') || allow.includes(origin));
  }
}

export type { HttpMethod };
