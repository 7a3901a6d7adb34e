/**
 * MongoDB adapter: the official `mongodb` driver. Also runs against FerretDB.
 *
 * Health. The store is `up` while the driver sees a writable server. It
 * goes down on a connection error (or when the driver's monitor loses the
 * server); while down every operation fails at once with
 * StoreUnavailableError (no 30 s server-selection wait) and a background loop
 * pings with exponential backoff. On success it replays the batch journal
 * (below), re-creates indexes, and only then reports up again. If the server
 * is unreachable at start, `openMongoStore` still resolves (down) and the
 * same loop connects later.
 *
 * Retries. A transient server refusal (write conflict, not-primary,
 * shutting down, E11000 from two racing upserts) is retried with bounded
 * exponential backoff; a network error is retried once (every write we send
 * is idempotent: replace by _id, $set, delete by _id). After that the error
 * becomes StoreUnavailableError.
 *
 * Batches. Where the server supports transactions (a replica set or
 * sharded cluster) a batch is one bulkWrite inside a transaction. Otherwise
 * (standalone mongod, FerretDB 1.x) the batch is first written as ONE
 * journal document (atomic by itself) in `_lattice.batches`, then applied
 * as an ordered bulkWrite of idempotent operations, then the journal entry
 * is deleted. If the process or the server dies in between, the journal is
 * replayed before the store reports up again (next start or reconnect), so
 * a batch ends up applied entirely or not at all. What this mode cannot
 * give: isolation. A concurrent reader may observe a batch half-applied
 * while it is being applied (each document on its own is never torn).
 */
import { MongoClient, MongoNetworkTimeoutError, type Db, type IndexDescription, type ReadPreferenceMode, type TopologyDescriptionChangedEvent } from 'mongodb';
import type { Logger } from 'pino';
import { sleep, systemClock, type Clock } from '../../actor/clock.js';
import { StoreClosedError, StoreConflictError, StoreOperationError, StoreUnavailableError, StoreValidationError } from '../errors.js';
import type { Collection, CollectionSpec, Store, StoreStatus } from '../ports.js';
import { KeyedMutex } from '../../actor/locks.js';
import { ScopedStore } from '../scoped.js';
import { CollectionRegistry } from '../registry.js';
import { UNIQUE_INDEX_PREFIX, describe, isConnectionError, isTransientServerError } from './classify.js';
import { MongoCollection } from './mongo-collection.js';
import { replayJournal } from './batch-journal.js';

export interface MongoStoreOptions {
  uri: string;
  dbName: string;
  /** `w` of the write concern: 'majority' (default, as Kytos-ng) or a number. */
  writeConcern?: 'majority' | number;
  /** Wait for the server's journal before acknowledging (write concern `j`). Default true. */
  journal?: boolean;
  readPreference?: ReadPreferenceMode;
  maxPoolSize?: number;
  minPoolSize?: number;
  /** How long an operation waits for a usable server before failing. Default 1000 ms. */
  serverSelectionTimeoutMS?: number;
  /**
   * TCP connect timeout, also the timeout of the driver's heartbeat. A server
   * that hangs (no RST) is detected within heartbeatFrequencyMS +
   * connectTimeoutMS; the driver then interrupts in-flight operations and the
   * store goes down. Defaults 1000 + 1000 ms.
   */
  connectTimeoutMS?: number;
  /** Socket inactivity timeout of an operation (a slow but healthy server). Default 30000 ms. */
  socketTimeoutMS?: number;
  heartbeatFrequencyMS?: number;
  /** Retries of a transient server error. Default 3. */
  maxRetries?: number;
  /** Reconnect backoff bounds. Defaults 200 ms .. 2000 ms. */
  reconnectMinMS?: number;
  reconnectMaxMS?: number;
  /** Retry and reconnect delays run on it; the system clock when absent. */
  clock?: Clock;
  log: Logger;
}

const QUICK_RETRY_WINDOW_MS = 300;
const WRITABLE = new Set(['Standalone', 'RSPrimary', 'Mongos', 'LoadBalancer']);

