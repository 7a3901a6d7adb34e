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
 * Every ask in flight, timed out by one sweep timer instead of one timer per
 * ask: an ask fails with AskTimeoutError at most `resolutionMs` after its
 * deadline. The timer runs while asks come and stops after a run of empty
 * sweeps, so a steady stream of short asks neither churns timers nor wakes
 * the process more than 1000/resolutionMs times a second.
 */
export class PendingAsks {
  private readonly pending = new Set<TimedReply<any>>();
  private timer?: TimerHandle;
  private idleSweeps = 0;

  constructor(
    private readonly clock: Clock,
    private readonly resolutionMs = 50,
    /** Empty sweeps in a row before the timer stops (it restarts with the next ask). */
    private readonly idleSweepsBeforeStop = 20,
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
    void reply.deadline;
    this.pending.add(reply);
    if (!this.timer) this.timer = this.clock.setInterval(() => this.sweep(), this.resolutionMs);
  }

  forget(reply: TimedReply<any>): void {
    this.pending.delete(reply);
  }

  /** Stops the timer (system shutdown). Asks still waiting are not failed here. */
  stop(): void {
    this.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    if (this.pending.size === 0) {
      if (++this.idleSweeps >= this.idleSweepsBeforeStop) this.stop();
      return;
    }
    this.idleSweeps = 0;
    const now = this.clock.now();
    for (const reply of this.pending) {
      if (reply.deadline <= now) reply.reject(new AskTimeoutError(reply.to, reply.messageType, reply.timeoutMs));
    }
  }
}
