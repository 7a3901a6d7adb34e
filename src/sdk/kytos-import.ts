/**
 * Importing Kytos-ng's data (`lattice import-kytos`): a NApp that owns data
 * Kytos-ng kept declares which of Kytos-ng's MongoDB collections it takes and
 * maps their documents into its own, so the mapping lives beside the code
 * that reads the result. The import reads every collection first, runs every
 * NApp's `map`, and writes nothing when any document was refused.
 */
import type { CollectionSpec } from '../store/ports.js';

/**
 * A Kytos-ng document as `map` receives it, its BSON values made plain:
 * Decimal128 holding an integer (cookies) -> bigint (other Decimal128 -> its
 * text); Int64 -> number when exact, else bigint; datetime -> Date; ObjectId
 * -> its hex text; binary (salts) -> Buffer; nested arrays stay nested.
 */
export type KytosDocument = { readonly _id?: unknown } & Readonly<Record<string, unknown>>;

/** Documents mapped into one of the NApp's collections. */
export interface ImportedCollection<T extends object = any> {
  /** The collection as the NApp opens it (`flows`), and the spec it opens it with. */
  readonly name: string;
  readonly spec: CollectionSpec<T>;
  readonly docs: readonly T[];
}

/** One Kytos-ng document left out (`skipped`: nothing of it is needed) or refused (cannot be mapped). */
export interface ImportNote {
  /** The Kytos-ng collection (`flows`). */
  readonly from: string;
  /** The document's `_id` (or `id`). */
  readonly id: string;
  readonly reason: string;
}

export interface ImportOutcome {
  readonly collections: readonly ImportedCollection[];
  readonly skipped: readonly ImportNote[];
  /** Any refusal stops the whole import: nothing is written. */
  readonly refused: readonly ImportNote[];
}

export interface KytosImporter<S = any> {
  /** Kytos-ng's collection names, un-prefixed as Kytos-ng names them (`flows`, `maintenance.windows`). */
  readonly from: readonly string[];
  /** Pure: the documents of each collection in `from` (an absent collection is an empty list); `settings` as the NApp would run with. */
  map(input: Readonly<Record<string, readonly KytosDocument[]>>, settings: S): ImportOutcome;
}

/** The id a note names: `_id`, else `id`, as text. */
export function kytosDocId(doc: KytosDocument): string {
  const id = doc._id ?? doc.id;
  return typeof id === 'string' ? id : id === undefined ? '(no _id)' : JSON.stringify(id, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

/**
 * A Kytos-ng date as an instant (ms): a BSON datetime, or text in the formats
 * Kytos-ng writes (`%Y-%m-%dT%H:%M:%S` taken as UTC, ISO 8601 with an offset
 * or `Z`, `%Y-%m-%dT%H:%M:%S%z`). Undefined for anything else.
 */
export function kytosInstant(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m) return undefined;
  const zone = m[8] === undefined || m[8] === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(-2)}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
