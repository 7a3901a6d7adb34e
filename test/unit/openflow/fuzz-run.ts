/**
 * `npm run fuzz:openflow [-- <seed> <count> <seconds>]`: a longer run of the
 * decoder fuzz than CI's. Exits 1 on an escape, an unstable re-encode or an
 * input slower than 1 ms (median of 15 retries).
 */
import { fuzz, slowestMedian } from './fuzz-engine.js';

const [seedArg, countArg, secondsArg] = process.argv.slice(2);
const seed = seedArg ? Number(seedArg) : Date.now() & 0xffffffff;
const count = countArg ? Number(countArg) : 2_000_000;
const seconds = secondsArg ? Number(secondsArg) : 120;

const r = fuzz({ seed, count, timeLimitMs: seconds * 1000, time: true });
const worst = await slowestMedian(r.slowest);
console.log(
  JSON.stringify(
    {
      seed: `0x${(seed >>> 0).toString(16)}`,
      inputs: r.inputs,
      elapsedMs: r.elapsedMs,
      decoded: r.decoded,
      rejected: r.rejected,
      codes: r.codes,
      escapes: r.escapes.length,
      unstable: r.unstable.length,
      slowestMedianUs: Math.round(worst.ns / 1000),
      slowestInput: { bytes: worst.input.length, type: worst.input[1] },
    },
    null,
    2,
  ),
);
for (const e of r.escapes.slice(0, 5)) console.error('ESCAPE', e.input, e.error);
for (const u of r.unstable.slice(0, 5)) console.error('UNSTABLE', u);
if (r.escapes.length > 0 || r.unstable.length > 0 || worst.ns >= 1_000_000) process.exit(1);
