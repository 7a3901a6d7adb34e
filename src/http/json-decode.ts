import { parse as parseLossless } from 'lossless-json';
import { InvalidJsonError } from '../errors/index.js';
import type { DecodeLimits } from './decode-limits.js';
import { scanJson } from './json-scan.js';

const INTEGER_LITERAL = /^-?\d+$/;

/** A JSON number: a number, or a bigint for an integer outside the safe range. */
function parseNumber(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) || !INTEGER_LITERAL.test(text) ? n : BigInt(text);
}

/** As JSON.parse: the last of duplicate keys wins. */
const lastKeyWins = ({ newValue }: { newValue: unknown }): unknown => newValue;
const LOSSLESS = { parseNumber, onDuplicateKey: lastKeyWins };

/**
 * Decodes a JSON request body exactly. The bytes are scanned once first
 * (depth and element limits, unsafe integers); a document with no integer
 * beyond 2^53 - 1 is then one plain JSON.parse, one with such an integer is
 * parsed by lossless-json, which gives those integers as bigints and every
 * other number as a number. Either parser only sees a depth-bounded document.
 */
export function decodeJson(bytes: Buffer, limits: DecodeLimits): unknown {
  const unsafe = scanJson(bytes, limits);
  const text = bytes.toString('utf8');
  try {
    return unsafe ? parseLossless(text, null, LOSSLESS) : JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError((error as Error).message, { cause: error });
  }
}
