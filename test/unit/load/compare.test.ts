import { expect } from 'chai';
import { compare, formatComparison, pool } from '../../../load-tests/lib/compare.js';
import type { Report } from '../../../load-tests/lib/report.js';

function run(requests: number, cpuSeconds: number, p99 = 1, elapsed = 10): Report {
  return {
    requests,
    successes: requests,
    elapsedSeconds: elapsed,
    latencyMs: { min: 0.1, mean: 0.2, p50: p99 / 4, p90: p99 / 2, p95: p99 / 1.5, p99, max: p99 * 2 },
    cpu: { pid: 1, source: 'x', ticks: Math.round(cpuSeconds * 100), clockTicksPerSecond: 100, seconds: cpuSeconds, perRequestUs: (cpuSeconds * 1e6) / requests, resolution: null, schedstatPerRequestUs: (cpuSeconds * 1e6) / requests },
  } as Report;
}

describe('load bench comparison', () => {
  it('should pool CPU as all CPU time over all requests, not a mean of ratios', () => {
    const p = pool([run(1000, 0.1), run(3000, 0.1)]);
    expect(p.cpuPerRequestUs).to.equal(50); // 0.2 s / 4000
    expect(p.cpuTicks).to.equal(20);
    expect(p.throughput).to.equal(200); // 4000 ok over 20 s
  });

  it('should take the median of the rounds for latency, so one noisy round does not decide', () => {
    const p = pool([run(1000, 0.1, 1), run(1000, 0.1, 100), run(1000, 0.1, 2)]);
    expect(p.latencyMs.p99).to.equal(2);
    expect(pool([run(1000, 0.1, 1), run(1000, 0.1, 3)]).latencyMs.p99).to.equal(2);
  });

  it('should report lattice/bare ratios and miss the CPU target at 1.5x while meeting the p99 one', () => {
    const bare = pool([run(10_000, 0.1, 2)]); // 10 µs/request
    const lattice = pool([run(10_000, 0.15, 2.8)]); // 15 µs/request
    const c = compare({ bare, lattice }, { bare, lattice }, 500);
    const cpu = c.rows.find((r) => r.metric === 'server CPU/request at max load')!;
    expect(cpu.ratio).to.be.closeTo(1.5, 1e-9);
    expect(cpu.ok).to.equal(false);
    const p99 = c.rows.find((r) => r.metric === 'latency p99 at 500/s')!;
    expect(p99.ratio).to.be.closeTo(1.4, 1e-9);
    expect(p99.ok).to.equal(true);
    expect(c.targetsMet).to.equal(false);
    expect(formatComparison(c, { bare: 'bare', lattice: 'lattice' })).to.match(/server CPU\/request at max load\s+10\.0µs\s+15\.0µs\s+1\.50x\s+<= 1\.4x MISSED/);
  });

  it('should meet both targets when Lattice is within them', () => {
    const bare = pool([run(10_000, 0.1, 2)]);
    const lattice = pool([run(10_000, 0.13, 2.9)]);
    expect(compare({ bare, lattice }, { bare, lattice }, 500).targetsMet).to.equal(true);
  });
});
