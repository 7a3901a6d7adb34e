/**
 * Slows repeated failed logins, per user and per address, without ever
 * locking anyone out: each failure doubles the wait before the next answer
 * for that key (from `baseDelayMs` up to `maxDelayMs`); a key with no failure
 * for `forgetAfterMs` starts over; a success clears the user's and the
 * address's record. Pure: time is a parameter; memory is bounded (the oldest
 * record goes first).
 */
export interface ThrottleOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
  /** Records kept at most (users and addresses together). */
  maxKeys: number;
}

interface Record_ {
  failures: number;
  lastAt: number;
}

export class LoginThrottle {
  private readonly records = new Map<string, Record_>();

  constructor(private readonly options: ThrottleOptions) {}

  private current(key: string, now: number): Record_ | undefined {
    const r = this.records.get(key);
    if (r && now - r.lastAt > this.options.forgetAfterMs) {
      this.records.delete(key);
      return undefined;
    }
    return r;
  }

  private delayOf(key: string, now: number): number {
    const r = this.current(key, now);
    if (!r || r.failures === 0 || this.options.baseDelayMs === 0) return 0;
    return Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(r.failures - 1, 30));
  }

  /** How long to wait before answering a login for this user from this address. */
  delay(username: string, address: string, now: number): number {
    return Math.max(this.delayOf(`u:${username}`, now), this.delayOf(`a:${address}`, now));
  }

  failed(username: string, address: string, now: number): void {
    for (const key of [`u:${username}`, `a:${address}`]) {
      const r = this.current(key, now) ?? { failures: 0, lastAt: now };
      r.failures++;
      r.lastAt = now;
      // Re-inserted, so that the map's order is the eviction order.
      this.records.delete(key);
      this.records.set(key, r);
    }
    while (this.records.size > this.options.maxKeys) this.records.delete(this.records.keys().next().value!);
  }

  succeeded(username: string, address: string): void {
    this.records.delete(`u:${username}`);
    this.records.delete(`a:${address}`);
  }

  get size(): number {
    return this.records.size;
  }
}
