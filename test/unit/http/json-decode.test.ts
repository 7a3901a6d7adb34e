import { expect } from 'chai';
import type { DecodeLimits } from '../../../src/http/decode-limits.js';
import { decodeJson } from '../../../src/http/json-decode.js';

const LIMITS: DecodeLimits = { maxDepth: 64, maxElements: 100_000 };
const decode = (text: string, limits: DecodeLimits = LIMITS): unknown => decodeJson(Buffer.from(text), limits);
const refusal = (text: string, limits: DecodeLimits = LIMITS): { code: string; message: string } => {
  try {
    decode(text, limits);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('JSON request decoder (json-decode)', () => {
  describe('exact integers', () => {
    it('should give integers beyond 2^53 - 1 as bigints, with every digit', () => {
      expect(decode('{"cookie": 12321848580485677057, "mask": 18446744073709551615}')).to.deep.equal({
        cookie: 12321848580485677057n,
        mask: 18446744073709551615n,
      });
    });

    it('should keep safe integers and floats as numbers, beside a bigint', () => {
      const body = decode('{"big": 9007199254740993, "n": 7, "f": 1.5, "e": 1e21, "neg": -3, "z": -0, "s": "12321848580485677057"}');
      expect(body).to.deep.equal({ big: 9007199254740993n, n: 7, f: 1.5, e: 1e21, neg: -3, z: -0, s: '12321848580485677057' });
    });

    it('should switch to bigint exactly at the edge of the safe range, both signs', () => {
      expect(decode('[9007199254740991, -9007199254740991, 9007199254740992, -9007199254740992]')).to.deep.equal([
        Number.MAX_SAFE_INTEGER,
        Number.MIN_SAFE_INTEGER,
        9007199254740992n,
        -9007199254740992n,
      ]);
      expect(decode('[1000000000000000, 9007199254740990]')).to.deep.equal([1e15, 9007199254740990]);
    });

    it('should keep a 16-digit-or-longer float a number (fraction or exponent)', () => {
      expect(decode('[12321848580485677057.0, 12321848580485677057e0]')).to.deep.equal([12321848580485677057.0, 12321848580485677057]);
    });

    it('should parse a document with a bigint as JSON.parse does (last duplicate key wins, __proto__ an own key)', () => {
      const body = decode('{"a": 1, "a": 2, "__proto__": {"x": 1}, "c": 18446744073709551615, "u": "\\u00e9\\n"}') as Record<string, unknown>;
      expect(body.a).to.equal(2);
      expect(Object.getPrototypeOf(body)).to.equal(Object.prototype);
      expect(Object.keys(body)).to.deep.equal(['a', '__proto__', 'c', 'u']);
      expect(body.u).to.equal('é\n');
    });

    it('should find bigints anywhere: the whole body, nested arrays, after multi-byte text, beside NUL strings', () => {
      expect(decode('12321848580485677057')).to.deep.equal(12321848580485677057n);
      expect(decode('-12321848580485677057')).to.deep.equal(-12321848580485677057n);
      expect(decode('{"é": "日本", "a": [[1, 12321848580485677057], {"b": -9007199254740993}], "z": "\\\\u0000x", "n": "\\u00001"}')).to.deep.equal({
        é: '日本',
        a: [[1, 12321848580485677057n], { b: -9007199254740993n }],
        z: '\\u0000x',
        n: '\u00001',
      });
    });

    it('should keep a __proto__ key an own property beside a bigint', () => {
      const body = decode('{"__proto__": 12321848580485677057, "o": {"__proto__": [12321848580485677057]}}') as Record<string, unknown>;
      expect(Object.getPrototypeOf(body)).to.equal(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).to.equal(12321848580485677057n);
      const inner = body.o as Record<string, unknown>;
      expect(Object.getPrototypeOf(inner)).to.equal(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value).to.deep.equal([12321848580485677057n]);
    });

    it('should not count digits inside strings, or escaped quotes, as numbers', () => {
      expect(decode('{"k\\"12321848580485677057": "\\"99999999999999999999"}')).to.deep.equal({ 'k"12321848580485677057': '"99999999999999999999' });
    });
  });

  describe('limits', () => {
    it('should accept nesting up to http.maxJsonDepth and refuse one deeper, naming the limit', () => {
      const limits = { maxDepth: 4, maxElements: 100 };
      expect(decode('[[{"a": []}]]', limits)).to.deep.equal([[{ a: [] }]]);
      const error = refusal('[[{"a": [[]]}]]', limits);
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
      expect(error.message).to.contain('http.maxJsonDepth (4)');
    });

    it('should count values, not object keys, against http.maxJsonElements', () => {
      // the object, three member values and two array elements: 6 values
      const text = '{"a": 1, "b": "x", "c": [true, null]}';
      expect(decode(text, { maxDepth: 8, maxElements: 6 })).to.deep.equal({ a: 1, b: 'x', c: [true, null] });
      const error = refusal(text, { maxDepth: 8, maxElements: 5 });
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
      expect(error.message).to.contain('http.maxJsonElements (5)');
    });

    it('should count keys per object against http.maxJsonKeys, each object on its own, arrays not at all', () => {
      const limits = { maxDepth: 8, maxElements: 100, maxKeys: 3 };
      // three keys in each of two objects, nested; an array of five; keys and values holding ':' or '{'
      const text = '{"a": {"x": 1, "y": "k:", "z": [1, 2, 3, 4, 5]}, "b{": 2, "c": {}}';
      expect(decode(text, limits)).to.deep.equal({ a: { x: 1, y: 'k:', z: [1, 2, 3, 4, 5] }, 'b{': 2, c: {} });
      // the fourth key of the outer object, after a closed inner one whose keys do not count for it
      const error = refusal('{"a": {"x": 1, "y": 2, "z": 3}, "b": 2, "c": 3, "d": 4}', limits);
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
      expect(error.message).to.equal('Request body has an object with more keys than http.maxJsonKeys (3)');
      expect(refusal('[{"a": 1}, {"a": 1, "b": 2, "c": 3, "d": 4}]', limits).message).to.contain('http.maxJsonKeys (3)');
    });

    it('should count every body afresh (the scan reuses its counters): after a refusal, a malformed key at the top, a larger depth limit', () => {
      const limits = { maxDepth: 8, maxElements: 100, maxKeys: 3 };
      for (let i = 0; i < 5; i++) {
        expect(refusal('{"a": 1, "b": 2, "c": 3, "d": 4}', limits).code).to.equal('BODY_TOO_COMPLEX');
        expect(decode('{"a": 1, "b": {"x": 1, "y": 2, "z": 3}, "c": 3}', limits)).to.deep.equal({ a: 1, b: { x: 1, y: 2, z: 3 }, c: 3 });
        // A key outside any object is malformed, and stays INVALID_JSON however often it comes.
        expect(refusal('"a": 1', limits).code).to.equal('INVALID_JSON');
      }
      const deep = `${'['.repeat(100)}{"k": 1}${']'.repeat(100)}`;
      expect(refusal(deep, limits).code).to.equal('BODY_TOO_COMPLEX');
      expect(JSON.stringify(decode(deep, { maxDepth: 128, maxElements: 1000, maxKeys: 1 }))).to.equal(deep.replace(/ /g, ''));
    });

    it('should refuse a 1 MiB object of 95,000 keys while scanning, under the element limit', () => {
      const text = `{${Array.from({ length: 95_000 }, (_, i) => `"k${i}":0`).join(',')}}`;
      expect(Buffer.byteLength(text)).to.be.below(1 << 20);
      expect(refusal(text, { maxDepth: 64, maxElements: 100_000, maxKeys: 1000 }).message).to.contain('http.maxJsonKeys (1000)');
    });

    it('should measure each string (key or value, escapes as written) against http.maxJsonStringBytes', () => {
      const limits = { maxDepth: 8, maxElements: 100, maxStringBytes: 8 };
      expect(decode('{"12345678": "123456\\n", "k": ["abcdefgh"]}', limits)).to.deep.equal({ '12345678': '123456\n', k: ['abcdefgh'] });
      for (const text of ['{"k": "123456789"}', '{"123456789": 1}', '["abc", "1234567\\"x"]']) {
        const error = refusal(text, limits);
        expect(error.code, text).to.equal('BODY_TOO_COMPLEX');
        expect(error.message).to.equal('Request body has a string longer than http.maxJsonStringBytes (8)');
      }
    });

    it('should refuse a 500,000-deep array without a stack overflow', () => {
      const error = refusal(`${'['.repeat(500_000)}${']'.repeat(500_000)}`);
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
    });

    it('should refuse a deep document on the bigint path too, before parsing it', () => {
      const error = refusal(`${'['.repeat(100_000)}12321848580485677057${']'.repeat(100_000)}`);
      expect(error.code).to.equal('BODY_TOO_COMPLEX');
    });

    it('should pass a 1,000-flow flow_manager body with the default limits', () => {
      const flows = Array.from({ length: 1000 }, () => ({ priority: 10, match: { in_port: 1, dl_vlan: 100 }, actions: [{ action_type: 'output', port: 2 }] }));
      expect((decode(JSON.stringify({ flows })) as { flows: unknown[] }).flows).to.have.length(1000);
    });
  });

  describe('malformed input', () => {
    for (const text of ['{"a":', '[1,]', '{"a" 1}', '01', '"unterminated', '[1] x', ']]]', '{"c": 12321848580485677057,}', '[-]', '{12321848580485677057: 1}', '{-12321848580485677057 : 1}', '[012321848580485677057]', '-012321848580485677057']) {
      it(`should refuse ${JSON.stringify(text)} as INVALID_JSON`, () => {
        expect(refusal(text).code).to.equal('INVALID_JSON');
      });
    }
  });

  describe('against JSON.parse (a bounded, seeded fuzz)', () => {
    /** Token soup: valid and broken JSON alike, rich in big integers, keys and escapes. */
    const TOKENS = ['{', '}', '[', ']', ':', ',', ' ', '"k"', '"\\"', '"\\\\"', '"', '\\', '0', '-', '1.5', 'e5', 'true', 'null',
      '12321848580485677057', '-9007199254740993', '9007199254740991', '012321848580485677057', '18446744073709551615'];
    const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const lossy = (v: unknown): unknown => {
      if (typeof v === 'bigint') return Number(v);
      if (Array.isArray(v)) return v.map(lossy);
      if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lossy(x)]));
      return v;
    };

    it('should accept exactly what JSON.parse accepts, with the same values once bigints are made numbers', () => {
      const random = rng(8);
      let accepted = 0;
      for (let n = 0; n < 5_000; n++) {
        let text = '';
        const length = 1 + Math.floor(random() * 12);
        for (let k = 0; k < length; k++) text += TOKENS[Math.floor(random() * TOKENS.length)];
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(text);
        } catch {
          valid = false;
        }
        let got: unknown;
        let ok = true;
        try {
          got = decode(text);
        } catch {
          ok = false;
        }
        expect(ok, text).to.equal(valid);
        if (valid) {
          accepted++;
          expect(lossy(got), text).to.deep.equal(expected);
        }
      }
      expect(accepted).to.be.greaterThan(50);
    });
  });
});
