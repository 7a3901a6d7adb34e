/**
 * The store port: a small typed document-collection API (no query language).
 * Two adapters implement it: embedded (LMDB + msgpackr) and MongoDB.
 *
 * Values are plain JSON-able objects (no `undefined`, functions, Maps, class
 * instances) except that `Date` values round-trip as `Date` and `bigint`
 * values (unsigned 64-bit: 0 .. 2^64-1) round-trip as `bigint`. The store
 * never converts between number and bigint: a value written as a bigint reads
 * back as a bigint (even 0n), a number as a number. Arrays nest freely
 * (`[[1, [2, 3]]]`). A document's key is one of its own string fields, named
 * when the collection is opened.
 */

/**
 * A value an index can hold and a query can compare against. Each type is
 * its own domain: a bigint query matches bigint values only (5n never equals
 * 5), so a field meant to hold 64-bit values should always be written as bigint.
 */
export type IndexValue = string | number | bigint | boolean | Date;

/**
 * Expected values of top-level fields for `patchIf`. Each field must equal
 * its value (MongoDB equality: a number matches an equal number, a Date the
 * same instant; an array field matches when one element does); `null`
 * matches a field that is null or absent.
 */
export type Expected = Readonly<Record<string, IndexValue | null>>;

/** What `patchIf` did: applied (and the new document), or not (and the document as it is now). */
export type PatchIfResult<T> = { applied: true; doc: T } | { applied: false; current: T | undefined };

/** Bounds of a range query; any subset, all inclusive/exclusive as named. */
export interface Range {
  gt?: IndexValue;
  gte?: IndexValue;
  lt?: IndexValue;
  lte?: IndexValue;
}

interface ListBase {
  /** An indexed field (dotted path allowed) declared when the collection was opened. */
  index: string;
  /** At most this many documents. */
  limit?: number;
  /** Descending order: (value, key) from the largest; the same documents as without it. */
  reverse?: boolean;
  /**
   * Only documents whose top-level fields hold these values (`patchIf`'s equality: an array
   * matches when one element does, null matches null or absent), checked by the store as it
   * walks the index, before `limit` counts: the cost follows the documents walked.
   */
  where?: Expected;
}

/**
 * Documents whose indexed field matches, ordered by (field value, key) (`reverse`: descending).
 * Array fields are multikey: a document matches when one element matches,
 * and is returned once.
 */
export type ListQuery =
  | (ListBase & { equals: IndexValue })
  | (ListBase & { prefix: string })
  | (ListBase & { range: Range });

export type BatchOp<T> =
  | { op: 'put'; doc: T }
  | { op: 'patch'; key: string; changes: Partial<T> }
  | { op: 'delete'; key: string };

export interface CollectionSpec<T> {
  /** The document field holding its key: a non-empty string of at most 512 UTF-8 bytes. */
  key: keyof T & string;
  /** Fields (dotted paths allowed) that `list()` can query. */
  indexes?: readonly string[];
  /**
   * Indexes (each also listed in `indexes`) whose every value belongs to at
   * most one document; a write that would break that fails with
   * StoreConflictError. Array fields: each element counts.
   */
  unique?: readonly string[];
}

export interface Collection<T extends object> extends AsyncIterable<T> {
  readonly name: string;
  get(key: string): Promise<T | undefined>;
  /** Insert or replace the document with the same key. Resolves once durable. */
  put(doc: T): Promise<void>;
  /**
   * Shallow merge `changes` into the stored document (fields whose value is
   * `undefined` are ignored; the key cannot change). Resolves to the new
   * document, or `undefined` when no document has that key (nothing written).
   */
  patch(key: string, changes: Partial<T>): Promise<T | undefined>;
  /**
   * Insert `doc` only if no document has its key: exactly one of concurrent
   * creators of one key wins, the others get StoreConflictError (also across
   * processes sharing one MongoDB). Resolves once durable.
   */
  create(doc: T): Promise<void>;
  /**
   * Compare-and-set: `patch` only if every field in `expected` still has the
   * expected value, atomically (a version field makes optimistic concurrency:
   * read, then `patchIf(key, { version: v }, { ..., version: v + 1 })`,
   * retrying when `applied` is false). An absent key is not applied.
   */
  patchIf(key: string, expected: Expected, changes: Partial<T>): Promise<PatchIfResult<T>>;
  /** Resolves to whether a document was removed. */
  delete(key: string): Promise<boolean>;
  list(query: ListQuery): Promise<T[]>;
  /** Every document, ordered by key. */
  all(): Promise<T[]>;
  /** Same order as `all()`, without holding every document in memory at once. */
  [Symbol.asyncIterator](): AsyncIterator<T>;
  count(): Promise<number>;
  /** All operations or none, applied in order. */
  batch(ops: readonly BatchOp<T>[]): Promise<void>;
}

export interface StoreStatus {
  backend: 'embedded' | 'mongodb';
  up: boolean;
  lastError?: string;
}

export interface Store {
  /**
   * Open (or create) a collection. Names: 1-100 chars of [A-Za-z0-9_.-],
   * not starting with `_` or `.`. Opening the same name twice in one Store
   * requires the same spec.
   */
  collection<T extends object>(name: string, spec: CollectionSpec<T>): Collection<T>;
  /**
   * A view of this store whose collection names are prefixed with the
   * namespace: `scoped('kytos/topology').collection('switches')` is the
   * collection `kytos.topology.switches` (a valid MongoDB collection name).
   */
  scoped(namespace: string): Store;
  status(): StoreStatus;
  /** Waits for in-flight writes, then releases the database. Idempotent. */
  close(): Promise<void>;
}
