import { NotFoundError } from '../errors/index.js';
import type { KytosEvent, Message } from './events.js';

export type DeadLetterReason = 'mailbox_full' | 'no_such_actor' | 'handler_error' | 'actor_stopped' | 'actor_crashed';

/** One dead letter, Kytos-shaped (`as_json()` of the event) plus why it died. */
export interface DeadLetter extends KytosEvent {
  reason: DeadLetterReason;
  /** The actor it was meant for, when it was a direct message. */
  target?: string;
}

interface Entry {
  letter: DeadLetter;
  /** The original direct message, kept so that it can be re-delivered. */
  message?: Message;
  /** When it was added (the clock's milliseconds). */
  at: number;
}

export interface DeadLettersOptions {
  /** Most letters kept per event name; the oldest is evicted first (Kytos: 50,000). */
  maxPerName: number;
  /** Most letters kept over every name together; the oldest is evicted first (default: no cap but the per-name one). */
  maxTotal?: number;
  /** Letters older than this are evicted (0 or absent: no age limit). */
  maxAgeMs?: number;
}

/** The key of one letter in the global age order. */
const orderKey = (name: string, id: string) => `${name}\u0000${id}`;

/**
 * Messages nobody could take, kept per event name (bounded per name, in total
 * and by age), listable, deletable and re-injectable. Age is read from `now`
 * (the actor system's clock) whenever letters are added or read.
 */
export class DeadLetters {
  private readonly byName = new Map<string, Map<string, Entry>>();
  /** Every letter, oldest first: the order total and age evictions follow. */
  private readonly order = new Map<string, { name: string; id: string; at: number }>();
  private evicted = 0;

  constructor(
    private options: DeadLettersOptions,
    private readonly now: () => number = () => 0,
  ) {}

  get size(): number {
    this.expire();
    return this.order.size;
  }

  get evictedCount(): number {
    return this.evicted;
  }

  /** New limits (SIGHUP); applied at once. */
  configure(options: DeadLettersOptions): void {
    this.options = options;
    for (const [name, bucket] of [...this.byName]) {
      while (bucket.size > options.maxPerName) this.evict(name, bucket.keys().next().value as string);
    }
    this.trim();
  }

  add(letter: DeadLetter, message?: Message): void {
    let bucket = this.byName.get(letter.name);
    if (!bucket) {
      bucket = new Map();
      this.byName.set(letter.name, bucket);
    }
    const at = this.now();
    const key = orderKey(letter.name, letter.id);
    bucket.delete(letter.id);
    this.order.delete(key);
    bucket.set(letter.id, { letter, message, at });
    this.order.set(key, { name: letter.name, id: letter.id, at });
    while (bucket.size > this.options.maxPerName) this.evict(letter.name, bucket.keys().next().value as string);
    this.trim();
  }

  /** Removes one letter as an eviction. */
  private evict(name: string, id: string): void {
    this.remove(name, id);
    this.evicted++;
  }

  private remove(name: string, id: string): void {
    const bucket = this.byName.get(name);
    if (!bucket) return;
    bucket.delete(id);
    this.order.delete(orderKey(name, id));
    if (bucket.size === 0) this.byName.delete(name);
  }

  /** The total cap, then the age limit. */
  private trim(): void {
    const max = this.options.maxTotal;
    if (max !== undefined && max > 0) {
      while (this.order.size > max) {
        const oldest = this.order.values().next().value!;
        this.evict(oldest.name, oldest.id);
      }
    }
    this.expire();
  }

  private expire(): void {
    const maxAge = this.options.maxAgeMs ?? 0;
    if (maxAge <= 0) return;
    const cutoff = this.now() - maxAge;
    for (const o of this.order.values()) {
      if (o.at > cutoff) break;
      this.evict(o.name, o.id);
    }
  }

  /** `{event_name: {event_id: letter}}`, optionally for one name. */
  list(name?: string): Record<string, Record<string, DeadLetter>> {
    this.expire();
    const out: Record<string, Record<string, DeadLetter>> = {};
    for (const [n, bucket] of this.byName) {
      if (name !== undefined && n !== name) continue;
      const entries: Record<string, DeadLetter> = {};
      for (const [id, e] of bucket) entries[id] = e.letter;
      out[n] = entries;
    }
    return out;
  }

  /** Counts per event name. */
  counts(): Record<string, number> {
    this.expire();
    const out: Record<string, number> = {};
    for (const [n, bucket] of this.byName) out[n] = bucket.size;
    return out;
  }

  /**
   * Removes and returns the named letters (all of a name when `ids` is empty).
   * Throws NotFoundError, and removes nothing, if the name or any id is unknown.
   */
  take(name: string, ids: string[]): { letter: DeadLetter; message?: Message }[] {
    const bucket = this.byName.get(name);
    if (!bucket) throw new NotFoundError(`event_name ${name} not found`);
    const wanted = ids.length > 0 ? ids : [...bucket.keys()];
    const missing = wanted.filter((id) => !bucket.has(id));
    if (missing.length > 0) throw new NotFoundError(`KytosEvent ids not found: ${JSON.stringify(missing)}`);
    const out = wanted.map((id) => bucket.get(id)!);
    for (const id of wanted) this.remove(name, id);
    return out;
  }

  /** Deletes letters; `name === 'all'` clears everything. */
  delete(name: string, ids: string[]): void {
    if (name === 'all') {
      this.byName.clear();
      this.order.clear();
      return;
    }
    this.take(name, ids);
  }
}
