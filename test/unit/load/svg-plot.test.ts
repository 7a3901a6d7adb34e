import { expect } from 'chai';
import { latencyPlotSvg, roundSeries, summaryPoints } from '../../../load-tests/lib/svg-plot.js';

describe('latency SVG plot', () => {
  const series = [
    { name: 'bare <uWS>', points: summaryPoints({ p50: 0.15, p90: 0.3, p95: 0.5, p99: 2, max: 40 }) },
    { name: 'lattice', points: summaryPoints({ p50: 0.2, p90: 0.4, p95: 0.9, p99: 3, max: 120 }) },
  ];
  const svg = latencyPlotSvg('bench & co', series);

  it('should write one standalone SVG with a line and a point per percentile for each series', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
    expect(svg.trimEnd().endsWith('</svg>')).to.equal(true);
    expect(svg.match(/<polyline /g)).to.have.length(2);
    expect(svg.match(/<circle /g)).to.have.length(10);
    for (const p of ['p50', 'p90', 'p95', 'p99', 'max']) expect(svg).to.contain(`>${p}</text>`);
  });

  it('should escape text and label decades of a log scale around the data', () => {
    expect(svg).to.contain('bench &amp; co');
    expect(svg).to.contain('bare &lt;uWS&gt;');
    expect(svg).to.not.contain('<uWS>');
    // 0.15 ms .. 120 ms: decades from 100 µs to 1 s.
    for (const label of ['100 µs', '1 ms', '10 ms', '100 ms', '1 s']) expect(svg).to.contain(`>${label}</text>`);
    expect(svg).to.not.match(/NaN|Infinity/);
  });

  it('should plot a single flat series without dividing by zero', () => {
    const one = latencyPlotSvg('flat', [{ name: 'a', points: [{ label: 'p50', ms: 1 }] }]);
    expect(one).to.not.match(/NaN|Infinity/);
  });
});

describe('roundSeries', () => {
  const run = (phase: 'max' | 'rate', server: 'bare' | 'lattice', p50: number) => ({
    phase,
    server,
    report: { offeredRate: phase === 'rate' ? 500 : null, latencyMs: { p50, p90: p50 * 2, p95: p50 * 3, p99: p50 * 4, max: p50 * 10 } },
  });

  it('should give one series per server and phase, each percentile the median over the rounds', () => {
    const series = roundSeries([run('rate', 'bare', 1), run('rate', 'bare', 3), run('rate', 'bare', 2), run('max', 'lattice', 5)], { bare: 'bare', lattice: 'lattice' });
    expect(series.map((s) => s.name)).to.deep.equal(['bare (500/s)', 'lattice (closed loop)']);
    expect(series[0]!.points).to.deep.equal([
      { label: 'p50', ms: 2 },
      { label: 'p90', ms: 4 },
      { label: 'p95', ms: 6 },
      { label: 'p99', ms: 8 },
      { label: 'max', ms: 20 },
    ]);
  });
});
