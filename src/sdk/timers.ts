import type { Clock, TimerHandle } from '../actor/clock.js';
import type { NAppTimers } from './napp.js';

/**
 * A NApp's timers on `clock`, each recorded in `owned` while pending, so the owner can cancel them all.
 * A callback that throws is the NApp's bug, not the process's: with `onError` the error goes there
 * (the controller logs it) and the other timers, NApps and switches go on; without, it is thrown.
 */
export function ownedTimers(clock: Clock, owned: Set<TimerHandle>, onError?: (error: unknown) => void): NAppTimers {
  const run = (fn: () => void): void => {
    if (!onError) return fn();
    try {
      fn();
    } catch (error) {
      onError(error);
    }
  };
  return {
    setTimeout: (fn, ms) => {
      const handle = clock.setTimeout(() => {
        owned.delete(handle);
        run(fn);
      }, ms);
      owned.add(handle);
      return handle;
    },
    setInterval: (fn, ms) => {
      const handle = clock.setInterval(() => run(fn), ms);
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
