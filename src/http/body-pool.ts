/**
 * Buffers lent to large request bodies while they arrive and are decoded.
 * A 1 MiB body otherwise costs a fresh external buffer per request (and,
 * before, a copy per chunk plus their concatenation): freed buffers of that
 * size leave the allocator's heap fragmented, and the process's RSS grows by
 * a hundred MB or more under a stream of 1 MiB bodies before it settles.
 * Lending the same few buffers keeps it flat. A buffer is lent only to a body
 * that is decoded synchronously and never referenced afterwards (JSON: the
 * parser copies every string out), and given back right after.
 */
export class BodyPool {
  private readonly free: Buffer[] = [];

  /**
   * @param size every buffer's size (the largest body limit)
   * @param keep how many free buffers are kept; more bodies in flight at once get buffers of their own
   */
  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  /** Whether a body of `length` bytes is lent a buffer (pooling stops above MAX_POOLED_SIZE, where keeping them would cost more). */
  lends(length: number): boolean {
    return this.keep > 0 && length <= this.size && this.size <= MAX_POOLED_SIZE;
  }

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }

  /** Free buffers held now. */
  get held(): number {
    return this.free.length;
  }
}

/** Above this body limit buffers are not pooled (4 of them would hold too much). */
export const MAX_POOLED_SIZE = 8 << 20;
/** Bodies smaller than this get a buffer of their own (Node's small-buffer pool serves them well). */
export const POOLED_BODY_MIN = 16 << 10;
