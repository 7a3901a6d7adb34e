/**
 * The batch journal of the MongoDB adapter, for servers without
 * transactions (standalone mongod, FerretDB 1.x): a batch is first written
 * as ONE document (atomic by itself) in `_lattice.batches`, then applied as
 * idempotent operations, then its entry is deleted. Entries left by a crash
 * (of this process or of the server) are replayed before the store reports
 * up, so a batch ends up applied entirely or not at all.
 */
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection as MongoColl, type Db, type Document } from 'mongodb';
import type { Logger } from 'pino';
import { isConnectionError, isDuplicateKey } from './classify.js';

export const JOURNAL = '_lattice.batches';

/** Replays of one entry that end in a duplicate key before it is dropped. */
const REPLAY_ATTEMPTS = 3;

/** A document as stored: its key in `_id`. */
export interface Stored {
  _id: string;
  [field: string]: unknown;
}

/** A batch operation as journaled and applied (every one idempotent). */
export type JournalOp =
  | { t: 'put'; key: string; doc: Stored }
  | { t: 'patch'; key: string; set: Document }
  | { t: 'delete'; key: string };

/**
 * Update/delete statements per bulkWrite command. FerretDB 1.24 stalls on an
 * update command of 100 statements or more (99 take ~0.1 s, 100 never
 * return: its SQLite pool has 100 connections and each statement keeps one),
 * so every bulk of updates is sent in slices well below that.
 */
export const BULK_CHUNK = 32;

export function* chunks<X>(xs: readonly X[], n: number): Generator<X[]> {
  for (let i = 0; i < xs.length; i += n) yield xs.slice(i, i + n);
}

interface JournalEntry {
  _id: string;
  coll: string;
  ops: JournalOp[];
  at: Date;
}

/** Runs a multi-statement write (the store serializes them on FerretDB). */
export type BulkGate = <R>(fn: () => Promise<R>) => Promise<R>;

export function toBulk(ops: JournalOp[]): AnyBulkWriteOperation<Stored>[] {
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
export async function applyOps(c: MongoColl<Stored>, ops: JournalOp[], gate: BulkGate): Promise<void> {
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
        await gate(() => c.bulkWrite(toBulk(part), { ordered: true }));
      }
    }
  }
}

let counter = 0;

/** A journal id unique to this process and call, fixed before any retry. */
export function journalId(now: number): string {
  return `${now.toString(36)}-${process.pid}-${(counter++).toString(36)}`;
}

/** Records a batch durably before it is applied. Idempotent per id. */
export async function journalBatch(db: Db, id: string, coll: string, ops: JournalOp[], at: Date): Promise<void> {
  const entry: JournalEntry = { _id: id, coll, ops, at };
  await db.collection<JournalEntry>(JOURNAL).replaceOne({ _id: id }, entry, { upsert: true });
}

export async function unjournal(db: Db, id: string): Promise<void> {
  await db.collection<JournalEntry>(JOURNAL).deleteOne({ _id: id });
}

/** Completes every batch a crash interrupted, oldest first. */
export async function replayJournal(db: Db, gate: BulkGate, log: Logger): Promise<void> {
  const entries = await db.collection<JournalEntry>(JOURNAL).find({}).sort({ at: 1, _id: 1 }).toArray();
  for (const e of entries) {
    log.warn({ coll: e.coll, ops: e.ops.length }, 'replaying an interrupted batch');
    for (let attempt = 1; e.ops.length; attempt++) {
      try {
        await applyOps(db.collection<Stored>(e.coll), e.ops, gate);
        break;
      } catch (err) {
        // A duplicate key that persists is a unique index refusing the batch (a racing writer
        // took a value first): replaying can never succeed, so the batch stays applied up to
        // that operation and is dropped, loudly, rather than keeping the store down forever.
        if (!isDuplicateKey(err)) throw err;
        if (attempt < REPLAY_ATTEMPTS) continue;
        log.error({ coll: e.coll, err: String(err) }, 'an interrupted batch breaks a unique index: applied in part, dropped');
        break;
      }
    }
    await db.collection<JournalEntry>(JOURNAL).deleteOne({ _id: e._id });
  }
}
