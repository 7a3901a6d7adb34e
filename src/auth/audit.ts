import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../actor/clock.js';
import type { Collection, Store } from '../store/ports.js';

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
  entry: AuditEntry;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The audit log: a core collection `lattice.audit`, written after each write request is answered.
 * Entries are batched: with `flushMs` > 0 an entry waits at most `flushMs` (on the injected
 * clock) and goes in one durable write with every entry recorded meanwhile, so a busy API pays
 * one store write per interval, not per request; `flush()` (the audit query, shutdown) writes
 * what waits at once. With `flushMs` 0 the batches are group-committed (one batch while the
 * previous one is written). `record` resolves once its entry is durable.
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

  constructor(
    store: Store,
    private readonly clock?: Clock,
    private readonly flushMs = 0,
  ) {
    // One index: FerretDB 1.24 drops the connection when createIndexes re-creates two at once on a restart.
    this.collection = store.collection<AuditEntry>('lattice.audit', { key: 'id', indexes: ['at'] });
  }

  record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const id = `${entry.at.toISOString()}-${this.prefix}${(this.serial++ % 0x1_0000_0000).toString(16).padStart(8, '0')}`;
      this.queue.push({ entry: { id, ...entry }, resolve, reject });
      if (this.writing || this.timer) return;
      if (this.clock && this.flushMs > 0) this.timer = this.clock.setTimeout(() => void this.flush(), this.flushMs, { unref: true });
      else void this.flush();
    });
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
    if (!this.writing) this.drained = this.drain();
    return this.drained;
  }

  /** Writes everything queued as one batch, then the next batch if more came meanwhile. */
  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.collection.batch(batch.map((w) => ({ op: 'put' as const, doc: w.entry })));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.writing = false;
  }

  /** Removes the oldest entries past `max`; resolves to how many went. */
  async prune(max: number): Promise<number> {
    const excess = (await this.collection.count()) - max;
    if (excess <= 0) return 0;
    const oldest = await this.collection.list({ index: 'at', range: { gte: new Date(0) }, limit: excess });
    await this.collection.batch(oldest.map((e) => ({ op: 'delete' as const, key: e.id })));
    return oldest.length;
  }

  /** The newest entries first, at most `limit`, optionally since a time and for one user. */
  async query(options: { limit: number; since?: Date; user?: string }): Promise<AuditEntry[]> {
    // What waits for the timer is written first: a reader sees every write answered before it asked.
    await this.flush();
    const rows = await this.collection.list({ index: 'at', range: { gte: options.since ?? new Date(0) } });
    return rows
      .filter((r) => !options.user || r.user === options.user)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, options.limit);
  }
}
