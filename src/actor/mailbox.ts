/**
 * A fixed-capacity FIFO. `offer` refuses at once when full; nothing grows
 * without bound. Backed by a ring buffer, so every operation is O(1).
 */
export class BoundedMailbox<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`mailbox capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
  }

  get depth(): number {
    return this.size;
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  offer(message: T): boolean {
    if (this.size === this.capacity) return false;
    this.slots[(this.head + this.size) % this.capacity] = message;
    this.size++;
    return true;
  }

  poll(): T | undefined {
    if (this.size === 0) return undefined;
    const message = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    return message;
  }

  /** Removes and returns everything queued, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let m = this.poll(); m !== undefined; m = this.poll()) out.push(m);
    return out;
  }
}
