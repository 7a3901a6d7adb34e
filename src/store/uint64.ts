/**
 * Unsigned 64-bit integers (`bigint` 0 .. 2^64-1), the only bigints the
 * store holds, and their fixed-width forms: 16 lower-case hex digits or 8
 * big-endian bytes, both of which sort like the numbers they encode.
 */
import { StoreValidationError } from './errors.js';

export const U64_MAX = (1n << 64n) - 1n;

/** Whether `v` is a bigint the store can hold. */
export function isU64(v: bigint): boolean {
  return v >= 0n && v <= U64_MAX;
}

/** Refuses a bigint outside 0 .. 2^64-1. */
export function checkU64(collection: string, v: bigint): bigint {
  if (!isU64(v)) throw new StoreValidationError('a bigint must be an unsigned 64-bit integer (0 .. 2^64-1)', { collection });
  return v;
}

/** 16 hex digits, zero-padded: string order is numeric order. */
export const toHex16 = (v: bigint): string => v.toString(16).padStart(16, '0');

export const fromHex16 = (s: string): bigint => BigInt(`0x${s}`);

/** 8 big-endian bytes: byte order is numeric order. */
export function toBytes8(v: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(v);
  return b;
}

export const fromBytes8 = (b: Uint8Array): bigint => Buffer.from(b.buffer, b.byteOffset, 8).readBigUInt64BE(0);

/** Refuses every bigint (at any depth) outside 0 .. 2^64-1, so both adapters accept the same documents. */
export function checkBigInts(collection: string, v: unknown): void {
  if (typeof v === 'bigint') checkU64(collection, v);
  else if (Array.isArray(v)) for (const e of v) checkBigInts(collection, e);
  else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    for (const k in v) checkBigInts(collection, (v as Record<string, unknown>)[k]);
  }
}