export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  // A malformed URI is a configuration error, not an outage: refuse it now instead of retrying forever.
  try {
    new MongoClient(options.uri);
  } catch (err) {
    throw new StoreValidationError(`invalid MongoDB URI: ${describe(err)}`);
  }
  if (!options.dbName) throw new StoreValidationError('a MongoDB database name is required');
  const store = new MongoStore(options);
  await store.start();
  return store;
}


export class MongoStore implements Store {
  private client: MongoClient | undefined;
  private database: Db | undefined;
  private up = false;
  private recovering: Promise<void> | undefined;
  private lastError: string | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private txnSupported = false;
  private ferretdb = false;
  /**
   * FerretDB 1.x (SQLite) holds one pool connection (of 100) per statement of
   * an update command until the command ends, and deadlocks at the 100th:
   * there, bulk update commands run one at a time, in slices (see
   * mongo-collection.ts), so statements in flight stay below that limit.
   */
  private readonly bulkGate = new KeyedMutex();
  private readonly collections = new CollectionRegistry<MongoCollection<any>>();
  /** Collections with unique indexes whose indexes are known to exist (writes wait for them). */
  private readonly indexReady = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly stopSignal: { stop: boolean; wake?: () => void } = { stop: false };
  readonly log: Logger;
  readonly clock: Clock;

  constructor(readonly options: MongoStoreOptions) {
    this.log = options.log;
    this.clock = options.clock ?? systemClock();
  }

  /** Tries once to connect; when that fails, the store starts down and reconnects in the background. */
  async start(): Promise<void> {
    try {
      await this.connectOnce();
    } catch (err) {
      this.setDown(err);
      this.startRecovery();
    }
  }

  private async connectOnce(): Promise<void> {
    const o = this.options;
    const client = new MongoClient(o.uri, {
      writeConcern: { w: o.writeConcern ?? 'majority', journal: o.journal ?? true },
      readPreference: o.readPreference ?? 'primaryPreferred',
      maxPoolSize: o.maxPoolSize ?? 50,
      minPoolSize: o.minPoolSize ?? 0,
      serverSelectionTimeoutMS: o.serverSelectionTimeoutMS ?? 1000,
      connectTimeoutMS: o.connectTimeoutMS ?? 1000,
      socketTimeoutMS: o.socketTimeoutMS ?? 30000,
      heartbeatFrequencyMS: o.heartbeatFrequencyMS ?? 1000,
      ignoreUndefined: true,
      // Our own policy retries (every write we send is idempotent); the driver's extra
      // retry after a cleared pool would add a second server-selection wait to a failure.
      retryWrites: false,
      retryReads: false,
      appName: 'lattice',
    });
    client.on('topologyDescriptionChanged', (e: TopologyDescriptionChangedEvent) => this.onTopology(e));
    try {
      await client.connect();
      const db = client.db(o.dbName);
      const hello = await db.admin().command({ hello: 1 });
      this.txnSupported =
        hello.logicalSessionTimeoutMinutes != null && (typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
      const build = await db.admin().command({ buildInfo: 1 });
      this.ferretdb = typeof build.ferretdbVersion === 'string';
      this.client = client;
      this.database = db;
      await replayJournal(this.database!, (fn) => this.bulk(fn), this.log);
      await this.ensureAllIndexes();
      this.up = true;
      this.lastError = undefined;
      this.log.info({ txn: this.txnSupported }, 'mongodb store up');
    } catch (err) {
      this.client = undefined;
      this.database = undefined;
      await client.close(true).catch(() => undefined);
      throw err;
    }
  }

  private onTopology(e: TopologyDescriptionChangedEvent): void {
    if (this.closed) return;
    const writable = [...e.newDescription.servers.values()].some((s) => WRITABLE.has(s.type));
    if (!this.up) {
      if (writable) this.stopSignal.wake?.(); // the driver sees the server again: recover now
      return;
    }
    if (!writable) {
      this.setDown(new Error('the driver lost every writable server'));
      this.startRecovery();
    }
  }

  private setDown(err: unknown): void {
    if (this.up) this.log.warn({ err: describe(err) }, 'mongodb store down');
    this.up = false;
    this.lastError = describe(err);
  }

  private startRecovery(): void {
    if (this.recovering || this.closed) return;
    this.recovering = (async () => {
      let delay = this.options.reconnectMinMS ?? 200;
      const max = this.options.reconnectMaxMS ?? 2000;
      while (!this.closed) {
        await new Promise<void>((r) => {
          const t = this.clock.setTimeout(r, delay);
          this.stopSignal.wake = () => {
            this.clock.clearTimeout(t);
            r();
          };
        });
        if (this.closed) break;
        try {
          if (this.client && this.database) {
            await this.database.admin().command({ ping: 1 });
            await replayJournal(this.database!, (fn) => this.bulk(fn), this.log);
            await this.ensureAllIndexes();
            this.up = true;
            this.lastError = undefined;
            this.log.info('mongodb store up again');
          } else {
            await this.connectOnce();
          }
          break;
        } catch (err) {
          this.lastError = describe(err);
          delay = Math.min(max, delay * 2);
        }
      }
    })().finally(() => {
      this.recovering = undefined;
    });
  }

  // ---- Store ----

  collection<T extends object>(name: string, spec: CollectionSpec<T>): Collection<T> {
    this.assertOpen();
    const opened = this.collections.open(name, spec, (frozen) => new MongoCollection<T>(this, name, frozen));
    if (opened.created && this.up) {
      if (opened.spec.unique?.length) this.indexesOf(name, opened.spec).catch(() => undefined);
      else this.ensureIndexes(name, opened.spec).catch((err) => this.log.warn({ err: describe(err), name }, 'createIndex failed'));
    }
    return opened.coll;
  }

  scoped(namespace: string): Store {
    return new ScopedStore(this, namespace);
  }

  status(): StoreStatus {
    const s: StoreStatus = { backend: 'mongodb', up: this.up && !this.closed };
    if (this.lastError) s.lastError = this.lastError;
    return s;
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.up = false;
      this.stopSignal.wake?.();
      this.closing = (async () => {
        await Promise.allSettled([...this.pending]);
        await this.recovering;
        await this.client?.close(true).catch(() => undefined);
      })();
    }
    return this.closing;
  }

