import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import type { DeadLetters } from './dead-letters.js';
import { busEvent, type KytosEvent } from './events.js';
import { kytosTimestamp } from './time.js';

/**
 * Compiles a Kytos listener pattern. Kytos checks `re.match(pattern + '$', name)`:
 * the pattern is a regex that must match the whole name.
 */
export function compilePattern(pattern: string | RegExp): RegExp {
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  return new RegExp(`^(?:${source})$`);
}

interface Subscription {
  id: number;
  patterns: RegExp[];
  /** An actor to deliver into, or a plain listener (WebSocket clients, tests). */
  actor?: string;
  listener?: (event: KytosEvent) => void;
}

export interface EventBusOptions {
  clock: Clock;
  deadLetters: DeadLetters;
  /** Delivers into an actor's mailbox; false when refused. */
  deliver(actor: string, event: KytosEvent): boolean;
  /** Called when a plain listener throws. */
  onListenerError?(error: unknown, event: KytosEvent): void;
}

/**
 * Named events with subscriptions by exact name or regex. Delivery goes into
 * subscribers' mailboxes; an event an actor could not take is a dead letter.
 */
export class EventBus {
  private seq = 1;
  private readonly subs = new Map<number, Subscription>();
  /** Which subscriptions match a name, computed once per name until subscriptions change. */
  private routeCache = new Map<string, Subscription[]>();
  private published = 0;

  constructor(private readonly options: EventBusOptions) {}

  get publishedCount(): number {
    return this.published;
  }

  /** Makes a new event (not yet published). */
  createEvent(name: string, content: Record<string, unknown> = {}): KytosEvent {
    return { id: randomUUID(), name, content, timestamp: kytosTimestamp(this.options.clock.now()), reinjections: 0 };
  }

  publish(name: string, content: Record<string, unknown> = {}): KytosEvent {
    const event = this.createEvent(name, content);
    this.dispatch(event);
    return event;
  }

  /** Publishes an existing event again (dead-letter re-injection). */
  republish(event: KytosEvent): void {
    this.dispatch({ ...event, reinjections: event.reinjections + 1 });
  }

  /** Delivers matching events into the named actor's mailbox as `{ type: 'bus.event', event }`. */
  subscribe(actor: string, patterns: (string | RegExp)[]): () => void {
    return this.add({ id: this.seq++, patterns: patterns.map(compilePattern), actor });
  }

  /** Calls `listener` synchronously for every matching event. */
  on(patterns: (string | RegExp)[], listener: (event: KytosEvent) => void): () => void {
    return this.add({ id: this.seq++, patterns: patterns.map(compilePattern), listener });
  }

  /** Removes every subscription of an actor. */
  unsubscribeActor(actor: string): void {
    let changed = false;
    for (const [id, s] of this.subs) {
      if (s.actor === actor) {
        this.subs.delete(id);
        changed = true;
      }
    }
    if (changed) this.routeCache = new Map();
  }

  /** True if anything listens for this name. */
  hasSubscribers(name: string): boolean {
    return this.route(name).length > 0;
  }

  private add(sub: Subscription): () => void {
    this.subs.set(sub.id, sub);
    this.routeCache = new Map();
    return () => {
      if (this.subs.delete(sub.id)) this.routeCache = new Map();
    };
  }

  private route(name: string): Subscription[] {
    let hit = this.routeCache.get(name);
    if (!hit) {
      hit = [...this.subs.values()].filter((s) => s.patterns.some((p) => p.test(name)));
      if (this.routeCache.size > 10_000) this.routeCache = new Map();
      this.routeCache.set(name, hit);
    }
    return hit;
  }

  private dispatch(event: KytosEvent): void {
    this.published++;
    for (const sub of this.route(event.name)) {
      if (sub.actor !== undefined) {
        // A refused delivery is recorded as a dead letter by the system.
        this.options.deliver(sub.actor, event);
      } else if (sub.listener) {
        try {
          sub.listener(event);
        } catch (error) {
          this.options.onListenerError?.(error, event);
        }
      }
    }
  }
}

export { busEvent };
