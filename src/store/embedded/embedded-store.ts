/**
 * Embedded adapter: one LMDB environment (the `lmdb` package) under
 * `<dataDir>/store`, values encoded with msgpackr (see codec.ts), secondary
 * index entries written in the same LMDB transaction as their document.
 *
 * Durability. Every write runs in `db.transaction()`; lmdb-js batches all
 * writes queued in one event turn into one LMDB transaction (so concurrent
 * writers share commits). We open with `overlappingSync: true`, `noSync:
 * false`, `noMetaSync: false` (all explicit): a commit is written to the file
 * and then fsync'ed, the fsync overlapping with the next transaction. With
 * `durability: 'flush'` (the default) a write is acknowledged only after
 * `db.flushed` resolves, i.e. after the fsync of its transaction: it survives
 * a kill -9 of the process and also an OS crash or power loss. With
 * `durability: 'commit'` it is acknowledged once committed (visible, in the
 * OS page cache): it survives kill -9 (the page cache belongs to the kernel,
 * and lmdb-js reopens at the last committed transaction while the boot id is
 * unchanged) but the last commits may be lost on a power loss.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import type { Logger } from 'pino';
import { StoreClosedError, StoreConflictError, StoreOperationError } from '../errors.js';
import type { BatchOp, Collection, CollectionSpec, Expected, ListQuery, PatchIfResult, Store, StoreStatus } from '../ports.js';
import { indexEntries, scalar, type Scalar } from '../index-values.js';
import { checkBigInts } from '../uint64.js';
import { ScopedStore } from '../scoped.js';
import { CollectionRegistry } from '../registry.js';
import {
  checkBatch,
  checkChanges,
  checkDoc,
  checkExpected,
  checkKey,
  merge,
  normalizeQuery,
  sameSpec,
} from '../validate.js';
import { createCodec } from './codec.js';
import { matchesExpected } from './expected.js';
import {
  END,
  INDEX_LAYOUT,
  docEnd,
  docKey,
  docStart,
  idxKey,
  metaKey,
  parseIdxKey,
  valuePrefix,
  zoneEnd,
  zoneStart,
  type LmdbKey,
} from './keys.js';

export interface EmbeddedOptions {
  dataDir: string;
  /** 'flush' (default): ack after fsync. 'commit': ack after commit (survives kill -9, not power loss). */
  durability?: 'flush' | 'commit';
  log: Logger;
}

type Codec = ReturnType<typeof createCodec>;
const PAGE = 256;

export async function openEmbeddedStore(options: EmbeddedOptions): Promise<Store> {
  const dir = path.join(options.dataDir, 'store');
  mkdirSync(dir, { recursive: true });
  try {
    const db = open({
      path: dir,
      encoding: 'binary',
      overlappingSync: true,
      noSync: false,
      noMetaSync: false,
      // eventTurnBatching (default true): writes of one event turn share a transaction.
    });
    return new EmbeddedStore(db, options);
  } catch (err) {
    throw new StoreOperationError(`cannot open the embedded store in ${dir}`, { cause: err });
  }
}

export class EmbeddedStore implements Store {
  private readonly codec: Codec = createCodec();
  private readonly collections = new CollectionRegistry<EmbeddedCollection<any>>();
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;
  private closing: Promise<void> | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly db: RootDatabase,
    private readonly options: EmbeddedOptions,
  ) {}

  collection<T extends object>(name: string, spec: CollectionSpec<T>): Collection<T> {
    this.assertOpen();
    return this.collections.open(name, spec, (frozen) => new EmbeddedCollection<T>(this, name, frozen)).coll;
  }

  scoped(namespace: string): Store {
    return new ScopedStore(this, namespace);
  }

  status(): StoreStatus {
    const s: StoreStatus = { backend: 'embedded', up: !this.closed };
    if (this.lastError) s.lastError = this.lastError;
    return s;
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = (async () => {
        await Promise.allSettled([...this.pending]);
        await this.db.close();
      })();
    }
    return this.closing;
  }

  // ---- used by collections ----

  get lmdb(): RootDatabase {
    this.assertOpen();
    return this.db;
  }

  get enc(): Codec {
    return this.codec;
  }

  assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /**
   * Runs `fn` inside the next batched write transaction, in a child
   * transaction so that a throw undoes only this operation's changes.
   * Resolves after commit (and flush, per `durability`).
   */
  async write<R>(fn: () => R): Promise<R> {
    this.assertOpen();
    let failure: { error: unknown } | undefined;
    let result: R | undefined;
    const p = (async () => {
      await this.db.transaction(() => {
        try {
          this.db.transactionSync(() => {
            result = fn();
          });
        } catch (error) {
          failure = { error };
        }
      });
      if (this.options.durability !== 'commit') await this.db.flushed;
    })();
    this.pending.add(p);
    try {
      await p;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.options.log.error({ err }, 'embedded store commit failed');
      throw new StoreOperationError('embedded store commit failed', { cause: err });
    } finally {
      this.pending.delete(p);
    }
    if (failure) throw failure.error;
    return result as R;
  }
}

