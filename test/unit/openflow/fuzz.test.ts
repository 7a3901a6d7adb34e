import { expect } from 'chai';
import { fuzz } from './fuzz-engine.js';

/**
 * Bounded random + mutation fuzz of the decoder (seeded: a failure names its
 * seed and input and replays exactly): 100k inputs, nine 64 KiB adversarial
 * frames among them. Behaviour only: how fast the decoder is belongs to
 * `npm run fuzz:openflow` (longer, and fails on an input slower than 1 ms).
 */
describe('openflow decoder fuzz', function () {
  this.timeout(60_000);
  const SEED = Number(process.env.OF_FUZZ_SEED ?? 0x1a771ce);
  const COUNT = 100_000;
  const result = (() => {
    let r: ReturnType<typeof fuzz> | undefined;
    return () => (r ??= fuzz({ seed: SEED, count: COUNT }));
  })();

  it('should run every input to an answer (a message or an OfCodecError), never a loop', () => {
    const r = result();
    expect(r.inputs).to.equal(COUNT);
    expect(r.decoded + r.rejected + r.escapes.length).to.be.at.least(COUNT);
    expect(r.decoded, 'some inputs decode').to.be.greaterThan(0);
    expect(r.rejected, 'some inputs are rejected').to.be.greaterThan(0);
  });

  it('should let nothing but OfCodecError escape decode or encode', () => {
    const r = result();
    expect(r.escapes.slice(0, 3), `seed 0x${SEED.toString(16)}`).to.deep.equal([]);
  });

  it('should re-encode every decoded message stably', () => {
    expect(result().unstable.slice(0, 3)).to.deep.equal([]);
  });
});
