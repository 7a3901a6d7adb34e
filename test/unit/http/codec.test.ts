import { expect } from 'chai';
import { decodeBody, encodeBody, toJson } from '../../../src/http/codec.js';

describe('HTTP body codec', () => {
  it('should write compact JSON', () => {
    expect(toJson({ a: [1, 2], b: { c: 'd' } })).to.equal('{"a":[1,2],"b":{"c":"d"}}');
  });

  it('should write bigints as exact JSON integers', () => {
    const big = 2n ** 64n - 1n;
    expect(toJson({ cookie: big, n: 1, s: 'x', neg: -5n })).to.equal('{"cookie":18446744073709551615,"n":1,"s":"x","neg":-5}');
  });

  it('should not mistake a string for a bigint', () => {
    expect(toJson({ a: 1n, s: 'bigint:12' })).to.equal('{"a":1,"s":"bigint:12"}');
  });

  it('should round-trip msgpack, bigints included', () => {
    const { bytes, type } = encodeBody({ cookie: 2n ** 63n, x: 'y' }, true);
    expect(type).to.equal('application/msgpack');
    expect(decodeBody(bytes as Buffer, 'application/msgpack')).to.deep.equal({ cookie: 2n ** 63n, x: 'y' });
  });

  it('should refuse a body that is neither JSON nor msgpack with 415, and bad JSON with 400', () => {
    expect(() => decodeBody(Buffer.from('a=1'), 'text/plain')).to.throw().with.property('code', 'UNSUPPORTED_MEDIA_TYPE');
    expect(() => decodeBody(Buffer.from('{'), 'application/json; charset=utf-8')).to.throw().with.property('code', 'INVALID_JSON');
  });
});
