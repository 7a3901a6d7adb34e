/** Address text <-> bytes for match values (MAC, IPv4, IPv6), formatted as Python's `ipaddress` does. */

export class AddrError extends Error {}

export function macBytes(s: string): Buffer {
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(s)) throw new AddrError(`'${s}' is not a MAC address`);
  return Buffer.from(s.replace(/:/g, ''), 'hex');
}

export const macText = (b: Buffer): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');

export function ipv4Bytes(s: string): Buffer {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new AddrError(`'${s}' is not an IPv4 address`);
  return Buffer.from(parts.map(Number));
}

export const ipv4Text = (b: Buffer): string => [...b].join('.');

export function ipv6Bytes(s: string): Buffer {
  const bad = (): never => {
    throw new AddrError(`'${s}' is not an IPv6 address`);
  };
  if (s.length > 45) bad();
  let text = s;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    const v4 = ipv4Bytes(text.slice(lastColon + 1));
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    const prefix = text.slice(0, lastColon + 1);
    text = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) bad();
  const parse = (h: string): number[] => (h === '' ? [] : h.split(':').map((p) => (/^[0-9a-f]{1,4}$/i.test(p) ? parseInt(p, 16) : bad())));
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

/** RFC 5952 text, as Python's `str(IPv6Address)`: the first longest run of two or more zero groups becomes `::`. */
export function ipv6Text(b: Buffer): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(b.readUInt16BE(2 * i));
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

/** A prefix length as a mask of `size` bytes. */
export function prefixMask(prefix: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    out[i] = (0xff << (8 - bits)) & 0xff;
  }
  return out;
}

/** The prefix length of a contiguous mask, or -1 when the mask is not contiguous. */
export function maskPrefix(mask: Buffer): number {
  let n = 0;
  let i = 0;
  while (i < mask.length && mask[i] === 0xff) {
    n += 8;
    i++;
  }
  if (i < mask.length) {
    const b = mask[i];
    let bits = 0;
    while (bits < 8 && b & (0x80 >> bits)) bits++;
    if (((0xff << (8 - bits)) & 0xff) !== b) return -1;
    n += bits;
    for (let j = i + 1; j < mask.length; j++) if (mask[j] !== 0) return -1;
  }
  return n;
}
