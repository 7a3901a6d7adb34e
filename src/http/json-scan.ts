import { BodyTooComplexError } from '../errors/index.js';
import type { DecodeLimits } from './decode-limits.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;

/** The digits of Number.MAX_SAFE_INTEGER (2^53 - 1), the largest magnitude a JSON integer may have to stay a number. */
const MAX_SAFE_DIGITS = Buffer.from(String(Number.MAX_SAFE_INTEGER));

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/**
 * One linear, non-recursive pass over JSON bytes before they are parsed:
 * counts nesting depth and values against `limits` (throwing
 * `BodyTooComplexError` at the first byte over a limit) and finds the integer
 * literals outside the safe range. Returns their byte ranges as flat
 * `[start, end, start, end, ...]` (sign included), or undefined when there is
 * none, the common case. It does not validate: malformed JSON is left to the
 * parser, which meets it with the depth already bounded.
 */
export function scanJson(bytes: Uint8Array, limits: DecodeLimits): number[] | undefined {
  const { maxDepth, maxElements } = limits;
  const n = bytes.length;
  let depth = 0;
  let elements = 0;
  let unsafe: number[] | undefined;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      i++;
      while (i < n) {
        const d = bytes[i]!;
        if (d === QUOTE) break;
        i += d === BACKSLASH ? 2 : 1;
      }
      i++;
      while (i < n && isSpace(bytes[i]!)) i++;
      // A string followed by ':' is an object key, not a value.
      if (i < n && bytes[i] === COLON) {
        i++;
        continue;
      }
      if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) throw new BodyTooComplexError('http.maxJsonDepth', maxDepth);
      if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
      i++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth--;
      i++;
    } else if (c === MINUS || isDigit(c)) {
      if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
      const start = c === MINUS ? i + 1 : i;
      i = start;
      while (i < n && isDigit(bytes[i]!)) i++;
      const next = i < n ? bytes[i]! : 0;
      if (next === DOT || next === LOWER_E || next === UPPER_E) {
        // A fraction or an exponent: a float, which stays a number.
        i++;
        while (i < n && (isDigit(bytes[i]!) || bytes[i] === PLUS || bytes[i] === MINUS || bytes[i] === LOWER_E || bytes[i] === UPPER_E || bytes[i] === DOT)) i++;
      } else if (i - start >= MAX_SAFE_DIGITS.length && isUnsafeMagnitude(bytes, start, i - start)) {
        (unsafe ??= []).push(c === MINUS ? start - 1 : start, i);
      }
    } else if (c >= LOWER_A && c <= LOWER_Z) {
      // true, false, null (or garbage the parser will refuse)
      if (++elements > maxElements) throw new BodyTooComplexError('http.maxJsonElements', maxElements);
      i++;
      while (i < n && bytes[i]! >= LOWER_A && bytes[i]! <= LOWER_Z) i++;
    } else {
      // whitespace, ',' and anything the parser will refuse
      i++;
    }
  }
  return unsafe;
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
