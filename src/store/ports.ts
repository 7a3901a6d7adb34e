/**
 * The store port: a small typed document-collection API (no query language).
 * Two adapters implement it: embedded (LMDB + msgpackr) and MongoDB.
 *
 * Values are plain JSON-able objects (no `undefined`, functions, Maps, class
 * instances) except that `Date` values round-trip as `Date`. A document's key
 * is one of its own string fields, named when the collection is opened.
 */

/** A value an index can hold and a query can compare against. */
export type IndexValue = string | number | boolean | Date;

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
}

/**
 * Documents whose indexed field matches, ordered by (field value, key).
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