class EmbeddedCollection<T extends object> implements Collection<T> {
  private readonly ready: Promise<void>;

  constructor(
    private readonly store: EmbeddedStore,
    readonly name: string,
    private readonly spec: CollectionSpec<T>,
  ) {
    this.ready = this.syncIndexes();
    this.ready.catch(() => undefined);
  }

  /** Rebuilds this collection's index entries when its index set changed since the last run. */
  private async syncIndexes(): Promise<void> {
    const db = this.store.lmdb;
    const { encode, decode } = this.store.enc;
    const wanted = {
      key: this.spec.key,
      indexes: [...(this.spec.indexes ?? [])].sort(),
      unique: [...(this.spec.unique ?? [])].sort(),
      layout: INDEX_LAYOUT,
    };
    const raw = db.get(metaKey(this.name)) as Buffer | undefined;
    const had = raw ? decode<Partial<typeof wanted>>(raw) : undefined;
    if (had && had.key === wanted.key && had.layout === INDEX_LAYOUT && sameSpec({ ...had, key: wanted.key }, wanted)) return;
    await this.store.write(() => {
      for (const k of db.getKeys({ start: ['i', this.name], end: ['i', this.name, END] })) db.removeSync(k as LmdbKey);
      for (const { value } of db.getRange({ start: docStart(this.name), end: docEnd(this.name) })) {
        const doc = decode<T>(value as Buffer);
        const key = (doc as Record<string, unknown>)[this.spec.key] as string;
        for (const [f, v] of indexEntries(this.name, this.spec, doc)) {
          this.checkUnique(f, v, key);
          db.putSync(idxKey(this.name, f, v, key), EMPTY);
        }
      }
      db.putSync(metaKey(this.name), encode(wanted));
    });
  }

  async get(key: string): Promise<T | undefined> {
    checkKey(this.name, key);
    await this.ready;
    const raw = this.store.lmdb.get(docKey(this.name, key)) as Buffer | undefined;
    return raw ? this.store.enc.decode<T>(raw) : undefined;
  }

  /** Checks a document and encodes it (outside any transaction). */
  private prepare(doc: T): { key: string; bytes: Buffer; entries: [string, Scalar][] } {
    const key = checkDoc(this.name, this.spec, doc);
    checkBigInts(this.name, doc);
    const entries = indexEntries(this.name, this.spec, doc);
    return { key, bytes: this.store.enc.encode(doc), entries };
  }

  async put(doc: T): Promise<void> {
    const { key, bytes, entries } = this.prepare(doc);
    await this.ready;
    await this.store.write(() => this.putInTxn(key, bytes, entries));
  }

  async create(doc: T): Promise<void> {
    const { key, bytes, entries } = this.prepare(doc);
    await this.ready;
    await this.store.write(() => {
      if (this.store.lmdb.doesExist(docKey(this.name, key))) {
        throw new StoreConflictError(`a document with key ${JSON.stringify(key)} exists`, { collection: this.name, key });
      }
      this.putInTxn(key, bytes, entries);
    });
  }

