/**
 * Time enters the system only through a Clock, so that keepalives, polling and
 * backoff can be tested without sleeping. This module is the one place that
 * reads the wall clock or Node's timers (a test pins that).
 */
export interface TimerHandle {
  readonly id: number;
}

export interface TimerOptions {
  /** Do not keep the process alive for this timer alone (Node's `unref`). */
  unref?: boolean;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch (timestamps, uptime). */
  now(): number;
  /** Monotonic milliseconds from an arbitrary origin, sub-millisecond where available (durations, time slices). */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number, options?: TimerOptions): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** The real clock, backed by Node's timers. Timers are unref'd only when asked. */
export function systemClock(): Clock {
  let next = 1;
  const timers = new Map<number, NodeJS.Timeout>();
  const add = (t: NodeJS.Timeout, options: TimerOptions | undefined): TimerHandle => {
    if (options?.unref) t.unref();
    const id = next++;
    timers.set(id, t);
    return { id };
  };
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimeout(fn, ms, options) {
      const handle = add(
        setTimeout(() => {
          timers.delete(handle.id);
          fn();
        }, ms),
        options,
      );
      return handle;
    },
    clearTimeout(handle) {
      if (!handle) return;
      const t = timers.get(handle.id);
      if (t) clearTimeout(t);
      timers.delete(handle.id);
    },
    setInterval(fn, ms, options) {
      return add(setInterval(fn, ms), options);
    },
    clearInterval(handle) {
      if (!handle) return;
      const t = timers.get(handle.id);
      if (t) clearInterval(t);
      timers.delete(handle.id);
    },
  };
}

/** Resolves after `ms` on `clock` (on a ManualClock: when the clock is advanced past it). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** xstate v5's clock (`createActor(logic, { clock })`): delayed events and `after:` transitions run on ours. */
export interface XstateClock {
  setTimeout(fn: (...args: any[]) => void, ms: number): any;
  clearTimeout(id: any): void;
}

export function xstateClock(clock: Clock): XstateClock {
  return {
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (id) => clock.clearTimeout(id as TimerHandle | undefined),
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
 * `now()` starts at `start`; `monotonic()` is the time advanced since then.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly origin: number;
  private seq = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(start = 0) {
    this.current = start;
    this.origin = start;
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current - this.origin;
  }

  setTimeout(fn: () => void, ms: number, _options?: TimerOptions): TimerHandle {
    const id = this.seq++;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  setInterval(fn: () => void, ms: number, _options?: TimerOptions): TimerHandle {
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