  // ---- used by collections ----

  get transactions(): boolean {
    return this.txnSupported;
  }

  /**
   * Whether an update's filter and write are one atomic step (MongoDB). Not
   * on FerretDB 1.x: there patchIf claims the state first (cas-claims.ts).
   */
  get atomicUpdates(): boolean {
    return !this.ferretdb;
  }

  /** Runs a multi-statement write, one at a time on FerretDB (see `bulkGate`). */
  bulk<R>(fn: () => Promise<R>): Promise<R> {
    return this.ferretdb ? this.bulkGate.run('bulk', fn) : fn();
  }

  get mongoClient(): MongoClient {
    return this.client!;
  }

  assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** The database handle, or a fast StoreUnavailableError while down. */
  db(): Db {
    this.assertOpen();
    if (!this.up || !this.database) {
      this.startRecovery();
      throw new StoreUnavailableError(`mongodb store unavailable${this.lastError ? `: ${this.lastError}` : ''}`, {
        backend: 'mongodb',
        retryAfterSeconds: 1,
      });
    }
    return this.database;
  }

  /**
   * Runs one idempotent operation with the retry policy, tracking it so that
   * `close()` waits for it. Connection errors mark the store down.
   */
  async run<R>(what: string, fn: (db: Db) => Promise<R>): Promise<R> {
    const db = this.db();
    const p = this.retrying(what, db, fn);
    this.pending.add(p);
    try {
      return await p;
    } finally {
      this.pending.delete(p);
    }
  }

