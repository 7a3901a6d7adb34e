import type { EventBus, KytosEvent } from '../../src/actor/index.js';

export interface EventRecorder {
  /** Every matching event so far, in order. */
  events: KytosEvent[];
  /** Resolves with the first recorded, or next, event that satisfies `pred`. */
  waitEvent(pred: (e: KytosEvent) => boolean, timeoutMs?: number): Promise<KytosEvent>;
  off(): void;
}

/** Records bus events (echo chatter left out) for tests to wait on. */
export function recordEvents(bus: EventBus, patterns: string[]): EventRecorder {
  const events: KytosEvent[] = [];
  const waiters = new Set<{ pred: (e: KytosEvent) => boolean; resolve: (e: KytosEvent) => void }>();
  const off = bus.on(patterns, (e) => {
    if (e.name.startsWith('kytos/of_core.v0x04.messages.in.ofpt_echo')) return;
    events.push(e);
    for (const w of waiters) {
      if (w.pred(e)) {
        waiters.delete(w);
        w.resolve(e);
      }
    }
  });
  return {
    events,
    off,
    waitEvent(pred, timeoutMs = 5000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (e: KytosEvent) => {
            clearTimeout(t);
            resolve(e);
          },
        };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error('timeout waiting for a bus event'));
        }, timeoutMs);
        waiters.add(w);
      });
    },
  };
}
