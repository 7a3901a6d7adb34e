/** Address text <-> bytes for match values (MAC, IPv4, IPv6), formatted as Python's `ipaddress` does: the codec's parsers and printers, its refusals as AddrErrors. */
import { ipv4ToBytes, ipv4ToString, ipv6ToBytes, ipv6ToString, macToString, OfCodecError } from '#sdk';

export class AddrError extends Error {}

export function macBytes(s: string): Buffer {
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(s)) throw new AddrError(`'${s}' is not a MAC address`);
  return Buffer.from(s.replace(/:/g, ''), 'hex');
}

export const macText = (b: Buffer): string => macToString(b);

/** The codec's parser, its refusal as an AddrError naming the text (the match's error message). */
function parsed(s: string, kind: string, parse: (s: string) => Buffer): Buffer {
  try {
    return parse(s);
  } catch (err) {
    if (err instanceof OfCodecError) throw new AddrError(`'${s}' is not ${kind}`);
    throw err;
  }
}

export const ipv4Bytes = (s: string): Buffer => parsed(s, 'an IPv4 address', ipv4ToBytes);

export const ipv4Text = (b: Buffer): string => ipv4ToString(b);

export const ipv6Bytes = (s: string): Buffer => parsed(s, 'an IPv6 address', ipv6ToBytes);

/** RFC 5952 text, as Python's `str(IPv6Address)`: the first longest run of two or more zero groups becomes `::`. */
export const ipv6Text = (b: Buffer): string => ipv6ToString(b);

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
