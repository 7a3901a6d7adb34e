import { expect } from 'chai';
import { decodeBody, encodeBody, toJson } from '../../../src/http/codec.js';

const LIMITS = { maxDepth: 64, maxElements: 100_000 };

describe('HTTP body codec', () => {
  it('should write compact JSON', () => {
    expect(toJson({ a: [1, 2], b: { c: 'd' } })).to.equal('{"a":[1,2],"b":{"c":"d"}}');
  });

  it('should write bigints as exact JSON integers', () => {
    const big = 2n ** 64n - 1n;
    expect(toJson({ cookie: big, n: 1, s: 'x', neg: -5n })).to.equal('{"cookie":18446744073709551615,"n":1,"s":"x","neg":-5}');
  });

  it('should not mistake a string for a bigint, whatever it holds', () => {
    expect(toJson({ a: 1n, s: 'bigint:12' })).to.equal('{"a":1,"s":"bigint:12"}');
    const sly = { a: 1n, s: '\u0000bigint:12', t: 'x"\u0000bigint:12' };
    expect(JSON.parse(toJson(sly))).to.deep.equal({ a: 1, s: sly.s, t: sly.t });
  });

  it('should round-trip msgpack, bigints included', () => {
    const { bytes, type } = encodeBody({ cookie: 2n ** 63n, x: 'y' }, true);
    expect(type).to.equal('application/msgpack');
    expect(decodeBody(bytes as Buffer, 'application/msgpack', LIMITS)).to.deep.equal({ cookie: 2n ** 63n, x: 'y' });
  });

  it('should refuse a body that is neither JSON nor msgpack with 415, and bad JSON with 400', () => {
    expect(() => decodeBody(Buffer.from('a=1'), 'text/plain', LIMITS)).to.throw().with.property('code', 'UNSUPPORTED_MEDIA_TYPE');
    expect(() => decodeBody(Buffer.from('{'), 'application/json; charset=utf-8', LIMITS)).to.throw().with.property('code', 'INVALID_JSON');
  });

  it('should round-trip the largest uint64 through JSON exactly: decoded to a bigint, written with every digit', () => {
    const text = '{"cookie":12321848580485677057,"mask":18446744073709551615,"n":1}';
    const body = decodeBody(Buffer.from(text), 'application/json', LIMITS);
    expect(body).to.deep.equal({ cookie: 12321848580485677057n, mask: 18446744073709551615n, n: 1 });
    expect(encodeBody(body, false).bytes).to.equal(text);
  });

  it('should refuse a body over a limit as BODY_TOO_COMPLEX, in either format', () => {
    const deep = { maxDepth: 2, maxElements: 100 };
    expect(() => decodeBody(Buffer.from('[[[1]]]'), 'application/json', deep)).to.throw().with.property('code', 'BODY_TOO_COMPLEX');
    expect(() => decodeBody(encodeBody([[[1]]], true).bytes as Buffer, 'application/msgpack', deep)).to.throw().with.property('code', 'BODY_TOO_COMPLEX');
  });

  it('should write a bigint beyond 64 bits to msgpack as its digits, not fail', () => {
    const { bytes } = encodeBody({ big: 2n ** 70n, cookie: 2n ** 64n - 1n }, true);
    expect(decodeBody(bytes as Buffer, 'application/msgpack', LIMITS)).to.deep.equal({ big: '1180591620717411303424', cookie: 2n ** 64n - 1n });
  });
});
