/**
 * Time enters the system only through a Clock, so that keepalives, polling and
 * backoff can be tested without sleeping.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** The real clock, backed by Node's timers. Timers are unref'd only when asked. */
export function systemClock(): Clock {
  let next = 1;
  const timers = new Map<number, NodeJS.Timeout>();
  const add = (t: NodeJS.Timeout): TimerHandle => {
    const id = next++;
    timers.set(id, t);
    return { id };
  };
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const handle = add(
        setTimeout(() => {
          timers.delete(handle.id);
          fn();
        }, ms),
      );
      return handle;
    },
    clearTimeout(handle) {
      if (!handle) return;
      const t = timers.get(handle.id);
      if (t) clearTimeout(t);
      timers.delete(handle.id);
    },
    setInterval(fn, ms) {
      return add(setInterval(fn, ms));
    },
    clearInterval(handle) {
      if (!handle) return;
      const t = timers.get(handle.id);
      if (t) clearInterval(t);
      timers.delete(handle.id);
    },
  };
}

interface ManualTimer {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

/**
 * A clock that moves only when told to. `advance(ms)` fires every timer that
 * falls due, in order, including intervals that fall due more than once.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.seq++;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.seq++;
    const every = Math.max(1, ms);
    this.timers.set(id, { id, at: this.current + every, every, fn });
    return { id };
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Number of timers still scheduled. */
  pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let due: ManualTimer | undefined;
      for (const t of this.timers.values()) {
        if (t.at <= target && (!due || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
      }
      if (!due) break;
      this.current = due.at;
      if (due.every !== undefined) due.at += due.every;
      else this.timers.delete(due.id);
      due.fn();
    }
    this.current = target;
  }
}
