import type uWS from 'uWebSockets.js';
import { bytesCache } from './bytes-cache.js';
import { formatRemoteAddress } from './remote-address.js';
import type { HttpRequest, RequestPrincipal, RouteInfo } from './types.js';

/** Header names asked for, as bytes (see bytes-cache.ts). */
const nameBytes = bytesCache(64);

/** Where `collect` copies the headers being read (one bound function, not a closure per request). */
let sink: Record<string, string> = {};
const collect = (key: string, value: string): void => {
  sink[key] = value;
};

/**
 * A request as the uWebSockets.js front end hands it on. Its headers and peer address are read
 * from uWebSockets.js when first asked, not for every request: copying every header into an
 * object (a string pair and a dictionary store each) and the peer address (a fresh ArrayBuffer)
 * were the largest costs of a GET that needs neither. uWebSockets.js' request can be read only
 * during its handler, its response until it is answered, so `release` copies what may still be
 * asked for later before the handler returns unanswered (an asynchronous route, a body to read).
 */
export class FrontRequest implements HttpRequest {
  params: Record<string, string> = {};
  body: unknown = undefined;
  rawBody?: Buffer;
  bodyError?: string;
  route?: RouteInfo;
  principal?: RequestPrincipal;
  private all: Record<string, string> | undefined = undefined;
  private peer: string | undefined = undefined;
  /** Readable while set: uWebSockets.js' request (during its handler), its response (until answered). */
  private req: uWS.HttpRequest | undefined;
  private res: uWS.HttpResponse | undefined;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly queryString: string,
    req: uWS.HttpRequest,
    res: uWS.HttpResponse,
  ) {
    this.req = req;
    this.res = res;
  }

  /** Every header, lower-case names (read from uWebSockets.js on first use). */
  get headers(): Record<string, string> {
    if (this.all === undefined) {
      this.all = {};
      if (this.req !== undefined) {
        sink = this.all;
        this.req.forEach(collect);
      }
    }
    return this.all;
  }

  set headers(value: Record<string, string>) {
    this.all = value;
  }

  /** One header by its lower-case name, without reading the others (an empty value reads as absent). */
  header(name: string): string | undefined {
    if (this.all !== undefined || this.req === undefined) return this.headers[name];
    const value = this.req.getHeader(nameBytes(name));
    return value === '' ? undefined : value;
  }

  /** The peer's address, read from the socket on first use while the request is open. */
  get remote(): string | undefined {
    if (this.peer === undefined && this.res !== undefined) this.peer = formatRemoteAddress(this.res.getRemoteAddress());
    return this.peer;
  }

  set remote(value: string | undefined) {
    this.peer = value;
  }

  /**
   * uWebSockets.js' handler returns: an unanswered request keeps what may be asked for later (its
   * headers and peer); an answered one keeps what was asked for while it was open.
   */
  release(answered: boolean): void {
    if (!answered) {
      void this.headers;
      void this.remote;
    }
    this.req = undefined;
    this.res = undefined;
  }

  /** The response is being written: its socket is no longer read (the peer stays what was read). */
  answering(): void {
    this.res = undefined;
  }
}

/** A request's header by its lower-case name: without reading every header when the front end can. */
export function headerOf(request: HttpRequest, name: string): string | undefined {
  return request instanceof FrontRequest ? request.header(name) : request.headers[name];
}
