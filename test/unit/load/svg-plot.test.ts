import { expect } from 'chai';
import { latencyPlotSvg, summaryPoints } from '../../../load-tests/lib/svg-plot.js';

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
