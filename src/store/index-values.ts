/** What a document contributes to its secondary indexes (shared by both adapters). */
import { StoreValidationError } from './errors.js';
import type { CollectionSpec, IndexValue } from './ports.js';
import { checkU64 } from './uint64.js';
import { MAX_KEY_BYTES, getPath } from './validate.js';

export type Scalar = string | number | bigint | boolean;

/** Index values as stored: Dates become epoch milliseconds. */
export function scalar(v: IndexValue): Scalar {
  return v instanceof Date ? v.getTime() : v;
}

/**
 * The (field, value) pairs a document contributes to its indexes. Arrays are
 * multikey. Values of other types (null, objects) are not indexed. Shared by
 * both adapters so both refuse the same documents: an indexed string longer
 * than MAX_KEY_BYTES is refused.
 */
export function indexEntries<T>(collection: string, spec: CollectionSpec<T>, doc: unknown): [string, Scalar][] {
  const out: [string, Scalar][] = [];
  for (const field of spec.indexes ?? []) {
    const raw = getPath(doc, field);
    const seen = new Set<string>();
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      let s: Scalar;
      if (typeof v === 'string') {
        if (Buffer.byteLength(v) > MAX_KEY_BYTES) {
          throw new StoreValidationError(
            `indexed field ${field} holds a string over ${MAX_KEY_BYTES} UTF-8 bytes`,
            { collection },
          );
        }
        s = v;
      } else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') s = v;
      else if (typeof v === 'bigint') s = checkU64(collection, v);
      else if (v instanceof Date && !Number.isNaN(v.getTime())) s = v.getTime();
      else continue;
      const id = `${typeof s}:${String(s)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push([field, s]);
    }
  }
  return out;
}
