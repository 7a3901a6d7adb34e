import { expect } from 'chai';
import { Packr } from 'msgpackr';
import type { DecodeLimits } from '../../../src/http/decode-limits.js';
import { decodeMsgpack } from '../../../src/http/msgpack-decode.js';

const LIMITS: DecodeLimits = { maxDepth: 64, maxElements: 100_000 };
const packr = new Packr({ useRecords: false, moreTypes: false });
const bytes = (...parts: (number | number[] | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(Array.isArray(p) ? p : [p]))));
const refusal = (input: Buffer, limits: DecodeLimits = LIMITS): { code: string; message: string } => {
  try {
    decodeMsgpack(input, limits);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('msgpack request decoder (msgpack-decode)', () => {
  describe('exact integers', () => {
    it('should give uint64 and int64 beyond the safe range as bigints', () => {
      const packed = packr.pack({ cookie: 12321848580485677057n, mask: 18446744073709551615n, low: -9223372036854775808n });
      expect(decodeMsgpack(packed, LIMITS)).to.deep.equal({ cookie: 12321848580485677057n, mask: 18446744073709551615n, low: -9223372036854775808n });
    });

    it('should give safe integers sent as 64-bit (as Python msgpack does) as numbers', () => {
      // [uint64 2^40, int64 -(2^53 - 1), uint64 2^53 - 1, uint64 2^53, int64 -2^53]
      const input = bytes(
        0x95,
        [0xcf, 0, 0, 0x01, 0, 0, 0, 0, 0],
        [0xd3, 0xff, 0xe0, 0, 0, 0, 0, 0, 0x01],
        [0xcf, 0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        [0xcf, 0, 0x20, 0, 0, 0, 0, 0, 0],
        [0xd3, 0xff, 0xe0, 0, 0, 0, 0, 0, 0],
      );
      expect(decodeMsgpack(input, LIMITS)).to.deep.equal([2 ** 40, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 2n ** 53n, -(2n ** 53n)]);
    });

    it('should decode every other type as msgpackr does', () => {
      const value = { s: 'x'.repeat(300), b: Buffer.from([1, 2]), f: 1.5, t: true, n: null, a: [1, -1, 300, -300, 70000], m: { k: { j: [] } } };
      expect(decodeMsgpack(packr.pack(value), LIMITS)).to.deep.equal(packr.unpack(packr.pack(value)));
    });
  });

  describe('limits', () => {
    it('should accept nesting up to http.maxJsonDepth and refuse one deeper, naming the limit', () => {
      const limits = { maxDepth: 3, maxElements: 100 };
      expect(decodeMsgpack(packr.pack([[{ a: 1 }]]), limits)).to.deep.equal([[{ a: 1 }]]);
      const error = refusal(packr.pack([[{ a: [] }]]), limits);
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
      expect(error.message).to.contain('http.maxJsonDepth (3)');
    });

    it('should count values, not map keys, against http.maxJsonElements', () => {
      const packed = packr.pack({ a: 1, b: 'x', c: [true, null] });
      expect(decodeMsgpack(packed, { maxDepth: 8, maxElements: 6 })).to.deep.equal({ a: 1, b: 'x', c: [true, null] });
      const error = refusal(packed, { maxDepth: 8, maxElements: 5 });
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
      expect(error.message).to.contain('http.maxJsonElements (5)');
    });

    it('should refuse a map declaring more keys than http.maxJsonKeys, not an array as long', () => {
      const limits = { maxDepth: 8, maxElements: 100, maxKeys: 3 };
      expect(decodeMsgpack(packr.pack({ a: { x: 1, y: 2, z: 3 }, b: [1, 2, 3, 4, 5] }), limits)).to.deep.equal({ a: { x: 1, y: 2, z: 3 }, b: [1, 2, 3, 4, 5] });
      const error = refusal(packr.pack([{ a: 1, b: 2, c: 3, d: 4 }]), limits);
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
      expect(error.message).to.contain('http.maxJsonKeys (3)');
    });

    it('should refuse a str, bin or ext payload longer than http.maxJsonStringBytes by its header', () => {
      const limits = { maxDepth: 8, maxElements: 100, maxStringBytes: 64 };
      expect(decodeMsgpack(packr.pack({ s: 'x'.repeat(64), b: Buffer.alloc(64) }), limits)).to.deep.equal({ s: 'x'.repeat(64), b: Buffer.alloc(64) });
      for (const value of [{ s: 'x'.repeat(65) }, { ['k'.repeat(65)]: 1 }, [Buffer.alloc(65)]]) {
        const error = refusal(packr.pack(value), limits);
        expect(error.code).to.equal('BODY_TOO_COMPLEX');
        expect(error.message).to.contain('http.maxJsonStringBytes (64)');
      }
      // the header alone: a str 32 announcing 1 GiB is refused before the bytes are looked for
      expect(refusal(Buffer.from([0xdb, 0x40, 0, 0, 0]), limits).message).to.contain('http.maxJsonStringBytes');
    });

    it('should refuse a container by its header length, before reading its items', () => {
      // array 32 claiming 2^32 - 1 items, with none present
      expect(refusal(bytes([0xdd, 0xff, 0xff, 0xff, 0xff])).code).to.equal('BODY_TOO_COMPLEX');
      expect(refusal(bytes([0xdf, 0xff, 0xff, 0xff, 0xff])).code).to.equal('BODY_TOO_COMPLEX');
    });

    it('should refuse a 1,000,000-deep array without a stack overflow', () => {
      const error = refusal(bytes(Buffer.alloc(1_000_000, 0x91), 0xc0));
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
    });

    it('should count nesting inside map keys too', () => {
      // {[[[]]]: 1} with depth 3 allowed: the key's arrays make depth 4
      expect(refusal(bytes(0x81, 0x91, 0x91, 0x90, 0x01), { maxDepth: 3, maxElements: 100 }).code).to.equal('BODY_TOO_COMPLEX');
    });
  });

  describe('malformed input', () => {
    const cases: [string, Buffer][] = [
      ['a truncated array', bytes(0x92, 0x01)],
      ['a truncated string', bytes(0xa5, 0x61)],
      ['a truncated uint64', bytes(0xcf, 0, 0)],
      ['a truncated str 32 length', bytes(0xdb, 0, 0)],
      ['bytes after the value', bytes(0x01, 0x02)],
      ['the never-used byte 0xc1', bytes(0x91, 0xc1)],
      ['an empty body', Buffer.alloc(0)],
      ["msgpackr's Set extension (nests values the scan would not see)", bytes(0xd4, 0x73, 0x00)],
      ["msgpackr's record definition extension", bytes(0xd4, 0x72, 0x00)],
      ['an application extension (ext 8, type 5)', bytes(0xc7, 0x01, 0x05, 0x00)],
    ];
    for (const [name, input] of cases) {
      it(`should refuse ${name} as INVALID_JSON`, () => {
        expect(refusal(input).code).to.equal('INVALID_JSON');
      });
    }

    it('should accept the timestamp extension, a leaf', () => {
      const date = new Date('2026-01-02T03:04:05.000Z');
      expect(decodeMsgpack(packr.pack({ at: date }), LIMITS)).to.deep.equal({ at: date });
    });
  });

  describe('a bounded, seeded fuzz', () => {
    const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

    it('should decode what msgpackr packs, bigints only beyond the safe range', () => {
      const random = rng(11);
      const scalar = (): unknown => {
        const pick = Math.floor(random() * 9);
        if (pick === 0) return 12321848580485677057n - BigInt(Math.floor(random() * 1e6));
        if (pick === 1) return -(2n ** 60n) - BigInt(Math.floor(random() * 1e6));
        if (pick === 2) return Math.floor(random() * 2 ** 53) * (random() < 0.5 ? -1 : 1);
        if (pick === 3) return Math.floor(random() * 300) - 150;
        if (pick === 4) return random() * 1e6;
        if (pick === 5) return 'é'.repeat(Math.floor(random() * 40));
        if (pick === 6) return random() < 0.5;
        if (pick === 7) return null;
        return Math.floor(random() * 70_000);
      };
      const value = (depth: number): unknown => {
        const pick = random();
        if (depth > 3 || pick < 0.5) return scalar();
        const size = Math.floor(random() * 10);
        if (pick < 0.75) return Array.from({ length: size }, () => value(depth + 1));
        return Object.fromEntries(Array.from({ length: size }, (_, k) => [`k${k}`, value(depth + 1)]));
      };
      for (let n = 0; n < 300; n++) {
        const v = value(0);
        expect(decodeMsgpack(packr.pack(v), LIMITS)).to.deep.equal(v);
      }
    });

    it('should meet random bytes with a value or a typed 400, never another error', () => {
      const random = rng(12);
      const HEADERS = [0x00, 0x7f, 0x81, 0x8f, 0x91, 0x9f, 0xa3, 0xc0, 0xc1, 0xc2, 0xc4, 0xc7, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd7, 0xd9, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff];
      for (let n = 0; n < 5_000; n++) {
        const length = 1 + Math.floor(random() * 24);
        const input = Buffer.from(Array.from({ length }, () => (random() < 0.6 ? HEADERS[Math.floor(random() * HEADERS.length)]! : Math.floor(random() * 256))));
        try {
          decodeMsgpack(input, { maxDepth: 4, maxElements: 50 });
        } catch (error) {
          expect(['INVALID_JSON', 'BODY_TOO_COMPLEX'], input.toString('hex')).to.include((error as { code?: string }).code);
        }
      }
    });
  });
});
