import { expect } from 'chai';
import { BoundedMailbox } from '../../../src/actor/mailbox.js';

describe('BoundedMailbox', () => {
  it('should keep FIFO order across wrap-around and growth', () => {
    const m = new BoundedMailbox<number>(200, 2);
    let next = 0;
    let expected = 0;
    // Interleave offers and polls so the ring wraps while it grows.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3; i++) expect(m.offer(next++)).to.equal(true);
      expect(m.poll()).to.equal(expected++);
    }
    while (!m.isEmpty) expect(m.poll()).to.equal(expected++);
    expect(expected).to.equal(next);
  });

  it('should refuse past capacity and never allocate more than it', () => {
    const m = new BoundedMailbox<number>(10, 4);
    for (let i = 0; i < 10; i++) expect(m.offer(i)).to.equal(true);
    expect(m.offer(10)).to.equal(false);
    expect(m.depth).to.equal(10);
    expect(m.allocated).to.equal(10);
    expect(m.drain()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('should start small', () => {
    expect(new BoundedMailbox<number>(4096).allocated).to.equal(16);
  });

  it('should reject a capacity that is not a positive integer', () => {
    expect(() => new BoundedMailbox(0)).to.throw(RangeError);
    expect(() => new BoundedMailbox(1.5)).to.throw(RangeError);
  });
});
