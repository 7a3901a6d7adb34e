import { expect } from 'chai';
import { FrameDecoder, FramingError } from '../../../src/southbound/framing.js';

/** A deterministic PRNG so that failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

function frame(type: number, xid: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(8 + body.length);
  b.writeUInt8(4, 0);
  b.writeUInt8(type, 1);
  b.writeUInt16BE(b.length, 2);
  b.writeUInt32BE(xid, 4);
  body.copy(b, 8);
  return b;
}

function feed(dec: FrameDecoder, stream: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, stream.length]) {
    dec.push(stream.subarray(prev, c), (f) => out.push(f));
    prev = c;
  }
  return out;
}

function randomCuts(len: number, r: () => number, n: number): number[] {
  const cuts = new Set<number>();
  for (let i = 0; i < n; i++) cuts.add(1 + Math.floor(r() * Math.max(1, len - 1)));
  return [...cuts].sort((a, b) => a - b);
}

describe('southbound FrameDecoder', () => {
  const r = rng(42);
  const frames = Array.from({ length: 300 }, (_, i) => frame(i % 30, i, Buffer.alloc(Math.floor(r() * 200), i & 0xff)));
  frames.push(frame(13, 99999, Buffer.alloc(65535 - 8, 7))); // the largest possible frame
  const stream = Buffer.concat(frames);

  it('should deliver hundreds of coalesced messages from one chunk, in order', () => {
    const out = new FrameDecoder().pushAll(stream);
    expect(out.length).to.equal(frames.length);
    out.forEach((f, i) => expect(f.equals(frames[i]), `frame ${i}`).to.equal(true));
  });

  it('should survive 1-byte writes', () => {
    const dec = new FrameDecoder();
    const part = Buffer.concat(frames.slice(0, 40));
    const out = feed(dec, part, Array.from({ length: part.length - 1 }, (_, i) => i + 1));
    expect(out.length).to.equal(40);
    out.forEach((f, i) => expect(f.equals(frames[i])).to.equal(true));
    expect(dec.buffered).to.equal(0);
  });

  it('should survive random split points (100 seeds)', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rr = rng(seed);
      const dec = new FrameDecoder();
      const out = feed(dec, stream, randomCuts(stream.length, rr, 1 + Math.floor(rr() * 400)));
      expect(out.length, `seed ${seed}`).to.equal(frames.length);
      out.forEach((f, i) => expect(f.equals(frames[i]), `seed ${seed} frame ${i}`).to.equal(true));
    }
  });

  it('should keep a partial frame and never buffer more than one frame', () => {
    const dec = new FrameDecoder();
    const f = frame(10, 1, Buffer.alloc(100));
    expect(dec.pushAll(f.subarray(0, 3))).to.deep.equal([]);
    expect(dec.buffered).to.equal(3);
    expect(dec.pushAll(f.subarray(3, 50))).to.deep.equal([]);
    expect(dec.buffered).to.equal(50);
    const out = dec.pushAll(Buffer.concat([f.subarray(50), f.subarray(0, 5)]));
    expect(out.length).to.equal(1);
    expect(dec.buffered).to.equal(5);
  });

  it('should reject a length below 8 with the offending bytes and xid, after the frames before it', () => {
    const bad = Buffer.from([4, 2, 0, 4, 0, 0, 0, 9, 1, 2, 3]);
    const good = frame(2, 1);
    const dec = new FrameDecoder();
    const out: Buffer[] = [];
    let err: unknown;
    try {
      dec.push(Buffer.concat([good, bad]), (f) => out.push(f));
    } catch (e) {
      err = e;
    }
    expect(out.length).to.equal(1);
    expect(err).to.be.instanceOf(FramingError);
    expect((err as FramingError).code).to.equal('FRAME_TOO_SHORT');
    expect((err as FramingError).xid).to.equal(9);
    expect((err as FramingError).bytes.equals(bad)).to.equal(true);
    expect(() => dec.pushAll(good)).to.throw(FramingError);
  });

  it('should reject a short length even when it arrives one byte at a time', () => {
    const dec = new FrameDecoder();
    const bad = Buffer.from([4, 0, 0, 0]);
    expect(dec.pushAll(bad.subarray(0, 1))).to.deep.equal([]);
    expect(dec.pushAll(bad.subarray(1, 2))).to.deep.equal([]);
    expect(dec.pushAll(bad.subarray(2, 3))).to.deep.equal([]);
    expect(() => dec.pushAll(bad.subarray(3, 4))).to.throw(FramingError).with.property('code', 'FRAME_TOO_SHORT');
  });

  it('should reject frames over maxFrameBytes', () => {
    const dec = new FrameDecoder({ maxFrameBytes: 1024 });
    expect(() => dec.pushAll(frame(13, 5, Buffer.alloc(2000)))).to.throw(FramingError).with.property('code', 'FRAME_TOO_LONG');
    const ok = new FrameDecoder({ maxFrameBytes: 1024 });
    expect(ok.pushAll(frame(13, 5, Buffer.alloc(1016))).length).to.equal(1);
  });

  it('should never loop or escape on random bytes (bounded fuzz)', () => {
    const rr = rng(7);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rr() * 300);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) b[j] = Math.floor(rr() * 256);
      const dec = new FrameDecoder();
      try {
        feed(dec, b, randomCuts(len, rr, 5));
      } catch (e) {
        expect(e).to.be.instanceOf(FramingError);
      }
      expect(dec.buffered).to.be.at.most(65535);
    }
  });
});
