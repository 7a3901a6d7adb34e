import { SocketAddress } from 'node:net';

/**
 * A peer's IP address as text, from the 4 or 16 bytes uWebSockets.js reads off
 * the socket: dotted IPv4, also for an IPv4-mapped IPv6 peer (`::ffff:a.b.c.d`
 * of a dual-stack listener), else RFC 5952 IPv6 (`::1`, not uWS's expanded text).
 */
export function formatRemoteAddress(bytes: ArrayBuffer): string {
  const b = new Uint8Array(bytes);
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length !== 16) return '';
  if (isV4Mapped(b)) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Node writes the canonical form (inet_ntop).
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}
