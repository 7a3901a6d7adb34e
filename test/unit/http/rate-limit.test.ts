import { expect } from 'chai';
import { RateLimiter } from '../../../src/http/rate-limit.js';

describe('RateLimiter', () => {
  it('should allow a burst, then the rate, per address', () => {
    const r = new RateLimiter({ ratePerSecond: 10, burst: 3, maxAddresses: 100 });
    expect([1, 2, 3, 4].map(() => r.take('a', 0))).to.deep.equal([true, true, true, false]);
    expect(r.take('b', 0)).to.equal(true);
    expect(r.take('a', 50)).to.equal(false);
    expect(r.take('a', 100)).to.equal(true);
    expect(r.take('a', 100)).to.equal(false);
    expect([1, 2, 3, 4].map(() => r.take('a', 10_000))).to.deep.equal([true, true, true, false]);
  });

  it('should keep at most maxAddresses buckets', () => {
    const r = new RateLimiter({ ratePerSecond: 1, burst: 1, maxAddresses: 3 });
    for (let i = 0; i < 10; i++) r.take(`10.0.0.${i}`, 0);
    expect(r.size).to.equal(3);
  });
});
