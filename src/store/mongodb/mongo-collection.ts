/**
 * One collection of the MongoDB adapter. Documents are stored as
 * `{ _id: <key>, ...doc }` (readable with any MongoDB tool); `_id` is removed
 * on the way out unless the key field is `_id` itself.
 */
import { BSON, type Db, type Document } from 'mongodb';
import { applyOps, chunks, BULK_CHUNK, journalBatch, journalId, toBulk, unjournal, type JournalOp, type Stored } from './batch-journal.js';
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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MAX_BATCH_BYTES = 15 * 1024 * 1024;

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
    const bulk = toBulk(jops);
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
    const id = journalId(this.store.clock.now());
    let journaled = false;
    try {
      await this.store.run('batch', async (db) => {
        await journalBatch(db, id, this.name, jops, new Date(this.store.clock.now()));
        journaled = true;
        await applyOps(this.coll(db), jops, (fn) => this.store.bulk(fn));
        await unjournal(db, id);
      });
    } catch (err) {
      // Applied in part (or unknown): keep the store down until the journal has been replayed,
      // so that no later write can be overtaken by this batch's replay.
      if (journaled) this.store.markDown(err);
      throw err;
    }
  }
}
