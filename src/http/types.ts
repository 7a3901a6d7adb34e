/** A request as a route handler sees it: copied out of uWebSockets.js, plain data. */
export interface HttpRequest {
  method: string;
  /** Path as requested, without the query string. */
  path: string;
  params: Record<string, string>;
  /** The raw query string, without `?`. */
  queryString: string;
  /**
   * Lower-case header names. The front end reads them from the socket when first asked (read
   * during the handler, or after an await: an unanswered request keeps them); `headerOf(req, name)`
   * reads one without the others.
   */
  headers: Record<string, string>;
  /**
   * Parsed body (JSON or msgpack), or undefined when there was none. Integers
   * beyond ±(2^53 - 1) are bigints, every other number a number.
   */
  body: unknown;
  /** The body's bytes, when there were any. */
  rawBody?: Buffer;
  /** A `json-any-type` body that is not JSON: the parser's message, `Invalid json: ...` (`body` is then undefined). */
  bodyError?: string;
  /**
   * The peer's IP address, read from the socket when first asked: dotted IPv4 (also for an
   * IPv4-mapped IPv6 peer), or IPv6 text. A route, a hook before the answer and a write's audit
   * entry always have it; once a read is answered, only if it was read before.
   */
  remote?: string;
  /** The route it matched (set once routed, before the body is read). */
  route?: RouteInfo;
  /** Who made it, once the auth hook has let it through with a token (or the first-run bootstrap). */
  principal?: RequestPrincipal;
}

/**
 * What a route lets through: `read` (open unless reads are protected) or
 * `write` (changes something: needs a token). Every route declares it.
 */
export type RouteAccess = 'read' | 'write';

/** The matched route as hooks see it. */
export interface RouteInfo {
  method: HttpMethod;
  path: string;
  access: RouteAccess;
  tokenAlways: boolean;
  adminOnly: boolean;
  owner?: string;
}

export interface RequestPrincipal {
  username: string;
  uid: string;
  role: string;
  /** Let through by the first-run loopback bootstrap (no user exists). */
  bootstrap?: boolean;
}

/** What a route handler answers. */
export interface HttpResponse {
  status?: number;
  /** Encoded as JSON (compact) or msgpack, per the request's Accept header. */
  body?: unknown;
  /** Bytes sent as they are, with `contentType`, instead of `body`. */
  raw?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export type RouteHandlerFn = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export interface RouteDefinition {
  method: HttpMethod;
  /** Absolute path with `{name}` and `{name:path}` parameters. */
  path: string;
  handler: RouteHandlerFn;
  /** Declared by every route: `read` or `write` (a route without it is refused when mounted). */
  access: RouteAccess;
  /** A token even for a read and even during the first-run bootstrap (user management, the Kytos GET toggles). */
  tokenAlways?: boolean;
  /** Only admins (user management, the audit log). */
  adminOnly?: boolean;
  /** Largest body this route accepts (`http.maxBodyBytes` otherwise; never above it). */
  maxBodyBytes?: number;
  /** JSON Schema for the body, compiled once at start-up. */
  bodySchema?: object;
  /**
   * What the body must be: `json` (415 unless JSON or msgpack), `optional-json`
   * (same when there is a body), `json-any-type` (JSON whatever the Content-Type, as Kytos-ng
   * reads it; bytes that are not JSON leave `body` undefined and `bodyError` set, for the route
   * to answer), `any` (bytes kept raw, not parsed) or `none` (a body is read and dropped). Decoded
   * bodies meet the `http.maxJson*` limits. Default: `json` with a `bodySchema`; else `none` for GET,
   * HEAD and OPTIONS (as Kytos-ng, a GET ignores a body it does not read) and `optional-json` otherwise.
   */
  body?: 'json' | 'optional-json' | 'json-any-type' | 'any' | 'none';
  /** Requests this route runs at once (config default otherwise). */
  concurrency?: number;
  /** Mailbox capacity of this route's actor (config default otherwise). */
  mailbox?: number;
  /** Who owns it (a NApp id, or "core"), for introspection. */
  owner?: string;
}

/** A WebSocket route a NApp (or the core) declares. */
export interface WsRouteDefinition {
  path: string;
  /** Declared as for HTTP routes; a WebSocket that only streams is `read`. */
  access: RouteAccess;
  owner?: string;
  open?(client: WsClient): void;
  message?(client: WsClient, data: unknown): void;
  close?(client: WsClient, code: number): void;
}

export interface WsClient {
  readonly id: number;
  readonly format: 'json' | 'msgpack';
  /** Sends a value in the client's format; false if the client was dropped for being slow. */
  send(value: unknown): boolean;
  close(code?: number, reason?: string): void;
  /** Per-client state a route may keep. */
  data: Record<string, unknown>;
}
