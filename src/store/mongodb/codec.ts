/**
 * How documents look in MongoDB (and FerretDB), where the BSON types alone
 * cannot hold every value of the port:
 *
 * - A bigint (unsigned 64-bit) is stored as binary data of subtype 0x80 (user
 *   defined) holding its 8 big-endian bytes. Int64 is signed and FerretDB
 *   has no Decimal128; fixed-length binary compares byte by byte, so the
 *   server's order (indexes, $lt/$gt, sort) is numeric order over the whole
 *   range 0 .. 2^64-1, and it never equals nor sorts among numbers.
 * - An array directly inside an array (FerretDB 1.x refuses nested arrays)
 *   is stored as `{ _lattice_array: [...] }`.
 * - A stored object whose own keys include `_lattice_array` or
 *   `_lattice_object` is wrapped as `{ _lattice_object: {...} }`, so that a
 *   caller's object is never mistaken for one of these tags.
 *
 * Top-level fields are never wrapped, so a field index and `$set` of a
 * top-level field see the same value a query compares with. Both directions
 * copy only what changes.
 */
import { Binary } from 'mongodb';
import { checkU64, fromBytes8, toBytes8 } from '../uint64.js';

export const U64_SUBTYPE = 0x80;
export const ARRAY_TAG = '_lattice_array';
export const OBJECT_TAG = '_lattice_object';

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A bigint as stored (and as compared in queries). */
export const u64ToBinary = (v: bigint): Binary => new Binary(toBytes8(v), U64_SUBTYPE);

function encodeArray(collection: string, a: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    const enc = Array.isArray(e) ? { [ARRAY_TAG]: encodeArray(collection, e) } : encodeValue(collection, e);
    if (enc !== e) (out ??= a.slice())[i] = enc;
  }
  return out ?? a;
}

function encodeFields(collection: string, o: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const v = o[k];
    const enc = encodeValue(collection, v);
    if (enc !== v) (out ??= { ...o })[k] = enc;
  }
  return out ?? o;
}

/** One value (a top-level field's, a `$set` value, or a query bound) as stored. */
export function encodeValue(collection: string, v: unknown): unknown {
  if (typeof v === 'bigint') return u64ToBinary(checkU64(collection, v));
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if (Array.isArray(v)) return encodeArray(collection, v);
  if (!isPlain(v)) return v;
  const o = encodeFields(collection, v as Record<string, unknown>);
  return ARRAY_TAG in o || OBJECT_TAG in o ? { [OBJECT_TAG]: o } : o;
}

/** A document (or a `$set`) as stored: each top-level field encoded, none wrapped. */
export function encodeDoc<D extends object>(collection: string, doc: D): D {
  return encodeFields(collection, doc as Record<string, unknown>) as D;
}

function decodeArray(a: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    const dec = decodeValue(e);
    if (dec !== e) (out ??= a.slice())[i] = dec;
  }
  return out ?? a;
}

function decodeFields(o: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const v = o[k];
    const dec = decodeValue(v);
    if (dec !== v) (out ??= { ...o })[k] = dec;
  }
  return out ?? o;
}

function isTag(o: Record<string, unknown>, tag: string): boolean {
  if (!(tag in o)) return false;
  for (const k in o) if (k !== tag) return false;
  return true;
}

/** One stored value back as the caller wrote it. */
export function decodeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if (Array.isArray(v)) return decodeArray(v);
  if (v instanceof Binary) return v.sub_type === U64_SUBTYPE && v.position === 8 ? fromBytes8(v.buffer) : v;
  if (!isPlain(v)) return v;
  const o = v as Record<string, unknown>;
  if (isTag(o, ARRAY_TAG) && Array.isArray(o[ARRAY_TAG])) return decodeArray(o[ARRAY_TAG] as unknown[]);
  if (isTag(o, OBJECT_TAG) && o[OBJECT_TAG] !== null && typeof o[OBJECT_TAG] === 'object') {
    return decodeFields(o[OBJECT_TAG] as Record<string, unknown>);
  }
  return decodeFields(o);
}

/** A stored document back as the caller wrote it (decoded in place: the driver's object is ours). */
export function decodeDoc<D extends object>(doc: D): D {
  const o = doc as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) o[k] = decodeValue(v);
  }
  return doc;
}
