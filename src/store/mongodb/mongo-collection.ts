/**
 * One collection of the MongoDB adapter. Documents are stored as
 * `{ _id: <key>, ...doc }` (readable with any MongoDB tool); `_id` is removed
 * on the way out unless the key field is `_id` itself.
 */
import { BSON, MongoBulkWriteError, type AnyBulkWriteOperation, type Collection as MongoColl, type Db, type Document } from 'mongodb';
import { isConnectionError } from './classify.js';
import { KeyedLock } from '../keyed-lock.js';
import { StoreValidationError } from '../errors.js';
import { indexEntries } from '../index-values.js';
import type { BatchOp, Collection, CollectionSpec, ListQuery } from '../ports.js';
import {
  checkBatch,
  checkChanges,
  checkDoc,
  checkKey,
  definedChanges,
  normalizeQuery,
} from '../validate.js';
import type { MongoStore } from './mongo-store.js';

/** A batch operation as journaled and applied (every one idempotent). */
/** A document as stored: its key in `_id`. */
export interface Stored {
  _id: string;
  [field: string]: unknown;
}

export type JournalOp =
  | { t: 'put'; key: string; doc: Stored }
  | { t: 'patch'; key: string; set: Document }
  | { t: 'delete'; key: string };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MAX_BATCH_BYTES = 15 * 1024 * 1024;
/**
 * Update/delete statements per bulkWrite command. FerretDB 1.24 stalls on an
 * update command of 100 statements or more (99 take ~0.1 s, 100 never
 * return: its SQLite pool has 100 connections and each statement keeps one),
 * so every bulk of updates is sent in slices well below that.
 */
const BULK_CHUNK = 32;

function* chunks<X>(xs: readonly X[], n: number): Generator<X[]> {
  for (let i = 0; i < xs.length; i += n) yield xs.slice(i, i + n);
}

export class MongoCollection<T extends object> implements Collection<T> {
  /**
   * Writes to one key are serialized in this process, in call order. MongoDB
   * makes each single-document write atomic anyway; FerretDB 1.x does not
   * (concurrent $set of different fields on one document lose updates), and
   * the order makes "last write wins" mean the last call.
   */
  private readonly locks = new KeyedLock();

  constructor(
    private readonly store: MongoStore,
    readonly name: string,
    private readonly spec: CollectionSpec<T>,
  ) {}

  static toBulk(ops: JournalOp[]): AnyBulkWriteOperation<Stored>[] {
    return ops.map((o): AnyBulkWriteOperation<Stored> => {
      if (o.t === 'put') return { replaceOne: { filter: { _id: o.key }, replacement: o.doc, upsert: true } };
      if (o.t === 'patch') return { updateOne: { filter: { _id: o.key }, update: { $set: o.set } } };
      return { deleteOne: { filter: { _id: o.key } } };
    });
  }

  /**
   * Applies journaled operations in order; every step is idempotent, so a
   * replay after a crash converges to the same state. A run of consecutive
   * puts is applied as: find which keys exist, insertMany the new documents,
   * replace the existing ones (on FerretDB 1.x an upsert scans the whole
   * collection while an insert does not; on MongoDB inserts are cheaper too).
   * Each document is always replaced whole, never removed and re-inserted, so
   * a reader sees either its old or its new version.
   */
  static async apply(c: MongoColl<Stored>, ops: JournalOp[], gate: <R>(fn: () => Promise<R>) => Promise<R>): Promise<void> {
    let i = 0;
    while (i < ops.length) {
      if (ops[i]!.t === 'put') {
        const run = new Map<string, Stored>();
        for (; i < ops.length && ops[i]!.t === 'put'; i++) {
          const o = ops[i] as Extract<JournalOp, { t: 'put' }>;
          run.delete(o.key); // a later put of the same key wins
          run.set(o.key, o.doc);
        }
        const keys = [...run.keys()];
        const found = await c.find({ _id: { $in: keys } }, { projection: { _id: 1 } }).toArray();
        const existing = new Set(found.map((d) => d._id));
        const replace = keys.filter((k) => existing.has(k));
        const fresh = keys.filter((k) => !existing.has(k));
        if (fresh.length) {
          try {
            await c.insertMany(fresh.map((k) => run.get(k)!), { ordered: false });
          } catch (err) {
            // Inserted meanwhile by another writer: replace those (our write is the later one).
            const dups = err instanceof MongoBulkWriteError ? ([] as { code: number; index: number }[]).concat(err.writeErrors) : [];
            const all = Array.isArray(dups) && dups.length > 0 && dups.every((w) => w.code === 11000);
            if (!all || isConnectionError(err)) throw err;
            for (const w of dups) replace.push(fresh[w.index]!);
          }
        }
        for (const part of chunks(replace, BULK_CHUNK)) {
          await gate(() =>
            c.bulkWrite(
              part.map((k) => ({ replaceOne: { filter: { _id: k }, replacement: run.get(k)!, upsert: true } })),
              { ordered: false },
            ),
          );
        }
      } else {
        const run: JournalOp[] = [];
        for (; i < ops.length && ops[i]!.t !== 'put'; i++) run.push(ops[i]!);
        for (const part of chunks(run, BULK_CHUNK)) {
          await gate(() => c.bulkWrite(MongoCollection.toBulk(part), { ordered: true }));
        }
      }
    }
  }

  private coll(db: Db) {
    return db.collection<Stored>(this.name);
  }

  private out(raw: Stored | null | undefined): T | undefined {
    if (!raw) return undefined;
    if (this.spec.key !== '_id') delete (raw as Partial<Stored>)._id;
    return raw as T;
  }

