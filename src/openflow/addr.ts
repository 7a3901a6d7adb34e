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

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Parses 'aa:bb:cc:dd:ee:ff' (':' or '-') into out[at..at+6] without allocating. */
export function parseMacInto(s: string, out: Uint8Array, at: number, what = 'mac'): void {
  const bad = (): never => {
    throw new OfCodecError('BAD_FIELD', `${what}: not a MAC address`);
  };
  if (typeof s !== 'string' || s.length !== 17) bad();
  for (let i = 0; i < 6; i++) {
    const hi = hexDigit(s.charCodeAt(3 * i));
    const lo = hexDigit(s.charCodeAt(3 * i + 1));
    const sep = s.charCodeAt(3 * i + 2);
    if (hi < 0 || lo < 0 || (i < 5 && sep !== 58 && sep !== 45)) bad();
    out[at + i] = (hi << 4) | lo;
  }
}

export function macToBytes(s: string, what = 'mac'): Buffer {
  const b = Buffer.alloc(6);
  parseMacInto(s, b, 0, what);
  return b;
}

export function ipv4ToString(b: Uint8Array, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** Parses a dotted quad into out[at..at+4] without allocating. */
export function parseIpv4Into(s: string, out: Uint8Array, at: number, what = 'ipv4'): void {
  const bad = (): never => {
    throw new OfCodecError('BAD_FIELD', `${what}: not an IPv4 address`);
  };
  if (typeof s !== 'string' || s.length > 15) bad();
  let part = 0;
  let val = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // a final '.' closes the last part
    if (c === 46) {
      if (digits === 0 || part > 3) bad();
      out[at + part++] = val;
      val = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      val = val * 10 + (c - 48);
      digits++;
      if (val > 255) bad();
    } else bad();
  }
  if (part !== 4) bad();
}

export function ipv4ToBytes(s: string, what = 'ipv4'): Buffer {
  const b = Buffer.alloc(4);
  parseIpv4Into(s, b, 0, what);
  return b;
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
  w.put(6, (buf, at) => parseMacInto(s, buf, at, what));
}

