import { expect } from 'chai';
import { StoreValidationError } from '../../../src/store/errors.js';
import { checkBigInts, fromBytes8, fromHex16, isU64, toBytes8, toHex16 } from '../../../src/store/uint64.js';

const U64S = [0n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 0xab00000000000001n, 2n ** 64n - 1n];

describe('unsigned 64-bit forms', () => {
  it('should round-trip through 16 hex digits and 8 bytes, both sorting numerically', () => {
    for (const v of U64S) {
      expect(fromHex16(toHex16(v))).to.equal(v);
      expect(toHex16(v)).to.have.length(16);
      expect(fromBytes8(toBytes8(v))).to.equal(v);
    }
    const hex = U64S.map(toHex16);
    expect([...hex].sort()).to.deep.equal(hex);
  });

  it('should accept 0 .. 2^64-1 only, at any depth', () => {
    expect(isU64(0n) && isU64(2n ** 64n - 1n)).to.equal(true);
    expect(isU64(-1n) || isU64(2n ** 64n)).to.equal(false);
    expect(() => checkBigInts('c', { a: [{ b: 2n ** 64n - 1n }] })).not.to.throw();
    expect(() => checkBigInts('c', { a: [{ b: -1n }] })).to.throw(StoreValidationError);
  });
});
