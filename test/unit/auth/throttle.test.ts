import { expect } from 'chai';
import { LoginThrottle } from '../../../src/auth/throttle.js';

describe('LoginThrottle', () => {
  const make = () => new LoginThrottle({ baseDelayMs: 100, maxDelayMs: 1000, forgetAfterMs: 60_000, maxKeys: 4 });

  it('should grow the delay per user and per address, capped, never refusing', () => {
    const t = make();
    expect(t.delay('bob', '10.0.0.1', 0)).to.equal(0);
    const seen = [];
    for (let i = 0; i < 6; i++) {
      t.failed('bob', '10.0.0.1', i);
      seen.push(t.delay('bob', '10.0.0.1', i));
    }
    expect(seen).to.deep.equal([100, 200, 400, 800, 1000, 1000]);
    // Another address, same user: slowed by the user's record.
    expect(t.delay('bob', '10.0.0.2', 10)).to.equal(1000);
    // Another user, same address: slowed by the address's record.
    expect(t.delay('carol', '10.0.0.1', 10)).to.equal(1000);
    expect(t.delay('carol', '10.0.0.9', 10)).to.equal(0);
  });

  it('should forget after a quiet period and clear on success', () => {
    const t = make();
    t.failed('bob', 'a', 0);
    t.failed('bob', 'a', 1);
    expect(t.delay('bob', 'a', 60_002)).to.equal(0);
    t.failed('bob', 'a', 70_000);
    t.succeeded('bob', 'a');
    expect(t.delay('bob', 'a', 70_001)).to.equal(0);
  });

  it('should keep at most maxKeys records', () => {
    const t = make();
    for (let i = 0; i < 10; i++) t.failed(`u${i}`, `a${i}`, i);
    expect(t.size).to.equal(4);
  });
});
