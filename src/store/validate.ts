/** Checks shared by both adapters, so that both refuse exactly the same inputs. */
import { StoreValidationError } from './errors.js';
import type { BatchOp, CollectionSpec, Expected, IndexValue, ListQuery, Range } from './ports.js';
import { checkU64 } from './uint64.js';

export const MAX_KEY_BYTES = 512;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$/;
const NAMESPACE_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/;
const FIELD_RE = /^[A-Za-z0-9_][A-Za-z0-9_-]*(\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$/;

export function checkCollectionName(name: string): void {
  if (!NAME_RE.test(name) || name.includes('..') || name.endsWith('.')) {
    throw new StoreValidationError(`invalid collection name ${JSON.stringify(name)}`);
  }
}

/** `kytos/topology` -> `kytos.topology` (joined to collection names with `.`). */
export function namespacePrefix(namespace: string): string {
  if (!NAMESPACE_RE.test(namespace) || namespace.length > 60) {
    throw new StoreValidationError(`invalid store namespace ${JSON.stringify(namespace)}`);
  }
  return namespace.replaceAll('/', '.');
}

export function checkSpec<T>(name: string, spec: CollectionSpec<T>): void {
  const fields = [spec.key, ...(spec.indexes ?? [])];
  for (const f of fields) {
    if (typeof f !== 'string' || !FIELD_RE.test(f) || (f === '_id' && f !== spec.key)) {
      throw new StoreValidationError(`invalid field name ${JSON.stringify(f)}`, { collection: name });
    }
  }
  if (new Set(spec.indexes ?? []).size !== (spec.indexes ?? []).length) {
    throw new StoreValidationError('duplicate index', { collection: name });
  }
  const unique = spec.unique ?? [];
  if (!Array.isArray(unique) || new Set(unique).size !== unique.length || unique.some((u) => !(spec.indexes ?? []).includes(u))) {
    throw new StoreValidationError('unique lists distinct fields of indexes', { collection: name });
  }
}

const sameSet = (a: readonly string[] = [], b: readonly string[] = []): boolean => {
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
};

export function sameSpec<T>(a: CollectionSpec<T>, b: CollectionSpec<T>): boolean {
  return a.key === b.key && sameSet(a.indexes, b.indexes) && sameSet(a.unique, b.unique);
}

export function checkKey(collection: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new StoreValidationError(
      `a key must be a non-empty string of at most ${MAX_KEY_BYTES} UTF-8 bytes`,
      { collection },
    );
  }
  return key;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Top-level field names must not contain '.' nor start with '$' (MongoDB reads those as paths/operators). */
function checkFieldNames(collection: string, obj: Record<string, unknown>): void {
  for (const f of Object.keys(obj)) {
    if (f.includes('.') || f.startsWith('$') || f.length === 0) {
      throw new StoreValidationError(`field name ${JSON.stringify(f)} is not portable`, { collection });
    }
  }
}

/** Checks a document's shape (shallow: top level) and returns its key. */
export function checkDoc<T>(collection: string, spec: CollectionSpec<T>, doc: unknown): string {
  if (!isPlainObject(doc)) {
    throw new StoreValidationError('a document must be a plain object', { collection });
  }
  checkFieldNames(collection, doc);
  if (spec.key !== '_id' && '_id' in doc) {
    throw new StoreValidationError('the field _id is reserved', { collection });
  }
  return checkKey(collection, doc[spec.key]);
}

export function checkChanges<T>(collection: string, spec: CollectionSpec<T>, key: string, changes: unknown): void {
  if (!isPlainObject(changes)) {
    throw new StoreValidationError('changes must be a plain object', { collection });
  }
  checkFieldNames(collection, changes);
  if (spec.key !== '_id' && '_id' in changes && changes._id !== undefined) {
    throw new StoreValidationError('the field _id is reserved', { collection });
  }
  const k = changes[spec.key];
  if (k !== undefined && k !== key) {
    throw new StoreValidationError('patch cannot change a document key', { collection });
  }
}

/** Shallow merge, skipping `undefined` values (the port's patch semantics). */
export function merge<T extends object>(doc: T, changes: Partial<T>): T {
  const out: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  for (const [f, v] of Object.entries(changes)) if (v !== undefined) out[f] = v;
  return out as T;
}

/** The defined entries of a patch (what `$set` receives). */
export function definedChanges<T>(changes: Partial<T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [f, v] of Object.entries(changes)) if (v !== undefined) out[f] = v;
  return out;
}

