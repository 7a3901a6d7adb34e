import { expect } from 'chai';
import { LoopLag } from '../../../src/platform/loop-lag.js';

describe('event-loop lag (LoopLag)', () => {
  it('should read 0 while the timer runs on time, and how late it ran once it ran late', () => {
    const lag = new LoopLag(0, 1000, 10);
    lag.tick(1000);
    lag.tick(2000.4);
    expect(lag.seconds).to.be.closeTo(0.0004, 1e-9);
    // The loop held from 2,100 to 4,350 ms: the run due at 3,000.4 comes at 4,350.
    lag.tick(4350);
    expect(lag.seconds).to.be.closeTo(1.3496, 1e-9);
    lag.tick(5350);
    expect(lag.seconds).to.be.closeTo(1.3496, 1e-9);
    // The next run is due a period after the late one, not at the old cadence: alone in its
    // window (one run per window), the run a period later reads on time.
    const each = new LoopLag(0, 1000, 1);
    each.tick(2350);
    expect(each.seconds).to.equal(1.35);
    each.tick(3350);
    expect(each.seconds).to.equal(0);
  });

  it('should keep the largest over the last full window and the one running now, then forget it', () => {
    const lag = new LoopLag(0, 1000, 10);
    let t = 0;
    const run = (late = 0) => lag.tick((t += 1000 + late));
    run(250); // window 1, run 1
    for (let i = 2; i <= 10; i++) run();
    // Window 1 is full: its 250 ms is kept through window 2.
    expect(lag.seconds).to.equal(0.25);
    for (let i = 1; i <= 9; i++) run();
    expect(lag.seconds).to.equal(0.25);
    run(); // window 2 full, with nothing late: window 1 is forgotten
    expect(lag.seconds).to.equal(0);
  });

  it('should see a hold that spans the end of a window (the run that closes it is the late one)', () => {
    const lag = new LoopLag(0, 1000, 2);
    lag.tick(1000);
    lag.tick(2700); // the second run closes the window, 700 ms late
    expect(lag.seconds).to.equal(0.7);
    lag.tick(3700);
    expect(lag.seconds).to.equal(0.7);
  });
});
