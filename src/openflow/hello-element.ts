/**
 * 7.5.1 struct ofp_hello_elem_header: type u16, length u16 (without padding),
 * body, padded to 8. OFPHET_VERSIONBITMAP carries u32 bitmaps where bit n of
 * bitmap i means version 32*i + n.
 */
import { OFPHET } from './constants.js';
import { OfCodecError } from './errors.js';
import type { Reader, Writer } from './wire.js';

export type HelloElement =
  | { type: 'versionbitmap'; bitmaps: number[] }
  | { type: 'unknown'; elemType: number; body: Buffer };

const VERSIONBITMAP = OFPHET.VERSIONBITMAP;

export function decodeHelloElements(r: Reader): HelloElement[] {
  const out: HelloElement[] = [];
  while (r.remaining > 0) {
    const type = r.u16('hello element type');
    const len = r.u16('hello element length');
    if (len === 0) throw new OfCodecError('ZERO_LENGTH_TLV', 'hello element: zero length');
    if (len < 4) throw new OfCodecError('BAD_LENGTH', `hello element: length ${len} < 4`);
    const padded = (len + 7) & ~7;
    if (padded - 4 > r.remaining) throw new OfCodecError('TRUNCATED', `hello element: length ${len} past the data`);
    if (type === VERSIONBITMAP) {
      if (len % 4 !== 0) throw new OfCodecError('BAD_LENGTH', 'version bitmap: not whole u32s');
      const bitmaps = new Array<number>((len - 4) >>> 2);
      for (let i = 0; i < bitmaps.length; i++) bitmaps[i] = r.u32('version bitmap');
      out.push({ type: 'versionbitmap', bitmaps });
    } else {
      out.push({ type: 'unknown', elemType: type, body: r.bytes(len - 4, 'hello element') });
    }
    r.skip(padded - len);
  }
  return out;
}

export function encodeHelloElements(w: Writer, elements: readonly HelloElement[]): void {
  for (const e of elements) {
    const start = w.offset;
    if (e.type === 'versionbitmap') {
      w.u16(OFPHET.VERSIONBITMAP).u16(4 + 4 * e.bitmaps.length, 'hello element length');
      for (const b of e.bitmaps) w.u32(b, 'version bitmap');
    } else {
      w.u16(e.elemType, 'hello element type').u16(4 + e.body.length, 'hello element length').bytes(e.body);
    }
    w.padTo(start);
  }
}

/** The bitmap element for a set of versions (e.g. [0x04] -> [0x10]). */
export function versionBitmap(versions: readonly number[]): HelloElement {
  const bitmaps: number[] = [];
  for (const v of versions) {
    const i = v >>> 5;
    while (bitmaps.length <= i) bitmaps.push(0);
    bitmaps[i] = (bitmaps[i] | (1 << (v & 31))) >>> 0;
  }
  return { type: 'versionbitmap', bitmaps };
}

/** Versions announced by a HELLO's bitmap elements, or undefined when it has none. */
export function bitmapVersions(elements: readonly HelloElement[]): number[] | undefined {
  let found = false;
  const versions = new Set<number>();
  for (const e of elements) {
    if (e.type !== 'versionbitmap') continue;
    found = true;
    e.bitmaps.forEach((bits, i) => {
      for (let n = 0; n < 32; n++) if ((bits >>> n) & 1) versions.add(32 * i + n);
    });
  }
  return found ? [...versions].sort((a, b) => a - b) : undefined;
}
