import { expect } from 'chai';
import { fuzz, slowestMedian } from './fuzz-engine.js';

/**
 * Bounded random + mutation fuzz of the decoder (seeded: a failure names its
 * seed and input and replays exactly). 120k inputs, plus nine 64 KiB
 * adversarial frames; stops at 18 s whatever the count, and then fails on
 * the count. A longer run: `npm run fuzz:openflow`.
 */
describe('openflow decoder fuzz', function () {
  this.timeout(60_000);
  const SEED = Number(process.env.OF_FUZZ_SEED ?? 0x1a771ce);
  const COUNT = 120_000;
  const result = (() => {
    let r: ReturnType<typeof fuzz> | undefined;
    return () => (r ??= fuzz({ seed: SEED, count: COUNT, timeLimitMs: 18_000 }));
  })();

  it('should run at least 100k inputs within its time bound', () => {
    const r = result();
    console.log(
      `      fuzz seed=0x${SEED.toString(16)}: ${r.inputs} inputs in ${r.elapsedMs} ms, ${r.decoded} decoded, ${r.rejected} rejected ${JSON.stringify(r.codes)}`,
    );
    expect(r.inputs).to.be.at.least(100_000);
  });

  it('should let nothing but OfCodecError escape decode or encode', () => {
    const r = result();
    expect(r.escapes.slice(0, 3), `seed 0x${SEED.toString(16)}`).to.deep.equal([]);
  });

  it('should re-encode every decoded message stably', () => {
    expect(result().unstable.slice(0, 3)).to.deep.equal([]);
  });

  it('should decode no input slower than 1 ms (median of 15 retries of the 16 slowest and the 64 KiB frames)', async () => {
    const worst = await slowestMedian(result().slowest);
    console.log(`      slowest input: ${(worst.ns / 1000).toFixed(0)} us median (${worst.input.length} bytes, type ${worst.input[1]})`);
    expect(worst.ns).to.be.below(1_000_000);
  });
});
