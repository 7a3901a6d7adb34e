/**
 * The nesting depth of a JSON text, found by one pass over its bytes (strings
 * skipped, escapes honoured) before it is parsed, so that a deep-nesting bomb
 * that fits under the body limit is refused cheaply instead of reaching a
 * recursive validator. Returns true when no object or array nests deeper than
 * `max`.
 */
export function jsonDepthWithin(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return true;
}
