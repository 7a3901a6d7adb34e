import type { Clock, TimerHandle } from '../actor/clock.js';
import type { NAppTimers } from './napp.js';

/** A NApp's timers on `clock`, each recorded in `owned` while pending, so the owner can cancel them all. */
export function ownedTimers(clock: Clock, owned: Set<TimerHandle>): NAppTimers {
  return {
    setTimeout: (fn, ms) => {
      const handle = clock.setTimeout(() => {
        owned.delete(handle);
        fn();
      }, ms);
      owned.add(handle);
      return handle;
    },
    setInterval: (fn, ms) => {
      const handle = clock.setInterval(fn, ms);
      owned.add(handle);
      return handle;
    },
    clear: (handle) => {
      if (!handle) return;
      clock.clearTimeout(handle);
      owned.delete(handle);
    },
    yield: () => new Promise<void>((resolve) => setImmediate(resolve)),
    get pending() {
      return owned.size;
    },
  };
}
