import { randomBytes } from 'node:crypto';
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
 * Entries are group-committed: while one batch is being written, the entries recorded meanwhile
 * wait and go together in the next one, so a busy API pays one durable write per batch, not per
 * request. `record` resolves once its entry is durable.
 */
export class AuditLog {
  readonly collection: Collection<AuditEntry>;
  private queue: Waiting[] = [];
  private writing = false;

  constructor(store: Store) {
    // One index: FerretDB 1.24 drops the connection when createIndexes re-creates two at once on a restart.
    this.collection = store.collection<AuditEntry>('lattice.audit', { key: 'id', indexes: ['at'] });
  }

  record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry: { id: `${entry.at.toISOString()}-${randomBytes(4).toString('hex')}`, ...entry }, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  /** Writes everything queued as one batch, then the next batch if more came meanwhile. */
  private async flush(): Promise<void> {
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

  /** The newest entries first, at most `limit`, optionally since a time and for one user. */
  async query(options: { limit: number; since?: Date; user?: string }): Promise<AuditEntry[]> {
    const rows = await this.collection.list({ index: 'at', range: { gte: options.since ?? new Date(0) } });
    return rows
      .filter((r) => !options.user || r.user === options.user)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, options.limit);
  }
}
