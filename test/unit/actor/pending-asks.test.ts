import { expect } from 'chai';
import { ManualClock } from '../../../src/actor/clock.js';
import { PendingAsks } from '../../../src/actor/pending-asks.js';
import { AskTimeoutError } from '../../../src/errors/index.js';

/** A clock counting the timers that fired. */
class CountingClock extends ManualClock {
  fired = 0;
  override setTimeout(fn: () => void, ms: number) {
    return super.setTimeout(() => (this.fired++, fn()), ms);
  }
}

describe('PendingAsks', () => {
  it('should wake once per ask timeout, not on a tick, for a stream of asks answered in time', () => {
    const clock = new CountingClock(0);
    const asks = new PendingAsks(clock, 50);
    const failed: unknown[] = [];
    // 10 s of asks, one every 10 ms, each answered 5 ms later; the timeout is 1 s.
    for (let t = 0; t < 10_000; t += 10) {
      const ask = asks.create('a', 'x', 1000, () => undefined, (e) => failed.push(e));
      clock.advance(5);
      ask.resolve(1);
      clock.advance(5);
    }
    expect(failed).to.deep.equal([]);
    expect(asks.size).to.equal(0);
    // A 50 ms sweep would have fired 200 times.
    expect(clock.fired).to.be.within(9, 11);
    clock.advance(2000);
    expect(clock.pending(), 'no timer left once nothing waits').to.equal(0);
  });

  it('should fail each ask within the resolution after its own deadline, the earliest first', () => {
    const clock = new ManualClock(0);
    const asks = new PendingAsks(clock, 50);
    const at: Record<string, number> = {};
    const ask = (name: string, timeoutMs: number) =>
      asks.create(name, 'x', timeoutMs, () => undefined, (e) => {
        expect(e).to.be.instanceOf(AskTimeoutError);
        at[name] = clock.now();
      });
    ask('slow', 1000);
    clock.advance(100);
    ask('quick', 200); // earlier deadline (300) than the timer (1000): the timer moves
    const answered = ask('answered', 250);
    clock.advance(150);
    answered.resolve(1);
    clock.advance(2000);
    expect(at).to.deep.equal({ quick: 300, slow: 1000 });
    expect(asks.size).to.equal(0);
  });
});
