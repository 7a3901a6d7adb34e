import { Unpackr } from 'msgpackr';
import { InvalidJsonError } from '../errors/index.js';
import type { DecodeLimits } from './decode-limits.js';
import { scanMsgpack } from './msgpack-scan.js';

/** Plain maps as objects, no records; every 64-bit integer as a bigint (made exact, then narrowed). */
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'bigint' });

/**
 * Decodes a msgpack request body exactly. The bytes are scanned once first
 * (depth and element limits, well-formedness, extension types), so msgpackr
 * only ever unpacks a depth-bounded document. Integers outside the safe range
 * are bigints; every other integer is a number, whatever width the sender
 * encoded it with.
 */
export function decodeMsgpack(bytes: Buffer, limits: DecodeLimits): unknown {
  const safe64 = scanMsgpack(bytes, limits);
  let value: unknown;
  try {
    value = unpackr.unpack(bytes);
  } catch (error) {
    throw new InvalidJsonError(`malformed msgpack: ${(error as Error).message}`, { cause: error });
  }
  return safe64 ? narrowSafeBigints(value) : value;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** Turns bigints in the safe range back into numbers, in place. Recursion is bounded by the scan's depth limit. */
function narrowSafeBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) value[k] = narrowSafeBigints(value[k]);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = narrowSafeBigints(record[key]);
  }
  return value;
}
