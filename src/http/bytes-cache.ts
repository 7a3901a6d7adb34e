/**
 * Text handed to uWebSockets.js as bytes, made once each: given a string it converts it to UTF-8
 * into a fresh allocation on every call, bytes it reads in place. Bounded: past `max` different
 * texts, the others go as strings.
 */
export function bytesCache(max: number): (text: string) => Buffer | string {
  const cache = new Map<string, Buffer>();
  return (text) => {
    let bytes = cache.get(text);
    if (bytes === undefined) {
      if (cache.size >= max) return text;
      bytes = Buffer.from(text);
      cache.set(text, bytes);
    }
    return bytes;
  };
}
