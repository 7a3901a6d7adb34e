import { expect } from 'chai';
import { progressEnabled, progressLine, startProgress } from '../../../load-tests/lib/progress.js';

describe('load-tests progress line', () => {
  it('should be on for a TTY only, unless LATTICE_PROGRESS says otherwise', () => {
    expect(progressEnabled({ isTTY: true }, {})).to.equal(true);
    expect(progressEnabled({ isTTY: false }, {})).to.equal(false);
    expect(progressEnabled({}, {})).to.equal(false);
    expect(progressEnabled({ isTTY: false }, { LATTICE_PROGRESS: '1' })).to.equal(true);
    expect(progressEnabled({ isTTY: true }, { LATTICE_PROGRESS: '0' })).to.equal(false);
  });

  it('should say the elapsed time, the steps done and what runs now', () => {
    expect(progressLine('bench:http', 65_400, 'rate round 2 lattice', 7, 20)).to.equal('[bench:http 1:05] 7/20 done, now: rate round 2 lattice');
    expect(progressLine('load', 3_000, '', 0)).to.equal('[load 0:03] 0 done');
  });

  it('should print from a synchronous loop that polls it, once a line is due', () => {
    const lines: string[] = [];
    let t = 0;
    const p = startProgress('sync', { enabled: true, everyMs: 4000, now: () => t, write: (l) => lines.push(l) });
    p.step('row 1', 0);
    p.poll();
    t = 3999;
    p.poll();
    expect(lines).to.deep.equal([]);
    t = 4000;
    p.poll();
    t = 5000;
    p.poll();
    p.stop();
    expect(lines).to.deep.equal(['[sync 0:04] 0 done, now: row 1']);
  });

  it('should print on its interval, and nothing once stopped or when off', async () => {
    const lines: string[] = [];
    let t = 0;
    const p = startProgress('x', { enabled: true, everyMs: 20, total: 2, now: () => t, write: (l) => lines.push(l) });
    p.step('first', 1);
    t = 5000;
    await new Promise((r) => setTimeout(r, 70));
    p.stop();
    const n = lines.length;
    expect(n).to.be.at.least(2);
    expect(lines[0]).to.equal('[x 0:05] 1/2 done, now: first');
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.length).to.equal(n);
    const quiet: string[] = [];
    const off = startProgress('y', { enabled: false, everyMs: 10, write: (l) => quiet.push(l) });
    await new Promise((r) => setTimeout(r, 40));
    off.stop();
    expect(quiet).to.deep.equal([]);
  });
});
