import { InvalidJsonError } from '../errors/index.js';
import { BIGINT_TAG, BIGINT_TAG_JSON } from './bigint-tag.js';
import type { DecodeLimits } from './decode-limits.js';
import { scanJson } from './json-scan.js';

/**
 * Decodes a JSON request body exactly. The bytes are scanned once first
 * (depth and element limits, integers beyond 2^53 - 1); the common body, with
 * no such integer, is then one plain JSON.parse. In a body with some, each of
 * those literals is quoted with a tag, the text parsed by JSON.parse, and the
 * tagged strings turned into bigints in one walk (its depth bounded by the
 * scan). Every other number stays a number, as JSON.parse gives it.
 */
export function decodeJson(bytes: Buffer, limits: DecodeLimits): unknown {
  const unsafe = scanJson(bytes, limits);
  const text = unsafe ? tagUnsafeIntegers(bytes, unsafe) : bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError((error as Error).message, { cause: error });
  }
  return unsafe ? untag(value) : value;
}

/** The JSON text with each unsafe integer literal (byte ranges from the scan) as a tagged string. */
function tagUnsafeIntegers(bytes: Buffer, ranges: number[]): string {
  let text = '';
  let from = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const start = ranges[k]!;
    const end = ranges[k + 1]!;
    text += `${bytes.toString('utf8', from, start)}${BIGINT_TAG_JSON}${bytes.toString('latin1', start, end)}"`;
    from = end;
  }
  return text + bytes.toString('utf8', from);
}

const isTagged = (item: unknown): item is string => typeof item === 'string' && item.startsWith(BIGINT_TAG);
const toBigint = (tagged: string): bigint => BigInt(tagged.slice(BIGINT_TAG.length));

/** Replaces tagged strings by their bigints, in place. */
function untag(value: unknown): unknown {
  if (isTagged(value)) return toBigint(value);
  if (typeof value === 'object' && value !== null) untagIn(value);
  return value;
}

function untagIn(container: object): void {
  if (Array.isArray(container)) {
    for (let k = 0; k < container.length; k++) {
      const item: unknown = container[k];
      if (isTagged(item)) container[k] = toBigint(item);
      else if (typeof item === 'object' && item !== null) untagIn(item);
    }
    return;
  }
  const record = container as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    // An own data property, even one named __proto__: plain assignment sets it.
    if (isTagged(item)) record[key] = toBigint(item);
    else if (typeof item === 'object' && item !== null) untagIn(item);
  }
}
