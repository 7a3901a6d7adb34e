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
 * Every ask in flight, timed out by one sweep timer (running only while asks
 * wait) instead of one timer per ask. An ask fails with AskTimeoutError at most
 * `resolutionMs` after its deadline. The timer stops at the first sweep that
 * finds nothing waiting, so a steady stream of short asks does not churn timers.
 */
export class PendingAsks {
  private readonly pending = new Set<TimedReply<any>>();
  private timer?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    private readonly resolutionMs = 10,
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
    this.pending.add(reply);
    if (!this.timer) this.timer = this.clock.setInterval(() => this.sweep(), this.resolutionMs);
  }

  forget(reply: TimedReply<any>): void {
    this.pending.delete(reply);
  }

  private sweep(): void {
    if (this.pending.size === 0) {
      this.clock.clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = this.clock.now();
    for (const reply of this.pending) {
      if (reply.deadline <= now) reply.reject(new AskTimeoutError(reply.to, reply.messageType, reply.timeoutMs));
    }
  }
}
