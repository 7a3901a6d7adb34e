/**
 * Layout of the single LMDB database (keys are lmdb's ordered-binary arrays):
 *   ['d', collection, key]                      -> msgpack(document)
 *   ['i', collection, field, value, key]        -> empty   (secondary index)
 *   ['i', collection, field, U64, hex16, key]   -> empty   (bigint index value)
 *   ['m', collection]                           -> msgpack({ key, indexes, unique, layout })
 * Index values are strings, finite numbers, booleans; Dates are indexed as
 * their epoch milliseconds. A bigint is indexed as 16 hex digits after the
 * `U64` marker (a symbol): its own zone (before booleans, numbers and strings), sorted
 * numerically over 0 .. 2^64-1. `END` (a raw 0xff byte) sorts after every
 * encoded string or number, so [..., END] closes a range.
 */
import type { Scalar } from '../index-values.js';
import { fromHex16, toHex16 } from '../uint64.js';

export const END = new Uint8Array([0xff]);
export type LmdbKey = (string | number | boolean | symbol | Uint8Array)[];

/** Marks a bigint index entry (ordered-binary writes a symbol before every boolean, number and string). */
export const U64 = Symbol.for('u64');

/** Version of the index layout; a collection indexed with another one is re-indexed when opened. */
export const INDEX_LAYOUT = 2;

export const docKey = (coll: string, key: string): LmdbKey => ['d', coll, key];
export const docStart = (coll: string): LmdbKey => ['d', coll];
export const docEnd = (coll: string): LmdbKey => ['d', coll, END];
export const metaKey = (coll: string): LmdbKey => ['m', coll];

/** The index key prefix of one value: every entry of `v` starts with it. */
export const valuePrefix = (coll: string, field: string, v: Scalar): LmdbKey =>
  typeof v === 'bigint' ? ['i', coll, field, U64, toHex16(v)] : ['i', coll, field, v];

export const idxKey = (coll: string, field: string, v: Scalar, key: string): LmdbKey => [...valuePrefix(coll, field, v), key];

/** The first and last possible keys of one value type's zone (bigint has its own; the others share one). */
export const zoneStart = (coll: string, field: string, bigint: boolean): LmdbKey =>
  bigint ? ['i', coll, field, U64] : ['i', coll, field];
export const zoneEnd = (coll: string, field: string, bigint: boolean): LmdbKey => [...zoneStart(coll, field, bigint), END];

/** An index key read back: its value and document key. */
export function parseIdxKey(k: LmdbKey): { value: Scalar; key: string } {
  if (k[3] === U64) return { value: fromHex16(k[4] as string), key: k[5] as string };
  return { value: k[3] as Scalar, key: k[4] as string };
}
