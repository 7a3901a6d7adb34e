import { expect } from 'chai';
import { decodeMessage, isOfCodecError } from '../../../src/openflow/index.js';
import { FrameDecoder, FramingError } from '../../../src/southbound/framing.js';
import { errorVectors, validVectors } from '../../vectors/openflow/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 0x100000000);
}

/** Everything framing + decoding makes of a byte stream cut at `cuts`. */
function outcome(stream: Buffer, cuts: number[]) {
  const dec = new FrameDecoder();
  const results: unknown[] = [];
  let prev = 0;
  let framing: string | undefined;
  for (const c of [...cuts, stream.length]) {
    try {
      dec.push(stream.subarray(prev, c), (f) => {
        try {
          results.push({ frame: f.toString('hex'), message: decodeMessage(f) });
        } catch (e) {
          results.push({ frame: f.toString('hex'), error: isOfCodecError(e) ? e.code : `ESCAPED:${String(e)}` });
        }
      });
    } catch (e) {
      expect(e).to.be.instanceOf(FramingError);
      framing = (e as FramingError).code;
      break;
    }
    prev = c;
  }
  return { results, framing, buffered: dec.buffered };
}

const everyByte = (len: number) => Array.from({ length: Math.max(0, len - 1) }, (_, i) => i + 1);
function randomCuts(len: number, r: () => number): number[] {
  const n = 1 + Math.floor(r() * 20);
  return [...new Set(Array.from({ length: n }, () => 1 + Math.floor(r() * Math.max(1, len - 1))))].sort((a, b) => a - b);
}

describe('southbound framing with the codec vectors', () => {
  it('should have vectors to run', () => {
    expect(validVectors.length).to.be.greaterThan(10);
    expect(errorVectors.length).to.be.greaterThan(10);
  });

  it('should deliver every valid vector, fed one byte at a time, as itself and decode it to its message', () => {
    for (const v of validVectors) {
      const o = outcome(v.bytes, everyByte(v.bytes.length));
      expect(o.framing, v.name).to.equal(undefined);
      expect(o.results.length, v.name).to.equal(1);
      expect((o.results[0] as { frame: string }).frame, v.name).to.equal(v.bytes.toString('hex'));
      expect((o.results[0] as { message: unknown }).message, v.name).to.deep.equal(v.message);
    }
  });

  it('should deliver all valid vectors coalesced in one stream, at random split points (50 seeds)', () => {
    const stream = Buffer.concat(validVectors.map((v) => v.bytes));
    const whole = outcome(stream, []);
    expect(whole.results.length).to.equal(validVectors.length);
    whole.results.forEach((r, i) => expect((r as { message: unknown }).message, validVectors[i].name).to.deep.equal(validVectors[i].message));
    for (let seed = 1; seed <= 50; seed++) {
      expect(outcome(stream, randomCuts(stream.length, rng(seed))), `seed ${seed}`).to.deep.equal(whole);
    }
  });

  it('should give every error vector the same outcome whatever the chunking, with no escape', () => {
    const r = rng(99);
    for (const v of errorVectors) {
      const whole = outcome(v.bytes, []);
      for (const res of whole.results) expect(String((res as { error?: string }).error ?? '')).to.not.match(/^ESCAPED/);
      expect(outcome(v.bytes, everyByte(v.bytes.length)), v.name).to.deep.equal(whole);
      for (let i = 0; i < 5; i++) expect(outcome(v.bytes, randomCuts(v.bytes.length, r)), v.name).to.deep.equal(whole);
      // When the vector is exactly one frame, the decode error is the vector's code.
      if (v.bytes.length >= 8 && v.bytes.readUInt16BE(2) === v.bytes.length) {
        expect((whole.results[0] as { error?: string }).error, v.name).to.equal(v.code);
      }
    }
  });
});
