/**
 * Layout of the single LMDB database (keys are lmdb's ordered-binary arrays):
 *   ['d', collection, key]                      -> msgpack(document)
 *   ['i', collection, field, value, key]        -> empty   (secondary index)
 * Index values are strings, finite numbers, booleans; Dates are indexed as
 * their epoch milliseconds. `END` (a raw 0xff byte) sorts after every encoded
 * string or number, so [..., END] closes a range.
 */
import type { Scalar } from '../index-values.js';

export const END = new Uint8Array([0xff]);
export type LmdbKey = (string | number | boolean | Uint8Array)[];

export const docKey = (coll: string, key: string): LmdbKey => ['d', coll, key];
export const docStart = (coll: string): LmdbKey => ['d', coll];
export const docEnd = (coll: string): LmdbKey => ['d', coll, END];
export const idxKey = (coll: string, field: string, v: Scalar, key: string): LmdbKey => ['i', coll, field, v, key];

