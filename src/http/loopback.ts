import { isIP } from 'node:net';

const REMEMBERED = 256;

/** `judge(value)`, remembered in `cache` (at most 256 verdicts, then it starts again): for the few peers a server sees. */
export function remembered(cache: Map<string, boolean>, value: string, judge: (v: string) => boolean): boolean {
  let verdict = cache.get(value);
  if (verdict === undefined) {
    verdict = judge(value);
    if (cache.size >= REMEMBERED) cache.clear();
    cache.set(value, verdict);
  }
  return verdict;
}

/** Verdicts on the addresses seen, so a request does not parse its peer's again. */
const verdicts = new Map<string, boolean>();

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x: a peer on this host, from the socket's address. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address ? remembered(verdicts, address, judgeLoopback) : false;
}

function judgeLoopback(address: string): boolean {
  let a = address.toLowerCase();
  if (a.startsWith('::ffff:')) a = a.slice(7);
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) === 6) return a === '::1' || a === '0:0:0:0:0:0:0:1';
  return false;
}
