import { expect } from 'chai';
import { BodyPool, MAX_POOLED_SIZE } from '../../../src/http/body-pool.js';

describe('BodyPool', () => {
  it('should lend the same buffers again once given back, keeping at most `keep` of them', () => {
    const pool = new BodyPool(1024, 2);
    const [a, b, c] = [pool.take(), pool.take(), pool.take()];
    expect(a.length).to.equal(1024);
    expect(new Set([a, b, c]).size).to.equal(3);
    pool.give(a);
    pool.give(b);
    pool.give(c);
    expect(pool.held).to.equal(2);
    const again = [pool.take(), pool.take()];
    expect(again).to.have.members([a, b]);
    expect(pool.take()).to.not.be.oneOf([a, b, c]);
  });

  it('should lend only to bodies that fit, and not at all when kept buffers would be too large', () => {
    expect(new BodyPool(1024, 4).lends(1024)).to.equal(true);
    expect(new BodyPool(1024, 4).lends(1025)).to.equal(false);
    expect(new BodyPool(1024, 0).lends(10)).to.equal(false);
    expect(new BodyPool(MAX_POOLED_SIZE + 1, 4).lends(10)).to.equal(false);
  });
});
