import { Mutex } from 'async-mutex';

/**
 * Async mutexes keyed by resource ("flows:00:00:00:00:00:00:00:01"), the one
 * keyed lock of the code base (the actor runtime, NApps and the store use it).
 * Waiters on a key are served in arrival order. A key's mutex exists only
 * while someone holds or waits for it.
 */
export class KeyedMutex {
  private readonly mutexes = new Map<string, { mutex: Mutex; users: number }>();

  /** Waits for the key, returns the function that releases it. */
  async acquire(key: string): Promise<() => void> {
    let slot = this.mutexes.get(key);
    if (!slot) {
      slot = { mutex: new Mutex(), users: 0 };
      this.mutexes.set(key, slot);
    }
    slot.users++;
    const held = slot;
    let release: () => void;
    try {
      release = await held.mutex.acquire();
    } catch (error) {
      this.leave(key, held);
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      this.leave(key, held);
    };
  }

  /**
   * Runs `fn` holding every key (a batch over several documents). Keys are
   * taken in one global order (sorted), so two multi-key runs never deadlock.
   */
  async runAll<T>(keys: readonly string[], fn: () => Promise<T> | T): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Runs `fn` holding the key. */
  async run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  isLocked(key: string): boolean {
    return this.mutexes.get(key)?.mutex.isLocked() ?? false;
  }

  /** Number of keys currently held or awaited. */
  get size(): number {
    return this.mutexes.size;
  }

  private leave(key: string, slot: { mutex: Mutex; users: number }): void {
    slot.users--;
    if (slot.users === 0 && this.mutexes.get(key) === slot) this.mutexes.delete(key);
  }
}
