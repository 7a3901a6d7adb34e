import { expect } from 'chai';
import { floorPoints, judge, leastSquares, type Sample } from '../../../load-tests/lib/soak-stats.js';
import { timeSeriesPlotSvg } from '../../../load-tests/lib/svg-plot.js';

const sample = (tMin: number, rssMB: number, extra: Partial<Sample> = {}): Sample => ({ tMin, heapMB: 50, rssMB, fds: 30, storeMB: 1, lagMs: 10, ...extra });

describe('soak statistics', () => {
  it('should fit a least-squares line exactly through points on a line, and refuse too few or degenerate x', () => {
    const fit = leastSquares([0, 1, 2, 3], [5, 7, 9, 11])!;
    expect(fit.slopePerMin).to.be.closeTo(2, 1e-12);
    expect(fit.intercept).to.be.closeTo(5, 1e-12);
    expect(leastSquares([0, 1], [1, 2])).to.equal(undefined);
    expect(leastSquares([1, 1, 1], [1, 2, 3])).to.equal(undefined);
  });

  it('should judge slopes per hour after the warm-up only, against each bound', () => {
    // RSS climbs 10 MB/min during a 5-minute warm-up, then is flat with noise: flat after the warm-up.
    const samples: Sample[] = [];
    for (let t = 0; t <= 30; t += 0.5) samples.push(sample(t, t < 5 ? 100 + 10 * t : 150 + (Math.round(t * 2) % 2 ? 0.5 : -0.5)));
    const after = judge(samples, 5).find((v) => v.series === 'rssMB')!;
    expect(after.ok).to.equal(true);
    expect(Math.abs(after.slopePerHour!)).to.be.lessThan(1);
    const whole = judge(samples, 0).find((v) => v.series === 'rssMB')!;
    expect(whole.ok).to.equal(false);
    expect(whole.slopePerHour).to.be.greaterThan(40);
    // A steady leak of 1 MB/min (60 MB/h) fails the 40 MB/h RSS bound.
    const leak = judge([0, 1, 2, 3, 4, 5, 6].map((t) => sample(t, 100 + t)), 0).find((v) => v.series === 'rssMB')!;
    expect(leak.slopePerHour).to.be.closeTo(60, 1e-9);
    expect(leak.ok).to.equal(false);
  });

  it('should fit the heap to its floor after collections: a rising sawtooth with a flat floor is flat, a rising floor is not', () => {
    // Garbage piles up for 75 s then a major GC drops it; peaks climb, the floor does not.
    // One sample every 5 s; 15 samples (75 s) per GC cycle.
    const saw = (i: number, floorPerMin: number) => 40 + (floorPerMin * i) / 12 + ((i % 15) / 12) * (8 + i / 12);
    const flat: Sample[] = [];
    const leaking: Sample[] = [];
    for (let i = 0; i <= 360; i++) {
      flat.push(sample(i / 12, 150, { heapMB: saw(i, 0) }));
      leaking.push(sample(i / 12, 150, { heapMB: saw(i, 0.5) }));
    }
    // Fitting every sample calls the flat one a leak; its floor does not.
    expect(leastSquares(flat.map((s) => s.tMin), flat.map((s) => s.heapMB))!.slopePerMin * 60).to.be.greaterThan(20);
    const ok = judge(flat, 5).find((v) => v.series === 'heapMB')!;
    expect(ok.fitTo).to.equal('floor');
    expect(Math.abs(ok.slopePerHour!)).to.be.lessThan(5);
    expect(ok.ok).to.equal(true);
    const bad = judge(leaking, 5).find((v) => v.series === 'heapMB')!;
    expect(bad.slopePerHour).to.be.closeTo(30, 3);
    expect(bad.ok).to.equal(false);
    // 25 minutes after the warm-up: 9 windows of 3 min (the last one short).
    expect(floorPoints(flat.filter((s) => s.tMin >= 5), 'heapMB', 5)).to.have.length(9);
  });

  it('should draw one panel per series with its fitted line', () => {
    const svg = timeSeriesPlotSvg('t', [
      { name: 'a', unit: 'MB', points: [{ tMin: 0, value: 1 }, { tMin: 1, value: 2 }], fit: { slopePerMin: 1, intercept: 1, fromMin: 0 } },
      { name: 'b', unit: 'fds', points: [{ tMin: 0, value: 3 }, { tMin: 1, value: 3 }] },
    ]);
    expect(svg.match(/<polyline /g)).to.have.length(2);
    expect(svg.match(/stroke-dasharray/g)).to.have.length(1);
    expect(svg).to.include('a (MB)').and.include('b (fds)');
  });
});
