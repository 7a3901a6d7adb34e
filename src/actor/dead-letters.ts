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
}

export interface DeadLettersOptions {
  /** Most letters kept per event name; the oldest is evicted first (Kytos: 50,000). */
  maxPerName: number;
}

/**
 * Messages nobody could take, kept per event name (bounded), listable,
 * deletable and re-injectable.
 */
export class DeadLetters {
  private readonly byName = new Map<string, Map<string, Entry>>();
  private total = 0;
  private evicted = 0;

  constructor(private readonly options: DeadLettersOptions) {}

  get size(): number {
    return this.total;
  }

  get evictedCount(): number {
    return this.evicted;
  }

  add(letter: DeadLetter, message?: Message): void {
    let bucket = this.byName.get(letter.name);
    if (!bucket) {
      bucket = new Map();
      this.byName.set(letter.name, bucket);
    }
    if (bucket.has(letter.id)) bucket.delete(letter.id);
    else this.total++;
    bucket.set(letter.id, { letter, message });
    while (bucket.size > this.options.maxPerName) {
      const oldest = bucket.keys().next().value as string;
      bucket.delete(oldest);
      this.total--;
      this.evicted++;
    }
  }

  /** `{event_name: {event_id: letter}}`, optionally for one name. */
  list(name?: string): Record<string, Record<string, DeadLetter>> {
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
    for (const id of wanted) bucket.delete(id);
    this.total -= wanted.length;
    if (bucket.size === 0) this.byName.delete(name);
    return out;
  }

  /** Deletes letters; `name === 'all'` clears everything. */
  delete(name: string, ids: string[]): void {
    if (name === 'all') {
      this.byName.clear();
      this.total = 0;
      return;
    }
    this.take(name, ids);
  }
}
