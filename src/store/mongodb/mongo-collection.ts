/**
 * One collection of the MongoDB adapter. Documents are stored as
 * `{ _id: <key>, ...doc }` (readable with any MongoDB tool; bigints and
 * nested arrays encoded as codec.ts describes); `_id` is removed on the way
 * out unless the key field is `_id` itself.
 *
 * Conditional writes use the server's atomic operations, so they hold across
 * processes sharing one database: `create` is an insertOne (a taken `_id`
 * is a duplicate-key refusal), `patchIf` a findOneAndUpdate whose filter
 * carries the expected values, unique indexes are the server's.
 */
import { BSON, type Db, type Document, type Filter } from 'mongodb';
import { applyOps, chunks, BULK_CHUNK, journalBatch, journalId, toBulk, unjournal, type JournalOp, type Stored } from './batch-journal.js';
import { KeyedMutex } from '../../actor/locks.js';
import { StoreConflictError, StoreValidationError } from '../errors.js';
import { indexEntries } from '../index-values.js';
import type { BatchOp, Collection, CollectionSpec, Expected, ListQuery, PatchIfResult } from '../ports.js';
import {
  checkBatch,
  checkChanges,
  checkDoc,
  checkExpected,
  checkKey,
  definedChanges,
  getPath,
  normalizeQuery,
} from '../validate.js';
import { duplicateKeyIndex, isDuplicateKey } from './classify.js';
import { setIfUnchanged } from './cas-claims.js';
import { decodeDoc, encodeDoc, encodeValue } from './codec.js';
import { planUnique } from './unique-batch.js';
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
  private readonly locks = new KeyedMutex();

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
    return decodeDoc(raw) as unknown as T;
  }

  private stored(key: string, doc: T): Stored {
    return { ...encodeDoc(this.name, doc as Document), _id: key };
  }

  /** The `$set` of a patch, checked and encoded (undefined when it changes nothing). */
  private setOf(changes: Partial<T>): Document | undefined {
    const set = definedChanges(changes);
    if (Object.keys(set).length === 0) return undefined;
    indexEntries(this.name, this.spec, set);
    return encodeDoc(this.name, set);
  }

  /**
   * Runs a write of `fields` (a stored document or a `$set`) to `key`,
   * turning a unique index's duplicate-key refusal into StoreConflictError.
   * Other duplicate keys (two upserts of one new `_id` racing) are rethrown:
   * the retry policy retries them.
   */
  private async unique<R>(db: Db, key: string, fields: Document, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const index = duplicateKeyIndex(err) ?? (await this.uniqueHolder(db, key, fields));
      if (index !== undefined && index !== '_id') throw this.conflict(index, err);
      throw err;
    }
  }

  private conflict(index: string, cause?: unknown): StoreConflictError {
    return new StoreConflictError(`unique index ${index} already holds this value`, { collection: this.name, index }, { cause });
  }

  /** The first unique field of `fields` whose value another document than `key` holds. */
  private async uniqueHolder(db: Db, key: string, fields: Document): Promise<string | undefined> {
    for (const field of this.spec.unique ?? []) {
      const v = getPath(fields, field);
      if (v === undefined || v === null) continue;
      const filter = { [field]: { $in: Array.isArray(v) ? v : [v] }, _id: { $ne: key } } as Filter<Stored>;
      if (await this.coll(db).findOne(filter, { projection: { _id: 1 } })) return field;
    }
    return undefined;
  }

  async get(key: string): Promise<T | undefined> {
    checkKey(this.name, key);
    return this.store.run('get', async (db) => this.out(await this.coll(db).findOne({ _id: key })));
  }

  async put(doc: T): Promise<void> {
    const key = checkDoc(this.name, this.spec, doc);
    indexEntries(this.name, this.spec, doc);
    const stored = this.stored(key, doc);
    await this.store.indexesOf(this.name, this.spec);
    await this.locks.runAll([key], () =>
      this.store.run('put', (db) => this.unique(db, key, stored, () => this.coll(db).replaceOne({ _id: key }, stored, { upsert: true }))),
    );
  }

  async create(doc: T): Promise<void> {
    const key = checkDoc(this.name, this.spec, doc);
    indexEntries(this.name, this.spec, doc);
    const stored = this.stored(key, doc);
    await this.store.indexesOf(this.name, this.spec);
    await this.locks.runAll([key], () =>
      this.store.run('create', async (db) => {
        try {
          await this.coll(db).insertOne(stored);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          let index = duplicateKeyIndex(err);
          if (index === undefined && (await this.coll(db).countDocuments({ _id: key }, { limit: 1 }))) index = '_id';
          index ??= await this.uniqueHolder(db, key, stored);
          if (index === '_id') {
            throw new StoreConflictError(`a document with key ${JSON.stringify(key)} exists`, { collection: this.name, key }, { cause: err });
          }
          // A duplicate whose holder is already gone (deleted meanwhile) is a lost race all the same.
          throw this.conflict(index ?? 'unknown', err);
        }
      }),
    );
  }

  async patch(key: string, changes: Partial<T>): Promise<T | undefined> {
    checkKey(this.name, key);
    checkChanges(this.name, this.spec, key, changes);
    const set = this.setOf(changes);
    if (!set) return this.get(key);
    await this.store.indexesOf(this.name, this.spec);
    return this.locks.runAll([key], () =>
      this.store.run('patch', (db) =>
        this.unique(db, key, set, async () =>
          this.out(await this.coll(db).findOneAndUpdate({ _id: key }, { $set: set }, { returnDocument: 'after' })),
        ),
      ),
    );
  }

  async patchIf(key: string, expected: Expected, changes: Partial<T>): Promise<PatchIfResult<T>> {
    checkKey(this.name, key);
    checkChanges(this.name, this.spec, key, changes);
    checkExpected(this.name, expected);
    const filter: Filter<Stored> = { _id: key };
    for (const [f, v] of Object.entries(expected)) (filter as Document)[f] = encodeValue(this.name, v);
    const set = this.setOf(changes);
    await this.store.indexesOf(this.name, this.spec);
    return this.locks.runAll([key], () =>
      this.store.run('patchIf', async (db): Promise<PatchIfResult<T>> => {
        let after: Stored | null | undefined;
        if (this.store.atomicUpdates) {
          after = set
            ? await this.unique(db, key, set, () => this.coll(db).findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' }))
            : await this.coll(db).findOne(filter);
        } else {
          // Check the expected values on the server, then claim that exact state (cas-claims.ts).
          const seen = await this.coll(db).findOne(filter);
          if (seen) after = await this.unique(db, key, set ?? {}, () => setIfUnchanged(() => this.store.clock.now(), db, this.coll(db), this.name, key, seen, set));
        }
        if (after) return { applied: true, doc: this.out(after)! };
        return { applied: false, current: this.out(await this.coll(db).findOne({ _id: key })) };
      }),
    );
  }

  async delete(key: string): Promise<boolean> {
    checkKey(this.name, key);
    return this.locks.runAll([key], () =>
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
    if (q.kind === 'equals') cond = { $eq: encodeValue(this.name, q.value) };
    else if (q.kind === 'prefix') cond = { $regex: `^${escapeRegExp(q.prefix)}` };
    else {
      cond = {};
      for (const [b, v] of Object.entries(q.range)) if (v !== undefined) cond[`$${b}`] = encodeValue(this.name, v);
      if (Object.keys(cond).length === 0) cond = { $exists: true };
    }
    const filter: Document = { [q.index]: cond };
    // patchIf's equality; a condition on the indexed field itself is added beside the index's.
    if (q.where) {
      for (const [f, v] of Object.entries(q.where)) {
        const want = encodeValue(this.name, v);
        if (f === q.index) filter.$and = [...((filter.$and as Document[] | undefined) ?? []), { [f]: want }];
        else filter[f] = want;
      }
    }
    const dir = q.reverse ? -1 : 1;
    return this.store.run('list', async (db) => {
      let cursor = this.coll(db)
        .find(filter as Filter<Stored>)
        .sort({ [q.index]: dir, _id: dir });
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
        const set = this.setOf(op.changes);
        if (set) jops.push({ t: 'patch', key: op.key, set });
      } else jops.push({ t: 'delete', key: op.key });
    }
    if (jops.length === 0) return;
    if (BSON.calculateObjectSize({ ops: jops }) > MAX_BATCH_BYTES) {
      throw new StoreValidationError('a batch is limited to 15 MiB of BSON', { collection: this.name });
    }
    const keys = jops.map((o) => o.key);
    await this.store.indexesOf(this.name, this.spec);
    await this.locks.runAll(keys, async () => {
      await this.checkUniqueBatch(jops);
      await this.applyBatch(jops);
    });
  }

  /**
   * Refuses a batch that would give a unique index value to two documents
   * (within the batch, or one outside it), before anything is journaled.
   * (Without transactions a writer racing this batch can still win a value:
   * the bulk write then stops at the refusal and the journal replay drops it,
   * see batch-journal.ts.)
   */
  private async checkUniqueBatch(jops: JournalOp[]): Promise<void> {
    for (const field of this.spec.unique ?? []) {
      const plan = planUnique(field, jops);
      if (!plan) throw this.conflict(field);
      if (plan.values.length === 0) continue;
      const held = await this.store.run('batch', (db) =>
        this.coll(db).findOne({ [field]: { $in: plan.values }, _id: { $nin: plan.released } } as Filter<Stored>, { projection: { _id: 1 } }),
      );
      if (held) throw this.conflict(field);
    }
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