export function checkBatch<T>(collection: string, spec: CollectionSpec<T>, ops: readonly BatchOp<T>[]): void {
  if (!Array.isArray(ops)) throw new StoreValidationError('batch expects an array', { collection });
  for (const op of ops) {
    switch (op?.op) {
      case 'put':
        checkDoc(collection, spec, op.doc);
        break;
      case 'patch':
        checkKey(collection, op.key);
        checkChanges(collection, spec, op.key, op.changes);
        break;
      case 'delete':
        checkKey(collection, op.key);
        break;
      default:
        throw new StoreValidationError(`unknown batch op ${JSON.stringify((op as { op?: unknown })?.op)}`, { collection });
    }
  }
}

function checkIndexValue(collection: string, v: unknown): IndexValue {
  if (typeof v === 'string') {
    if (Buffer.byteLength(v) > MAX_KEY_BYTES) {
      throw new StoreValidationError(`a query string is limited to ${MAX_KEY_BYTES} UTF-8 bytes`, { collection });
    }
    return v;
  }
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return checkU64(collection, v);
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v;
  throw new StoreValidationError('query values are strings, finite numbers, unsigned 64-bit bigints, booleans or valid Dates', {
    collection,
  });
}

/** Checks `patchIf` conditions: top-level field names, comparable values (or null); at least one. */
export function checkExpected(collection: string, expected: unknown): Expected {
  if (!isPlainObject(expected) || Object.keys(expected).length === 0) {
    throw new StoreValidationError('expected must be a non-empty plain object', { collection });
  }
  checkFieldNames(collection, expected);
  // The key is patchIf's first argument; on MongoDB an expected `_id` would replace it in the filter.
  if ('_id' in expected) throw new StoreValidationError('expected cannot name _id', { collection });
  for (const v of Object.values(expected)) if (v !== null) checkIndexValue(collection, v);
  return expected as Expected;
}

interface NormalBase {
  index: string;
  limit: number;
  reverse: boolean;
  where: Expected | undefined;
}

export type NormalQuery =
  | (NormalBase & { kind: 'equals'; value: IndexValue })
  | (NormalBase & { kind: 'prefix'; prefix: string })
  | (NormalBase & { kind: 'range'; range: Range });

export function normalizeQuery<T>(collection: string, spec: CollectionSpec<T>, q: ListQuery): NormalQuery {
  if (!q || typeof q.index !== 'string' || !(spec.indexes ?? []).includes(q.index)) {
    throw new StoreValidationError(`${JSON.stringify(q?.index)} is not an index of this collection`, { collection });
  }
  const limit = q.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 0))) {
    throw new StoreValidationError('limit must be a non-negative integer', { collection });
  }
  const forms = ['equals', 'prefix', 'range'].filter((f) => f in q);
  if (forms.length !== 1) {
    throw new StoreValidationError('a query has exactly one of equals, prefix, range', { collection });
  }
  if (q.reverse !== undefined && typeof q.reverse !== 'boolean') throw new StoreValidationError('reverse must be a boolean', { collection });
  const base: NormalBase = { index: q.index, limit, reverse: q.reverse === true, where: q.where === undefined ? undefined : checkExpected(collection, q.where) };
  if ('equals' in q) return { ...base, kind: 'equals', value: checkIndexValue(collection, q.equals) };
  if ('prefix' in q) {
    if (typeof q.prefix !== 'string') throw new StoreValidationError('prefix must be a string', { collection });
    return { ...base, kind: 'prefix', prefix: checkIndexValue(collection, q.prefix) as string };
  }
  const r = q.range ?? {};
  const range: Range = {};
  for (const b of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (r[b] !== undefined) range[b] = checkIndexValue(collection, r[b]);
  }
  if ((range.gt !== undefined && range.gte !== undefined) || (range.lt !== undefined && range.lte !== undefined)) {
    throw new StoreValidationError('a range has at most one lower and one upper bound', { collection });
  }
  return { ...base, kind: 'range', range };
}

/** Reads a dotted path (`a.b.c`) from a document. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
