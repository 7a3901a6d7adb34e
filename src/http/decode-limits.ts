/**
 * How complex a request body may be. Both decoders (JSON, msgpack) enforce
 * these while scanning the bytes, before anything builds or walks the document.
 */
export interface DecodeLimits {
  /** Deepest nesting of arrays and objects (maps); the top-level value is depth 1 if it is one. */
  maxDepth: number;
  /** Most values in the document: the top-level value, every array element, every object member's value. */
  maxElements: number;
  /** Most members (keys) in any one object (msgpack map); absent: no limit beyond maxElements. */
  maxKeys?: number;
  /** Longest string (key or value; msgpack: str, bin or ext payload) in bytes as written; absent: no limit. */
  maxStringBytes?: number;
}

