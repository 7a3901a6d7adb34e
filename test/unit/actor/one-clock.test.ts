import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { scanForWallClock, wallClockReads } from '../../helpers/wall-clock-scan.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The clock module is the one place that reads the wall clock and Node's timers. */
const CLOCK_MODULES = ['src/actor/clock.ts'];

describe('One clock', () => {
  it('should find no direct read of the wall clock or timers in src/, actors/ or napps/ outside the clock module', () => {
    expect(scanForWallClock(ROOT, ['src', 'actors', 'napps'], CLOCK_MODULES)).to.deep.equal([]);
  });

  it('should find no raw setImmediate in napps/ (NApps yield through ctx.timers.yield())', () => {
    expect(scanForWallClock(ROOT, ['napps'], [], { turns: true })).to.deep.equal([]);
  });

  describe('the scan', () => {
    const reads = (code: string) => wallClockReads(code).map((r) => r.line);

    for (const code of [
      'const t = Date.now();',
      'const d = new Date();',
      'const d = new Date;',
      'const t0 = performance.now();',
      'const t = process.hrtime.bigint();',
      'setTimeout(() => done(), 5);',
      'await new Promise((r) => setTimeout(r, 50));',
      'const h = setInterval(tick, 1000).unref();',
      'x = cond ? setTimeout(a, 1) : undefined;',
      'globalThis.setTimeout(f, 1);',
      "import { setTimeout as sleep } from 'node:timers/promises';",
      "const { setInterval } = require('timers');",
      'const s = `${Date.now()}`;',
    ]) {
      it(`should flag ${code}`, () => expect(reads(code)).to.deep.equal([1]));
    }

    for (const code of [
      'clock.setTimeout(() => done(), 5);',
      'this.clock.setInterval(tick, 1000, { unref: true });',
      'setImmediate(next); queueMicrotask(next);',
      'const d = new Date(clock.now());',
      '// Date.now() and setTimeout( in a line comment',
      '/* new Date() and\n performance.now() in a block comment */',
      "const s = 'setTimeout( and Date.now() in a string';",
      'const s = `no ${"setInterval("} here`;',
      'const re = /\\/\\/ not a comment/; const n = 1;',
      'interface Clock {\n  setTimeout(fn: () => void, ms: number): TimerHandle;\n}',
      'class C {\n  setInterval(fn: () => void, ms: number) {\n    return 1;\n  }\n}',
      'const o = { mySetTimeout(1) {} }; a.setTimeout(1);',
    ]) {
      it(`should not flag ${JSON.stringify(code)}`, () => expect(reads(code)).to.deep.equal([]));
    }

    it('should flag setImmediate only when asked for turns', () => {
      for (const code of ['setImmediate(next);', 'await new Promise((r) => setImmediate(r));', 'globalThis.setImmediate(next);']) {
        expect(wallClockReads(code, { turns: true }).map((r) => r.line), code).to.deep.equal([1]);
      }
      expect(wallClockReads('ctx.timers.yield(); a.setImmediate(x); // setImmediate(x)', { turns: true })).to.deep.equal([]);
    });

    it('should give the line of each read, after comments and strings that hide others', () => {
      const code = ["const s = '// not a comment';", '/* Date.now() */', 'const t = Date.now();', '`${1}` + setTimeout(f, 1);'].join('\n');
      expect(reads(code)).to.deep.equal([3, 4]);
    });
  });
});
