/**
 * A fixed-capacity FIFO. `offer` refuses at once when full; nothing grows
 * without bound. Backed by a ring buffer that starts small and doubles up to
 * the capacity, so an idle actor with a large mailbox costs little memory.
 * Every operation is O(1) (amortised for growth).
 */
export class BoundedMailbox<T> {
  private slots: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    initialSlots = 16,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`mailbox capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(Math.min(capacity, Math.max(1, initialSlots)));
  }

  get depth(): number {
    return this.size;
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Slots allocated now (at most `capacity`). */
  get allocated(): number {
    return this.slots.length;
  }

  offer(message: T): boolean {
    if (this.size === this.capacity) return false;
    if (this.size === this.slots.length) this.grow();
    this.slots[(this.head + this.size) % this.slots.length] = message;
    this.size++;
    return true;
  }

  poll(): T | undefined {
    if (this.size === 0) return undefined;
    const message = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    return message;
  }

  /** Removes and returns everything queued, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let m = this.poll(); m !== undefined; m = this.poll()) out.push(m);
    return out;
  }

  private grow(): void {
    const next = new Array<T | undefined>(Math.min(this.capacity, this.slots.length * 2));
    for (let i = 0; i < this.size; i++) next[i] = this.slots[(this.head + i) % this.slots.length];
    this.slots = next;
    this.head = 0;
  }
}
