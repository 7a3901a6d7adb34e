import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../actor/clock.js';
import { ErrorCode, LatticeError } from '../errors/index.js';
import type { Collection, Store } from '../store/ports.js';

/** Entries waiting for the store at most (a store that hangs must not take the process's memory). */
export const AUDIT_MAX_WAITING = 10_000;

/**
 * Entries in one store write at most: that many waiting are written without waiting for the
 * interval, so a burst of writes never makes one long write (its main-thread work grows with it).
 */
export const AUDIT_MAX_BATCH = 256;

/** One write made through the API: who, what, when, and how it ended. */
export interface AuditEntry {
  /** Sortable by time: ISO timestamp then a random suffix. */
  id: string;
  at: Date;
  /** The user, `(bootstrap)` for a first-run loopback write, `(anonymous)` when refused without one. */
  user: string;
  method: string;
  path: string;
  status: number;
  remote: string;
}

interface Waiting {
  /** Its id is made when its batch is written (off the request path), from `serial`. */
  entry: Omit<AuditEntry, 'id'>;
  serial: number;
  /** Absent for an entry `add`ed without waiting for it. */
  resolve?(): void;
  reject?(error: unknown): void;
}

/**
 * The audit log: a core collection `lattice.audit`, written after each write request is answered.
 * Entries are batched: with `flushMs` > 0 an entry waits at most `flushMs` (on the injected
 * clock; plus the previous batch's write when it came during it) and goes in one durable write with
 * every entry recorded meanwhile, so a busy API pays one store write per interval, not per request
 * (a store write has a fixed cost, its commit, well above an entry's); `maxBatch` entries waiting
 * are written at once, and a write holds at most `maxBatch`. `flush()` (the audit query, shutdown)
 * writes what waits at once. With `flushMs` 0 the batches are group-committed (one batch while the
 * previous one is written). `record` resolves once its entry is durable; `add` (the request
 * path) waits for nothing, and a batch that fails is told to `onLost` once, with how many of its
 * entries were added that way. At most `maxWaiting` entries wait: past it (a store that does not
 * answer) `record` is refused at once and `add`ed entries are dropped, told to `onLost` once, with
 * how many, when the next batch is over.
 */
export class AuditLog {
  readonly collection: Collection<AuditEntry>;
  private queue: Waiting[] = [];
  /** A drain runs (set and cleared synchronously with its loop, so no entry is left behind). */
  private writing = false;
  private drained: Promise<void> = Promise.resolve();
  private timer: TimerHandle | undefined;
  /** Ids: the entry's time, then a per-process random prefix and a counter (no random bytes per entry). */
  private readonly prefix = randomBytes(4).toString('hex');
  private serial = 0;
  /** A flush asked for what waits now (the timer's, a query's, shutdown's). */
  private urgent = false;
  /** Entries `add`ed while the queue was full, not yet told to `onLost`. */
  private dropped = 0;

  constructor(
    store: Store,
    private readonly clock?: Clock,
    private readonly flushMs = 0,
    private readonly onLost?: (error: unknown, entries: number) => void,
    private readonly maxWaiting = AUDIT_MAX_WAITING,
    private readonly maxBatch = AUDIT_MAX_BATCH,
  ) {
    // One index: FerretDB 1.24 drops the connection when createIndexes re-creates two at once on a restart.
    this.collection = store.collection<AuditEntry>('lattice.audit', { key: 'id', indexes: ['at'] });
  }