  private async retrying<R>(what: string, db: Db, fn: (db: Db) => Promise<R>): Promise<R> {
    const maxRetries = this.options.maxRetries ?? 3;
    const started = this.clock.monotonic();
    let networkRetried = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(db);
      } catch (err) {
        if (err instanceof StoreValidationError || err instanceof StoreUnavailableError || err instanceof StoreConflictError) throw err;
        if (isConnectionError(err)) {
          // One quick retry for a connection that broke at once (a stale pooled socket); none
          // for an operation that hung first (the server hangs: failing fast matters more).
          const quick = this.clock.monotonic() - started < QUICK_RETRY_WINDOW_MS && !(err instanceof MongoNetworkTimeoutError);
          if (quick && !networkRetried && !this.closed && this.up) {
            networkRetried = true;
            await sleep(this.clock, 20);
            continue;
          }
          this.setDown(err);
          this.startRecovery();
          throw new StoreUnavailableError(`mongodb ${what} failed: ${describe(err)}`, { backend: 'mongodb' }, { cause: err });
        }
        if (isTransientServerError(err)) {
          if (attempt < maxRetries) {
            await sleep(this.clock, Math.min(1000, 25 * 2 ** attempt));
            continue;
          }
          throw new StoreUnavailableError(`mongodb ${what} failed: ${describe(err)}`, { backend: 'mongodb' }, { cause: err });
        }
        throw new StoreOperationError(`mongodb ${what} failed: ${describe(err)}`, { cause: err });
      }
    }
  }

  // ---- indexes ----

  /**
   * Before reporting up. A collection whose indexes cannot be created (a
   * unique index over stored duplicates) does not keep the store down: its
   * writes fail instead (see `indexesOf`).
   */
  private async ensureAllIndexes(): Promise<void> {
    for (const [name, spec] of this.collections.specs()) {
      try {
        await this.ensureIndexes(name, spec);
      } catch (err) {
        if (isConnectionError(err)) throw err;
        this.indexReady.delete(name);
        this.log.warn({ err: describe(err), name }, 'createIndex failed');
      }
    }
  }

  /**
   * Creates the collection's indexes that are missing: `lattice_<field>` on (field, _id), so that
   * `list()`'s order (value, then key, either way) and its `limit` are served by the index alone,
   * or for a unique one `lattice_unique_<field>` (unique, sparse: a document without the field is
   * not indexed, as in the embedded adapter). An index of the other kind on the same field (the
   * spec changed), or `lattice_<field>` on the field alone (the earlier layout), is dropped first.
   * Indexes that exist are left alone (FerretDB 1.24 drops the connection when createIndexes
   * re-creates several existing ones at once).
   */
  private async ensureIndexes(name: string, spec: CollectionSpec<object>): Promise<void> {
    const db = this.database;
    if (!db || !spec.indexes?.length) return;
    const coll = db.collection(name);
    const unique = new Set(spec.unique ?? []);
    const existing = new Map(
      (await coll
        .listIndexes()
        .toArray()
        .catch(() => [])).map((i) => [String(i.name), keyText(i.key)]),
    );
    const missing: IndexDescription[] = [];
    for (const f of spec.indexes) {
      const stale = unique.has(f) ? `lattice_${f}` : `${UNIQUE_INDEX_PREFIX}${f}`;
      if (existing.has(stale)) await coll.dropIndex(stale);
      const want: IndexDescription = unique.has(f)
        ? { key: { [f]: 1 }, name: `${UNIQUE_INDEX_PREFIX}${f}`, unique: true, sparse: true }
        : { key: { [f]: 1, _id: 1 }, name: `lattice_${f}` };
      const have = existing.get(want.name!);
      if (have === keyText(want.key)) continue;
      if (have !== undefined) await coll.dropIndex(want.name!);
      missing.push(want);
    }
    if (missing.length > 0) await coll.createIndexes(missing);
  }

  /**
   * Resolves once a collection's unique indexes exist; writes to it wait for
   * this, so no duplicate slips in before the server enforces them. Fails
   * (and is retried by the next write) when they cannot be created, e.g.
   * when stored documents already hold duplicates.
   */
  async indexesOf<T>(name: string, spec: CollectionSpec<T>): Promise<void> {
    if (!spec.unique?.length) return;
    let ready = this.indexReady.get(name);
    if (!ready) {
      ready = this.run('createIndexes', () => this.ensureIndexes(name, spec as CollectionSpec<object>));
      this.indexReady.set(name, ready);
      ready.catch((err) => {
        this.indexReady.delete(name);
        this.log.warn({ err: describe(err), name }, 'createIndex failed');
      });
    }
    await ready;
  }

  /** Takes the store down and starts the reconnect/replay loop. */
  markDown(err: unknown): void {
    if (this.closed) return;
    this.setDown(err);
    this.startRecovery();
  }
}

/** An index key as comparable text: its fields in order, each direction as a number. */
function keyText(key: unknown): string {
  return JSON.stringify(Object.entries((key ?? {}) as Record<string, unknown>).map(([f, d]) => [f, Number(d)]));
}
