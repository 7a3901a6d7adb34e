/**
 * Requests per peer address: a token bucket per address (`ratePerSecond`
 * refilled continuously, up to `burst`). Pure: the time is a parameter;
 * memory is bounded (the least recently seen address goes first).
 */
export interface RateLimitOptions {
  ratePerSecond: number;
  burst: number;
  maxAddresses: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: RateLimitOptions) {}

  /** Takes one request's token; false when the address is over its rate. */
  take(address: string, nowMs: number): boolean {
    const { ratePerSecond, burst } = this.options;
    let b = this.buckets.get(address);
    if (b) {
      b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) * ratePerSecond) / 1000);
      b.at = nowMs;
      this.buckets.delete(address);
    } else {
      b = { tokens: burst, at: nowMs };
    }
    this.buckets.set(address, b);
    if (this.buckets.size > this.options.maxAddresses) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }
}
