import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x: a peer on this host, from the socket's address. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  let a = address.toLowerCase();
  if (a.startsWith('::ffff:')) a = a.slice(7);
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) === 6) return a === '::1' || a === '0:0:0:0:0:0:0:1';
  return false;
}
