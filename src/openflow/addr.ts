/**
 * Address fields as readable strings: MAC 'aa:bb:cc:dd:ee:ff' (lowercase),
 * IPv4 dotted quad, IPv6 in RFC 5952 canonical form. Decoding always yields
 * the canonical form, so decode -> encode -> decode is stable.
 */
import { OfCodecError } from './errors.js';
import type { Reader, Writer } from './wire.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function macToString(b: Uint8Array, at = 0): string {
  return `${HEX[b[at]]}:${HEX[b[at + 1]]}:${HEX[b[at + 2]]}:${HEX[b[at + 3]]}:${HEX[b[at + 4]]}:${HEX[b[at + 5]]}`;
}

const MAC_RE = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i;

export function macToBytes(s: string, what = 'mac'): Buffer {
  const m = typeof s === 'string' ? MAC_RE.exec(s) : null;
  if (!m) throw new OfCodecError('BAD_FIELD', `${what}: not a MAC address`);
  return Buffer.from(m.slice(1).map((h) => parseInt(h, 16)));
}

export function ipv4ToString(b: Uint8Array, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

export function ipv4ToBytes(s: string, what = 'ipv4'): Buffer {
  const parts = typeof s === 'string' ? s.split('.') : [];
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new OfCodecError('BAD_FIELD', `${what}: not an IPv4 address`);
  }
  return Buffer.from(parts.map(Number));
}

/** RFC 5952: lowercase, no leading zeros, longest run (>= 2) of zero groups as '::'. */
export function ipv6ToString(b: Uint8Array, at = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[at + 2 * i] << 8) | b[at + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function ipv6ToBytes(s: string, what = 'ipv6'): Buffer {
  const bad = (): never => {
    throw new OfCodecError('BAD_FIELD', `${what}: not an IPv6 address`);
  };
  if (typeof s !== 'string' || s.length > 45) bad();
  let text = s;
  const tail: number[] = [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    const v4 = ipv4ToBytes(text.slice(lastColon + 1), what);
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    const prefix = text.slice(0, lastColon + 1);
    text = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) bad();
  const parse = (h: string): number[] =>
    h === ''
      ? []
      : h.split(':').map((p) => (/^[0-9a-f]{1,4}$/i.test(p) ? parseInt(p, 16) : bad()));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const given = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (given > 7) bad();
    groups = [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  } else {
    if (given !== 8) bad();
    groups = [...head, ...tail];
  }
  const out = Buffer.alloc(16);
  groups.forEach((x, i) => out.writeUInt16BE(x, 2 * i));
  return out;
}

export function readMac(r: Reader, what = 'mac'): string {
  return r.view(6, what, macToString);
}

export function writeMac(w: Writer, s: string, what = 'mac'): void {
  w.bytes(macToBytes(s, what));
}

/** Datapath id as Kytos prints it: '00:00:00:00:00:00:00:01'. */
export function dpidToString(dpid: bigint): string {
  const hex = dpid.toString(16).padStart(16, '0');
  return hex.match(/../g)!.join(':');
}

export function dpidFromString(s: string): bigint {
  const hex = typeof s === 'string' ? s.replace(/:/g, '') : '';
  if (!/^[0-9a-f]{1,16}$/i.test(hex)) throw new OfCodecError('BAD_FIELD', 'dpid: not 8 hex bytes');
  return BigInt(`0x${hex}`);
}