  async patch(key: string, changes: Partial<T>): Promise<T | undefined> {
    this.checkPatch(key, changes);
    await this.ready;
    return this.store.write(() => this.patchInTxn(key, changes));
  }

  async patchIf(key: string, expected: Expected, changes: Partial<T>): Promise<PatchIfResult<T>> {
    this.checkPatch(key, changes);
    checkExpected(this.name, expected);
    await this.ready;
    return this.store.write((): PatchIfResult<T> => {
      const raw = this.store.lmdb.get(docKey(this.name, key)) as Buffer | undefined;
      const current = raw ? this.store.enc.decode<T>(raw) : undefined;
      if (!current || !matchesExpected(current as Record<string, unknown>, expected)) return { applied: false, current };
      return { applied: true, doc: this.patchInTxn(key, changes)! };
    });
  }

  /** Refuses what cannot be patched or encoded before entering the transaction. */
  private checkPatch(key: string, changes: Partial<T>): void {
    checkKey(this.name, key);
    checkChanges(this.name, this.spec, key, changes);
    checkBigInts(this.name, changes);
    this.store.enc.encode(changes);
  }

  async delete(key: string): Promise<boolean> {
    checkKey(this.name, key);
    await this.ready;
    return this.store.write(() => this.deleteInTxn(key));
  }

  async batch(ops: readonly BatchOp<T>[]): Promise<void> {
    checkBatch(this.name, this.spec, ops);
    const prepared = ops.map((op) => {
      if (op.op === 'put') return { op, ...this.prepare(op.doc) };
      if (op.op === 'patch') this.checkPatch(op.key, op.changes);
      return { op, key: op.key, bytes: undefined, entries: undefined };
    });
    if (prepared.length === 0) return;
    await this.ready;
    await this.store.write(() => {
      for (const p of prepared) {
        if (p.op.op === 'put') this.putInTxn(p.key, p.bytes!, p.entries!);
        else if (p.op.op === 'patch') this.patchInTxn(p.key, p.op.changes);
        else this.deleteInTxn(p.key);
      }
    });
  }

  async list(query: ListQuery): Promise<T[]> {
    const q = normalizeQuery(this.name, this.spec, query);
    await this.ready;
    const db = this.store.lmdb;
    const c = this.name;
    const f = q.index;
    let start: LmdbKey;
    let end: LmdbKey;
    let accept: (v: Scalar) => boolean | 'stop' = () => true;
    if (q.kind === 'equals') {
      start = valuePrefix(c, f, scalar(q.value));
      end = [...start, END];
    } else if (q.kind === 'prefix') {
      start = ['i', c, f, q.prefix];
      end = ['i', c, f, END];
      const prefix = q.prefix;
      // Descending, the walk starts at the field's largest value: skip down to the prefix's values.
      accept = q.reverse
        ? (v) => (typeof v !== 'string' ? 'stop' : v.startsWith(prefix) ? true : v > prefix ? false : 'stop')
        : (v) => (typeof v === 'string' && v.startsWith(prefix) ? true : 'stop');
    } else {
      const { gt, gte, lt, lte } = q.range;
      const lower = gt ?? gte;
      const upper = lt ?? lte;
      // Like MongoDB, a range compares values of the bound's type only.
      if (lower !== undefined && upper !== undefined && typeof scalar(lower) !== typeof scalar(upper)) return [];
      const type = typeof scalar((lower ?? upper)!);
      const big = type === 'bigint';
      start = lower === undefined ? zoneStart(c, f, big) : [...valuePrefix(c, f, scalar(lower)), ...(gt !== undefined ? [END] : [])];
      end = upper === undefined ? zoneEnd(c, f, big) : [...valuePrefix(c, f, scalar(upper)), ...(lte !== undefined ? [END] : [])];
      accept = (v) => typeof v === type;
    }
    const out: T[] = [];
    if (q.limit === 0) return out;
    const seen = new Set<string>();
    const where = q.where;
    // No index key equals a bound (bounds are value prefixes, or end in END), so swapping them for
    // a descending walk keeps the same keys.
    const walk = q.reverse ? { start: end, end: start, reverse: true } : { start, end };
    const txn = db.useReadTransaction();
    try {
      for (const k of db.getKeys({ ...walk, transaction: txn } as never)) {
        const entry = parseIdxKey(k as LmdbKey);
        const ok = accept(entry.value);
        if (ok === 'stop') break;
        if (!ok || seen.has(entry.key)) continue;
        seen.add(entry.key);
        const raw = db.get(docKey(c, entry.key), { transaction: txn } as never) as Buffer | undefined;
        if (!raw) continue;
        const doc = this.store.enc.decode<T>(raw);
        if (where && !matchesExpected(doc as Record<string, unknown>, where)) continue;
        out.push(doc);
        if (out.length >= q.limit) break;
      }
    } finally {
      txn.done();
    }
    return out;
  }