  private stored(key: string, doc: T): Stored {
    return { ...(doc as Document), _id: key };
  }

  async get(key: string): Promise<T | undefined> {
    checkKey(this.name, key);
    return this.store.run('get', async (db) => this.out(await this.coll(db).findOne({ _id: key })));
  }

  async put(doc: T): Promise<void> {
    const key = checkDoc(this.name, this.spec, doc);
    indexEntries(this.name, this.spec, doc);
    const stored = this.stored(key, doc);
    await this.locks.run([key], () =>
      this.store.run('put', (db) => this.coll(db).replaceOne({ _id: key }, stored, { upsert: true })),
    );
  }

  async patch(key: string, changes: Partial<T>): Promise<T | undefined> {
    checkKey(this.name, key);
    checkChanges(this.name, this.spec, key, changes);
    const set = definedChanges(changes);
    if (Object.keys(set).length === 0) return this.get(key);
    indexEntries(this.name, this.spec, set);
    return this.locks.run([key], () =>
      this.store.run('patch', async (db) => {
        const after = await this.coll(db).findOneAndUpdate({ _id: key }, { $set: set }, { returnDocument: 'after' });
        return this.out(after);
      }),
    );
  }

  async delete(key: string): Promise<boolean> {
    checkKey(this.name, key);
    return this.locks.run([key], () =>
      this.store.run('delete', async (db) => {
        const r = await this.coll(db).deleteOne({ _id: key });
        return r.deletedCount === 1;
      }),
    );
  }

  async list(query: ListQuery): Promise<T[]> {
    const q = normalizeQuery(this.name, this.spec, query);
    if (q.limit === 0) return [];
    let cond: Document;
    if (q.kind === 'equals') cond = { $eq: q.value };
    else if (q.kind === 'prefix') cond = { $regex: `^${escapeRegExp(q.prefix)}` };
    else {
      cond = {};
      for (const [b, v] of Object.entries(q.range)) if (v !== undefined) cond[`$${b}`] = v;
      if (Object.keys(cond).length === 0) cond = { $exists: true };
    }
    return this.store.run('list', async (db) => {
      let cursor = this.coll(db)
        .find({ [q.index]: cond })
        .sort({ [q.index]: 1, _id: 1 });
      if (Number.isFinite(q.limit)) cursor = cursor.limit(q.limit);
      const docs = await cursor.toArray();
      return docs.map((d) => this.out(d)!);
    });
  }

  async all(): Promise<T[]> {
    return this.store.run('all', async (db) => {
      const docs = await this.coll(db).find({}).sort({ _id: 1 }).toArray();
      return docs.map((d) => this.out(d)!);
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    // Pages by key so that no cursor stays open while the consumer works.
    let after: string | undefined;
    for (;;) {
      const page = await this.store.run('iterate', (db) =>
        this.coll(db)
          .find(after === undefined ? {} : ({ _id: { $gt: after } }))
          .sort({ _id: 1 })
          .limit(256)
          .toArray(),
      );
      for (const d of page) yield this.out({ ...d })!;
      if (page.length < 256) return;
      after = page[page.length - 1]!._id;
    }
  }

  async count(): Promise<number> {
    return this.store.run('count', (db) => this.coll(db).countDocuments({}));
  }

  async batch(ops: readonly BatchOp<T>[]): Promise<void> {
    checkBatch(this.name, this.spec, ops);
    const jops: JournalOp[] = [];
    for (const op of ops) {
      if (op.op === 'put') {
        indexEntries(this.name, this.spec, op.doc);
        const key = op.doc[this.spec.key] as unknown as string;
        jops.push({ t: 'put', key, doc: this.stored(key, op.doc) });
      } else if (op.op === 'patch') {
        const set = definedChanges(op.changes);
        indexEntries(this.name, this.spec, set);
        if (Object.keys(set).length) jops.push({ t: 'patch', key: op.key, set });
      } else jops.push({ t: 'delete', key: op.key });
    }
    if (jops.length === 0) return;
    if (BSON.calculateObjectSize({ ops: jops }) > MAX_BATCH_BYTES) {
      throw new StoreValidationError('a batch is limited to 15 MiB of BSON', { collection: this.name });
    }
    const keys = jops.map((o) => o.key);
    await this.locks.run(keys, () => this.applyBatch(jops));
  }

  private async applyBatch(jops: JournalOp[]): Promise<void> {
    const bulk = MongoCollection.toBulk(jops);
    if (this.store.transactions) {
      await this.store.run('batch', async (db) => {
        const session = this.store.mongoClient.startSession();
        try {
          await session.withTransaction(async () => {
            for (const part of chunks(bulk, BULK_CHUNK)) await this.coll(db).bulkWrite(part, { ordered: true, session });
          });
        } finally {
          await session.endSession();
        }
      });
      return;
    }
    // The journal id is fixed before the retry loop: a retried attempt rewrites the same entry.
    const id = this.store.journalId();
    let journaled = false;
    try {
      await this.store.run('batch', async (db) => {
        await this.store.journalBatch(db, id, this.name, jops);
        journaled = true;
        await MongoCollection.apply(this.coll(db), jops, (fn) => this.store.bulk(fn));
        await this.store.unjournal(db, id);
      });
    } catch (err) {
      // Applied in part (or unknown): keep the store down until the journal has been replayed,
      // so that no later write can be overtaken by this batch's replay.
      if (journaled) this.store.markDown(err);
      throw err;
    }
  }
}
