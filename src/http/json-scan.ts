import { BodyTooComplexError } from '../errors/index.js';
import type { DecodeLimits } from './decode-limits.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

/** What a byte outside a string starts, by a table lookup (one switch per token, not a chain of tests). */
const STRING = 1;
const OPEN = 2;
const CLOSE = 3;
const NUMBER = 4;
const LITERAL = 5;
const STARTS = new Uint8Array(256);
STARTS[QUOTE] = STRING;
STARTS[0x7b] = STARTS[0x5b] = OPEN; // { [
STARTS[0x7d] = STARTS[0x5d] = CLOSE; // } ]
STARTS[MINUS] = NUMBER;
for (let c = ZERO; c <= NINE; c++) STARTS[c] = NUMBER;
for (let c = LOWER_A; c <= LOWER_Z; c++) STARTS[c] = LITERAL; // true, false, null

/** Bytes that may follow the integer part of a number: a fraction or an exponent makes it a float. */
const FLOAT_PART = new Uint8Array(256);
for (const c of '0123456789.eE+-') FLOAT_PART[c.charCodeAt(0)] = 1;

/** The digits of Number.MAX_SAFE_INTEGER (2^53 - 1), the largest magnitude a JSON integer may have to stay a number. */
const MAX_SAFE_DIGITS = Buffer.from(String(Number.MAX_SAFE_INTEGER));

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/** The scan's key counters by depth, shared by every scan (synchronous: one at a time); grown to the deepest a body could go (its maxDepth, at most its length). */
let keysScratch = new Uint32Array(0);

/**
 * One linear, non-recursive pass over JSON bytes before they are parsed:
 * counts nesting depth, values, each object's keys and each string's bytes
 * against `limits` (throwing
 * `BodyTooComplexError` at the first byte over a limit) and finds the integer
 * literals outside the safe range. Returns their byte ranges as flat
 * `[start, end, start, end, ...]` (sign included), or undefined when there is
 * none, the common case. It does not validate: malformed JSON is left to the
 * parser, which meets it with the depth already bounded.
 */
export function scanJson(bytes: Uint8Array, limits: DecodeLimits): number[] | undefined {
  const { maxDepth, maxElements } = limits;
  const maxKeys = limits.maxKeys ?? Infinity;
  const maxString = limits.maxStringBytes ?? Infinity;
  const n = bytes.length;
  let depth = 0;
  // Members of the open object at each depth (0 for an array), counted as their keys are met: one
  // array for every scan (set as each depth opens; a key at depth 0 is malformed and counts from 0),
  // not a typed array per body, whose allocation cost more than scanning a small body. Each depth
  // opens on a byte of its own: a body of n bytes never goes deeper than n.
  const deepest = Math.min(maxDepth, n);
  if (keysScratch.length <= deepest) keysScratch = new Uint32Array(deepest + 1);
  const keys = keysScratch;
  keys[0] = 0;
  let elements = 0;
  let unsafe: number[] | undefined;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    switch (STARTS[c]) {
      case STRING: {
        const start = ++i;
        while (i < n) {
          const d = bytes[i]!;
          if (d === QUOTE) break;
          i += d === BACKSLASH ? 2 : 1;
        }
        // Its bytes as written (escapes included), a key's as a value's.
        if (i - start > maxString) throw new BodyTooComplexError('http.maxJsonStringBytes', maxString);
        i++;
        while (i < n && isSpace(bytes[i]!)) i++;
        // A string followed by ':' is an object key, not a value.
        if (i < n && bytes[i] === COLON) {
          if (++keys[depth]! > maxKeys) throw new BodyTooComplexError('http.maxJsonKeys', maxKeys);
          i++;
          break;
        }
        if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
        break;
      }
      case OPEN:
        if (++depth > maxDepth) throw new BodyTooComplexError('http.maxJsonDepth', maxDepth);
        if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
        keys[depth] = 0;
        i++;
        break;
      case CLOSE:
        if (depth > 0) depth--;
        i++;
        break;
      case NUMBER: {
        if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
        const start = c === MINUS ? i + 1 : i;
        i = start;
        while (i < n && isDigit(bytes[i]!)) i++;
        if (i < n && FLOAT_PART[bytes[i]!]) {
          // A fraction or an exponent: a float, which stays a number.
          while (i < n && FLOAT_PART[bytes[i]!]) i++;
        } else if (i - start >= MAX_SAFE_DIGITS.length && isUnsafeMagnitude(bytes, start, i - start) && isIntegerValue(bytes, start, i)) {
          (unsafe ??= []).push(c === MINUS ? start - 1 : start, i);
        }
        break;
      }
      case LITERAL:
        if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
        i++;
        while (i < n && bytes[i]! >= LOWER_A && bytes[i]! <= LOWER_Z) i++;
        break;
      default:
        // whitespace, ',' and anything the parser will refuse
        i++;
    }
  }
  return unsafe;
}

/**
 * Whether the digits at [start, end) are a valid integer literal in value
 * position: no leading zero, not an object key. Only those are quoted for
 * JSON.parse; quoting anything else could turn invalid JSON into valid JSON,
 * which the parser must refuse instead.
 */
function isIntegerValue(bytes: Uint8Array, start: number, end: number): boolean {
  if (bytes[start] === ZERO) return false;
  let k = end;
  while (k < bytes.length && isSpace(bytes[k]!)) k++;
  return bytes[k] !== COLON;
}

/** Whether the `length` digits at `start` (no leading zeros in valid JSON) exceed 2^53 - 1. */
function isUnsafeMagnitude(bytes: Uint8Array, start: number, length: number): boolean {
  if (length !== MAX_SAFE_DIGITS.length) return length > MAX_SAFE_DIGITS.length;
  for (let k = 0; k < length; k++) {
    const d = bytes[start + k]!;
    const m = MAX_SAFE_DIGITS[k]!;
    if (d !== m) return d > m;
  }
  return false;
}