  async all(): Promise<T[]> {
    await this.ready;
    const db = this.store.lmdb;
    const out: T[] = [];
    for (const { value } of db.getRange({ start: docStart(this.name), end: docEnd(this.name) })) {
      out.push(this.store.enc.decode<T>(value as Buffer));
    }
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    await this.ready;
    let start: LmdbKey = docStart(this.name);
    for (;;) {
      const page: { key: LmdbKey; doc: T }[] = [];
      for (const { key, value } of this.store.lmdb.getRange({ start, end: docEnd(this.name), limit: PAGE })) {
        page.push({ key: key as LmdbKey, doc: this.store.enc.decode<T>(value as Buffer) });
      }
      for (const p of page) yield p.doc;
      if (page.length < PAGE) return;
      start = [...page[page.length - 1]!.key, END];
    }
  }

  async count(): Promise<number> {
    await this.ready;
    return this.store.lmdb.getKeysCount({ start: docStart(this.name), end: docEnd(this.name) });
  }

  // ---- inside a write transaction ----

  private removeEntries(key: string, old: T): void {
    const db = this.store.lmdb;
    for (const [f, v] of indexEntries(this.name, this.spec, old)) db.removeSync(idxKey(this.name, f, v, key));
  }

  private putInTxn(key: string, bytes: Buffer, entries: [string, Scalar][]): void {
    const db = this.store.lmdb;
    // The old document's index entries go; a collection without indexes has none to read.
    if ((this.spec.indexes?.length ?? 0) > 0) {
      const oldRaw = db.get(docKey(this.name, key)) as Buffer | undefined;
      if (oldRaw) this.removeEntries(key, this.store.enc.decode<T>(oldRaw));
    }
    for (const [f, v] of entries) this.checkUnique(f, v, key);
    db.putSync(docKey(this.name, key), bytes);
    for (const [f, v] of entries) db.putSync(idxKey(this.name, f, v, key), EMPTY);
  }

  /** Throws StoreConflictError when a unique index already holds `v` for another document. */
  private checkUnique(field: string, v: Scalar, key: string): void {
    if (!this.spec.unique?.includes(field)) return;
    const db = this.store.lmdb;
    const prefix = valuePrefix(this.name, field, v);
    for (const k of db.getKeys({ start: prefix, end: [...prefix, END] })) {
      if (parseIdxKey(k as LmdbKey).key !== key) {
        throw new StoreConflictError(`unique index ${field} already holds this value`, { collection: this.name, index: field });
      }
    }
  }

  private patchInTxn(key: string, changes: Partial<T>): T | undefined {
    const db = this.store.lmdb;
    const oldRaw = db.get(docKey(this.name, key)) as Buffer | undefined;
    if (!oldRaw) return undefined;
    const next = merge(this.store.enc.decode<T>(oldRaw), changes);
    this.putInTxn(key, this.store.enc.encode(next), indexEntries(this.name, this.spec, next));
    return next;
  }

  private deleteInTxn(key: string): boolean {
    const db = this.store.lmdb;
    const oldRaw = db.get(docKey(this.name, key)) as Buffer | undefined;
    if (!oldRaw) return false;
    this.removeEntries(key, this.store.enc.decode<T>(oldRaw));
    db.removeSync(docKey(this.name, key));
    return true;
  }
}

const EMPTY = Buffer.alloc(0);
