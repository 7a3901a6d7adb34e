import { Packr } from 'msgpackr';
import { InvalidJsonError, UnsupportedMediaTypeError } from '../errors/index.js';

export const JSON_TYPE = 'application/json';
export const MSGPACK_TYPE = 'application/msgpack';

/** Plain structures (no record extension): any msgpack client can read them. */
const packr = new Packr({ useRecords: false, moreTypes: false });

export const packMsgpack = (value: unknown): Buffer => packr.pack(value);
export const unpackMsgpack = (bytes: Buffer): unknown => packr.unpack(bytes);

/** True when the client asked for msgpack (`Accept: application/msgpack`). */
export function wantsMsgpack(accept: string): boolean {
  return accept.length > 0 && accept.includes(MSGPACK_TYPE);
}

const BIGINT_MARK = '\u0000bigint:';
const bigintMarker = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? `${BIGINT_MARK}${v}` : v);

/**
 * Compact JSON. 64-bit values (cookies, counters, dpids as numbers) are
 * bigints in the codec; they are written as exact JSON integers, as Kytos
 * writes Python ints. The common case (no bigint) is one plain stringify.
 */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
    const marked = JSON.stringify(value, bigintMarker) ?? 'null';
    return marked.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
  }
}

/** JSON of frozen (constant) bodies, computed once. */
const frozenJson = new WeakMap<object, string>();

/** Encodes a response body. Compact JSON, or msgpack when asked for. */
export function encodeBody(value: unknown, msgpack: boolean): { bytes: Buffer | string; type: string } {
  if (msgpack) return { bytes: packMsgpack(value), type: MSGPACK_TYPE };
  if (typeof value === 'object' && value !== null && Object.isFrozen(value)) {
    let json = frozenJson.get(value);
    if (json === undefined) {
      json = toJson(value);
      frozenJson.set(value, json);
    }
    return { bytes: json, type: JSON_TYPE };
  }
  return { bytes: toJson(value), type: JSON_TYPE };
}

/**
 * Decodes a request body by its Content-Type: JSON or msgpack, else 415.
 * Malformed bytes are 400 with the parser's reason.
 */
export function decodeBody(bytes: Buffer, contentType: string): unknown {
  const type = contentType.toLowerCase();
  if (type.includes(MSGPACK_TYPE)) {
    try {
      return unpackMsgpack(bytes);
    } catch (error) {
      throw new InvalidJsonError(`malformed msgpack: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!type.includes(JSON_TYPE)) throw new UnsupportedMediaTypeError(contentType);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidJsonError((error as Error).message, { cause: error });
  }
}
