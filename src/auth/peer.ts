/**
 * Where a request comes from, judged only from what cannot be forged by a
 * header: the socket's address. `X-Forwarded-For` is never read. The `Host`
 * and `Origin` checks keep a browser on this machine (DNS rebinding, a page
 * posting cross-origin) out of the first-run bootstrap.
 */
import { isIP } from 'node:net';
import { isLoopbackAddress, remembered } from '../http/loopback.js';

export { isLoopbackAddress };

/** Verdicts on the Host values seen, as isLoopbackAddress keeps its own on addresses. */
const hostVerdicts = new Map<string, boolean>();

/** A `Host` header naming a loopback literal (`127.0.0.1[:port]`, `[::1][:port]`); names such as `localhost` do not count. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host ? remembered(hostVerdicts, host, judgeHost) : false;
}

function judgeHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h);
  if (v6) return isLoopbackAddress(v6[1]);
  const v4 = /^([0-9.]+)(?::\d{1,5})?$/.exec(h);
  return v4 ? isIP(v4[1]!) === 4 && isLoopbackAddress(v4[1]) : false;
}

/** No `Origin` at all, or one in the CORS allowlist (`*` never counts here). */
export function originAllowed(origin: string | undefined, allowlist: readonly string[]): boolean {
  if (origin === undefined) return true;
  return allowlist.includes(origin);
}

export interface PeerFacts {
  /** The socket's address. */
  remote: string | undefined;
  host: string | undefined;
  origin: string | undefined;
}

/** Whether the first-run bootstrap applies to this request (the caller checks that no user exists and the bootstrap is on). */
export function bootstrapPeer(peer: PeerFacts, corsAllowOrigins: readonly string[]): boolean {
  return isLoopbackAddress(peer.remote) && isLoopbackHost(peer.host) && originAllowed(peer.origin, corsAllowOrigins);
}
