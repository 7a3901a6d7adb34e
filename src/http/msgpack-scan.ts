import { BodyTooComplexError, InvalidJsonError } from '../errors/index.js';
import type { DecodeLimits } from './decode-limits.js';

/** The one extension type a request body may carry: msgpack's timestamp, a leaf. */
const TIMESTAMP_EXT = -1;
/** 2^53 >> 32: the high word of the first unsafe magnitude. */
const SAFE_HIGH_WORD = 0x200000;

const malformed = (reason: string): InvalidJsonError => new InvalidJsonError(`malformed msgpack: ${reason}`);

/**
 * One linear, non-recursive pass over msgpack bytes before they are unpacked.
 * It walks the item headers with an explicit stack of "items left" counters
 * and throws at the first header over a limit: `BodyTooComplexError` for
 * depth or element count (a container's length is checked from its header,
 * before any of it is read), `InvalidJsonError` for truncated input, trailing
 * bytes, the never-used byte 0xc1, or an extension type other than timestamp
 * (msgpackr's own extensions nest values the scan would not see).
 *
 * Returns true when a 64-bit integer header holds a value in the safe range:
 * the unpacker yields bigints for every 64-bit header, and those must become
 * numbers again.
 */
export function scanMsgpack(bytes: Uint8Array, limits: DecodeLimits): boolean {
  const { maxDepth, maxElements } = limits;
  const maxKeys = limits.maxKeys ?? Infinity;
  const maxString = limits.maxStringBytes ?? Infinity;
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  /** Items left in each enclosing container; its length is the current depth. */
  const stack: number[] = [];
  let left = 1;
  let elements = 1;
  let safe64 = false;
  let i = 0;
  const need = (count: number): void => {
    if (i + count > n) throw malformed('unexpected end of input');
  };
  const ext = (type: number): void => {
    if (type !== TIMESTAMP_EXT) throw malformed(`extension type ${type} is not accepted`);
  };
  for (;;) {
    if (left === 0) {
      if (stack.length === 0) break;
      left = stack.pop()!;
      continue;
    }
    left--;
    need(1);
    const b = bytes[i++]!;
    /** Items in the container this header opens (map: keys and values); -1 for a scalar. */
    let items = -1;
    /** Values it adds to the document (map: its entries). */
    let members = 0;
    let skip = 0;
    if (b <= 0x7f || b >= 0xe0) {
      // positive or negative fixint
    } else if (b <= 0x8f) {
      members = b & 0x0f;
      items = members * 2;
    } else if (b <= 0x9f) {
      members = items = b & 0x0f;
    } else if (b <= 0xbf) {
      skip = b & 0x1f;
    } else {
      switch (b) {
        case 0xc0: // nil
        case 0xc2: // false
        case 0xc3: // true
          break;
        case 0xc1:
          throw malformed('byte 0xc1 is never used');
        case 0xc4: // bin 8
        case 0xd9: // str 8
          need(1);
          skip = bytes[i]!;
          i += 1;
          break;
        case 0xc5: // bin 16
        case 0xda: // str 16
          need(2);
          skip = view.getUint16(i);
          i += 2;
          break;
        case 0xc6: // bin 32
        case 0xdb: // str 32
          need(4);
          skip = view.getUint32(i);
          i += 4;
          break;
        case 0xc7: // ext 8
          need(2);
          skip = bytes[i]!;
          ext(view.getInt8(i + 1));
          i += 2;
          break;
        case 0xc8: // ext 16
          need(3);
          skip = view.getUint16(i);
          ext(view.getInt8(i + 2));
          i += 3;
          break;
        case 0xc9: // ext 32
          need(5);
          skip = view.getUint32(i);
          ext(view.getInt8(i + 4));
          i += 5;
          break;
        case 0xcc: // uint 8
        case 0xd0: // int 8
          skip = 1;
          break;
        case 0xcd: // uint 16
        case 0xd1: // int 16
          skip = 2;
          break;
        case 0xca: // float 32
        case 0xce: // uint 32
        case 0xd2: // int 32
          skip = 4;
          break;
        case 0xcb: // float 64
          skip = 8;
          break;
        case 0xcf: // uint 64
          need(8);
          if (view.getUint32(i) < SAFE_HIGH_WORD) safe64 = true;
          skip = 8;
          break;
        case 0xd3: {
          // int 64: safe when -(2^53 - 1) <= value <= 2^53 - 1
          need(8);
          const high = view.getInt32(i);
          if (high < SAFE_HIGH_WORD && (high > -SAFE_HIGH_WORD || (high === -SAFE_HIGH_WORD && view.getUint32(i + 4) !== 0))) safe64 = true;
          skip = 8;
          break;
        }
        case 0xd4: // fixext 1, 2, 4, 8, 16
        case 0xd5:
        case 0xd6:
        case 0xd7:
        case 0xd8:
          need(1);
          ext(view.getInt8(i));
          i += 1;
          skip = 1 << (b - 0xd4);
          break;
        case 0xdc: // array 16
          need(2);
          members = items = view.getUint16(i);
          i += 2;
          break;
        case 0xdd: // array 32
          need(4);
          members = items = view.getUint32(i);
          i += 4;
          break;
        case 0xde: // map 16
          need(2);
          members = view.getUint16(i);
          items = members * 2;
          i += 2;
          break;
        case 0xdf: // map 32
          need(4);
          members = view.getUint32(i);
          items = members * 2;
          i += 4;
          break;
      }
    }
    if (skip > 0) {
      // A string, binary or extension payload longer than any string may be (numbers skip at most 8 bytes).
      if (skip > maxString) throw new BodyTooComplexError('http.maxJsonStringBytes', maxString);
      need(skip);
      i += skip;
    }
    if (items >= 0) {
      if (stack.length >= maxDepth) throw new BodyTooComplexError('http.maxJsonDepth', maxDepth);
      elements += members;
      if (elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
      // A map (two items per member) declares its key count up front.
      if (items > members && members > maxKeys) throw new BodyTooComplexError('http.maxJsonKeys', maxKeys);
      stack.push(left);
      left = items;
    }
  }
  if (i !== n) throw malformed(`${n - i} bytes after the value`);
  return safe64;
}
