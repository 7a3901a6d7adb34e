/**
 * Per-key FIFO lock: operations on one key run one at a time, in call order;
 * operations on different keys run concurrently. Entries are removed when
 * their queue drains, so the map holds only keys with work in flight.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<R>(keys: readonly string[], fn: () => Promise<R>): Promise<R> {
    const unique = [...new Set(keys)].sort(); // one global order: no deadlock between batches
    const releases: (() => void)[] = [];
    try {
      for (const k of unique) releases.push(await this.acquire(k));
      return await fn();
    } finally {
      for (const r of releases) r();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
