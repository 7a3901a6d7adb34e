import { AskTimeoutError } from '../errors/index.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Reply } from './reply.js';

/** A reply channel with a deadline, as `PendingAsks` tracks it. */
export interface TimedReply<R = unknown> extends Reply<R> {
  readonly to: string;
  readonly messageType: string;
  readonly timeoutMs: number;
  readonly deadline: number;
}

/** The reply channel of a promise-returning `ask`. */
export class PendingAsk<R> implements TimedReply<R> {
  settled = false;

  constructor(
    private readonly onValue: (value: R) => void,
    private readonly onError: (error: unknown) => void,
    private readonly owner: PendingAsks,
    readonly to: string,
    readonly messageType: string,
    readonly timeoutMs: number,
    readonly deadline: number,
  ) {}

  resolve(value: R): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.forget(this);
    this.onValue(value);
  }

  reject(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.forget(this);
    this.onError(error);
  }
}

/**
 * Every ask in flight, timed out by one timer instead of one per ask: it is set for the earliest
 * deadline known when it was set, and a sweep then fails every ask past its deadline and sets it
 * again for the earliest one left. An ask fails with AskTimeoutError at most `resolutionMs` after
 * its deadline (an ask whose deadline is earlier than the timer by more than that moves the timer).
 * A steady stream of asks answered in time wakes the process about once per ask timeout, not on
 * a fixed tick, and churns no timers: an answered ask is only forgotten.
 */
export class PendingAsks {
  private readonly pending = new Set<TimedReply<any>>();
  private timer?: TimerHandle;
  /** When the timer fires (Infinity: not set). */
  private armedAt = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly resolutionMs = 50,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** The deadline of an ask made now. */
  deadline(timeoutMs: number): number {
    return this.clock.now() + timeoutMs;
  }

  create<R>(to: string, messageType: string, timeoutMs: number, onValue: (v: R) => void, onError: (e: unknown) => void): PendingAsk<R> {
    const ask = new PendingAsk<R>(onValue, onError, this, to, messageType, timeoutMs, this.deadline(timeoutMs));
    this.track(ask);
    return ask;
  }

  /** Times out a caller-made reply channel; it must call `forget` when it settles. */
  track(reply: TimedReply<any>): void {
    // The deadline may be computed lazily by the reply channel: fix it now.
    const deadline = reply.deadline;
    this.pending.add(reply);
    if (deadline + this.resolutionMs < this.armedAt) this.arm(deadline);
  }

  forget(reply: TimedReply<any>): void {
    this.pending.delete(reply);
  }

  /** Stops the timer (system shutdown). Asks still waiting are not failed here. */
  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  private arm(at: number): void {
    this.clock.clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, at - this.clock.now()));
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.clock.now();
    let next = Infinity;
    for (const reply of this.pending) {
      if (reply.deadline <= now) reply.reject(new AskTimeoutError(reply.to, reply.messageType, reply.timeoutMs));
      else if (reply.deadline < next) next = reply.deadline;
    }
    // Asks answered since are gone; the earliest left sets the timer again (none: no timer).
    if (next !== Infinity && this.pending.size > 0) this.arm(next);
  }
}
