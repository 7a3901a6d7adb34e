import { Packr } from 'msgpackr';
import { UnsupportedMediaTypeError } from '../errors/index.js';
import { BIGINT_TAG, BIGINT_TAG_JSON } from './bigint-tag.js';
import type { DecodeLimits } from './decode-limits.js';
import { decodeJson } from './json-decode.js';
import { decodeMsgpack } from './msgpack-decode.js';

export const JSON_TYPE = 'application/json';
export const MSGPACK_TYPE = 'application/msgpack';

/**
 * Plain structures (no record extension): any msgpack client can read them.
 * A bigint beyond 64 bits (JSON allows it, msgpack has no such integer) is
 * written as a string of its digits rather than refused.
 */
const packr = new Packr({ useRecords: false, moreTypes: false, largeBigIntToString: true });

export const packMsgpack = (value: unknown): Buffer => packr.pack(value);

/** True when the client asked for msgpack (`Accept: application/msgpack`). */
export function wantsMsgpack(accept: string): boolean {
  return accept.length > 0 && accept.includes(MSGPACK_TYPE);
}

const bigintTagger = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? `${BIGINT_TAG}${v}` : v);
/** A tagged bigint as JSON.stringify writes it: the tag (escaped) and the digits, in quotes. */
const TAGGED_BIGINT_JSON = new RegExp(`${BIGINT_TAG_JSON.replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g');

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
    const tagged = JSON.stringify(value, bigintTagger) ?? 'null';
    return tagged.replace(TAGGED_BIGINT_JSON, '$1');
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
 * Integers beyond 2^53 - 1 come out as bigints; a body over `limits` is 400
 * (BODY_TOO_COMPLEX) before it is parsed; malformed bytes are 400 with the
 * parser's reason.
 */
export function decodeBody(bytes: Buffer, contentType: string, limits: DecodeLimits): unknown {
  const type = contentType.toLowerCase();
  if (!type.includes(JSON_TYPE) && !type.includes(MSGPACK_TYPE)) throw new UnsupportedMediaTypeError(contentType);
  return decodeLowered(bytes, type, limits);
}

/** A body read as Kytos-ng reads one: JSON whatever the Content-Type, unless it declares msgpack. */
export function decodeAnyType(bytes: Buffer, contentType: string, limits: DecodeLimits): unknown {
  return decodeLowered(bytes, contentType.toLowerCase(), limits);
}

/** msgpack if the lower-cased type declares it, else JSON. */
const decodeLowered = (bytes: Buffer, type: string, limits: DecodeLimits): unknown =>
  type.includes(MSGPACK_TYPE) ? decodeMsgpack(bytes, limits) : decodeJson(bytes, limits);