  record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    return new Promise<void>((resolve, reject) => this.enqueue({ entry, serial: this.serial++, resolve, reject }));
  }

  /** Records an entry without waiting for it to be durable (no promise): a failed batch goes to `onLost`. */
  add(entry: Omit<AuditEntry, 'id'>): void {
    this.enqueue({ entry, serial: this.serial++ });
  }

  private identified(w: Waiting): AuditEntry {
    const id = `${w.entry.at.toISOString()}-${this.prefix}${(w.serial % 0x1_0000_0000).toString(16).padStart(8, '0')}`;
    return { id, ...w.entry };
  }

  private enqueue(waiting: Waiting): void {
    if (this.queue.length >= this.maxWaiting) {
      if (waiting.reject) waiting.reject(queueFull(this.maxWaiting));
      else this.dropped++;
      return;
    }
    this.queue.push(waiting);
    // A drain under way takes a full batch by itself (see its loop).
    if (this.writing) return;
    if (!this.paced) void this.flush();
    // A full batch goes now; what follows it keeps the interval's timer.
    else if (this.queue.length >= this.maxBatch) this.drained = this.drain();
    else if (!this.timer) this.flushLater();
  }

  /** Paced: what waits is written when `flushMs` has passed (on the injected clock). */
  private flushLater(): void {
    this.timer = this.clock!.setTimeout(() => void this.flush(), this.flushMs, { unref: true });
  }

  /** Entries recorded and not yet durable. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Writes every waiting entry now (resolves once they are durable, or failed). */
  flush(): Promise<void> {
    if (this.timer) {
      this.clock?.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.urgent = true;
    if (!this.writing) this.drained = this.drain();
    return this.drained;
  }

  private get paced(): boolean {
    return this.clock !== undefined && this.flushMs > 0;
  }

  /**
   * Writes everything queued, at most `maxBatch` entries per store write. What came while it was
   * written is written next at once when asked for (`flush`) or group-committed (`flushMs` 0);
   * paced, it waits for the next interval as the first entry did (unless a full batch waits): a
   * store write slower than the requests' spacing must not turn the interval's one write into one
   * per request.
   */
  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0 && (this.urgent || !this.paced || this.queue.length >= this.maxBatch)) {
      let batch: Waiting[];
      if (this.queue.length <= this.maxBatch) {
        batch = this.queue;
        this.queue = [];
        // What was asked for is all in this batch.
        this.urgent = false;
      } else {
        batch = this.queue.splice(0, this.maxBatch);
      }
      try {
        await this.collection.batch(batch.map((w) => ({ op: 'put' as const, doc: this.identified(w) })));
        for (const w of batch) w.resolve?.();
      } catch (error) {
        let unwatched = 0;
        for (const w of batch) {
          if (w.reject) w.reject(error);
          else unwatched++;
        }
        if (unwatched > 0) this.onLost?.(error, unwatched);
      }
      if (this.dropped > 0) {
        this.onLost?.(queueFull(this.maxWaiting), this.dropped);
        this.dropped = 0;
      }
    }
    this.writing = false;
    // Left only when paced: what came during the write waits for its interval.
    if (this.queue.length > 0 && !this.timer) this.flushLater();
  }

  /**
   * Removes, at most `batch` at a time, entries older than `maxAgeMs` (0: no age limit) and then
   * the oldest past `maxEntries`; resolves to how many went (`batch` means more may be due).
   */
  async prune(options: { maxEntries: number; maxAgeMs: number; now: number; batch: number }): Promise<number> {
    const { maxEntries, maxAgeMs, now, batch } = options;
    let removed = 0;
    if (maxAgeMs > 0) {
      const old = await this.collection.list({ index: 'at', range: { gte: new Date(0), lt: new Date(now - maxAgeMs) }, limit: batch });
      if (old.length > 0) await this.collection.batch(old.map((e) => ({ op: 'delete' as const, key: e.id })));
      removed += old.length;
    }
    const excess = Math.min(batch - removed, (await this.collection.count()) - maxEntries);
    if (excess > 0) {
      const oldest = await this.collection.list({ index: 'at', range: { gte: new Date(0) }, limit: excess });
      await this.collection.batch(oldest.map((e) => ({ op: 'delete' as const, key: e.id })));
      removed += oldest.length;
    }
    return removed;
  }

  /**
   * One page of entries, newest first (by time, then id), at most `limit`: the store walks its
   * `at` index downwards from `before` (a previous page's `next`) or the newest entry, down to
   * `since`, keeping the entries of `user` and/or with `status`. `next` is set when the page is
   * full: the cursor of the page after it.
   */
  async query(options: AuditQuery): Promise<AuditPage> {
    // What waits for the timer is written first: a reader sees every write answered before it asked.
    await this.flush();
    const { limit } = options;
    const where: Record<string, string | number> = {};
    if (options.user !== undefined) where.user = options.user;
    if (options.status !== undefined) where.status = options.status;
    const filter = Object.keys(where).length > 0 ? { where } : {};
    const lower = { gte: options.since ?? new Date(0) };
    const cursor = options.before;
    // From the cursor's millisecond down: the entries of that instant at or after the cursor (ids
    // order them) come first and are skipped; `slack` reads a few more for them, more if needed.
    let slack = cursor ? 8 : 0;
    for (;;) {
      const want = limit + slack;
      const rows = await this.collection.list({ index: 'at', range: cursor ? { ...lower, lte: new Date(cursor.at) } : lower, reverse: true, limit: want, ...filter });
      const kept = cursor ? rows.filter((e) => e.at.getTime() !== cursor.at || e.id < cursor.id) : rows;
      if (kept.length >= limit || rows.length < want) {
        const entries = kept.slice(0, limit);
        const last = entries.at(-1);
        return { entries, ...(entries.length === limit && last ? { next: encodeCursor(last) } : {}) };
      }
      slack *= 4;
    }
  }
}

export interface AuditQuery {
  /** At most this many entries (1 or more). */
  limit: number;
  /** Only entries at or after this time. */
  since?: Date;
  /** Only this user's entries. */
  user?: string;
  /** Only entries that ended with this HTTP status. */
  status?: number;
  /** Only entries older than this one (a page's `next`, decoded by `decodeCursor`). */
  before?: AuditCursor;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Set when the page is full: pass it back (as `before`) for the next one. */
  next?: string;
}

/** A position in the log: an entry's time (epoch ms) and id. */
export interface AuditCursor {
  at: number;
  id: string;
}

const encodeCursor = (e: AuditEntry): string => `${e.at.getTime()}_${e.id}`;

/** A page's `next` read back, or undefined when it is not one. */
export function decodeCursor(text: string): AuditCursor | undefined {
  const m = /^(\d{1,15})_(.{1,200})$/s.exec(text);
  if (!m) return undefined;
  const at = Number(m[1]);
  return Number.isSafeInteger(at) ? { at, id: m[2]! } : undefined;
}

function queueFull(max: number): LatticeError {
  return new LatticeError(ErrorCode.ServiceUnavailable, `Audit queue full: ${max} entries wait for the store`, { max });
}
