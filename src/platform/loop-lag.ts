/**
 * The event-loop lag gauge (`lattice_event_loop_lag_seconds`): how late a one-second timer ran,
 * the largest over the last 10 to 20 s.
 *
 * One wake-up a second: on a 2-vCPU VM each wake-up of an otherwise idle process costs 100-140 µs
 * of CPU. Node's `monitorEventLoopDelay` at 100 ms took 1.2-1.4 ms/s of an idle Node process, and
 * a controller at rest with three switches went from 6.9 to 5.1 ms/s when its timer moved to 1 s.
 * The monitor is this timer rather than `monitorEventLoopDelay` at 1 s because that histogram's
 * `reset()` forgets its last run: the first run after each window's reset records nothing, so a
 * hold of the loop then (up to a second in every ten) went unseen.
 *
 * A hold of the loop longer than a second is always seen (as at least its length minus a
 * second); a shorter one when the timer fell due during it.
 */
export class LoopLag {
  private expected: number;
  /** Largest lateness (ms) in the window running now, and in the last full one. */
  private current = 0;
  private previous = 0;
  private ticks = 0;

  /** `start`: the monotonic time (ms) the timer was set, to run every `periodMs`; windows of `windowTicks` runs. */
  constructor(
    start: number,
    readonly periodMs: number,
    readonly windowTicks: number,
  ) {
    this.expected = start + periodMs;
  }

  /** The timer ran at monotonic `now` (ms); Node sets the next run a period after this one. */
  tick(now: number): void {
    this.current = Math.max(this.current, now - this.expected);
    this.expected = now + this.periodMs;
    if (++this.ticks % this.windowTicks === 0) {
      this.previous = this.current;
      this.current = 0;
    }
  }

  /** The largest delay over the last full window and the one running now, in seconds. */
  get seconds(): number {
    return Math.max(this.previous, this.current) / 1000;
  }
}
