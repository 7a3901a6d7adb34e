import { expect } from 'chai';
import { DeadLetters, type DeadLetter } from '../../../src/actor/dead-letters.js';
import { ManualClock } from '../../../src/actor/clock.js';

const letter = (name: string, id: string): DeadLetter => ({ id, name, content: {}, timestamp: '2026-01-01T00:00:00', reinjections: 0, reason: 'mailbox_full' });

describe('dead letters: bounded by name, in total and by age', () => {
  it('should evict the oldest of a name past maxPerName', () => {
    const d = new DeadLetters({ maxPerName: 3 });
    for (let i = 0; i < 5; i++) d.add(letter('a', `a${i}`));
    expect(Object.keys(d.list().a!)).to.deep.equal(['a2', 'a3', 'a4']);
    expect(d.size).to.equal(3);
    expect(d.evictedCount).to.equal(2);
  });

  it('should evict the oldest over every name past maxTotal, so many names cannot grow it', () => {
    const d = new DeadLetters({ maxPerName: 100, maxTotal: 4 });
    for (let i = 0; i < 10; i++) d.add(letter(`name-${i}`, `x${i}`));
    expect(d.size).to.equal(4);
    expect(Object.keys(d.counts())).to.deep.equal(['name-6', 'name-7', 'name-8', 'name-9']);
  });

  it('should drop letters older than maxAgeMs on the injected clock', () => {
    const clock = new ManualClock(1_000_000);
    const d = new DeadLetters({ maxPerName: 100, maxAgeMs: 60_000 }, () => clock.now());
    d.add(letter('a', 'old'));
    clock.advance(30_000);
    d.add(letter('a', 'newer'));
    clock.advance(30_000);
    // "old" is exactly 60 s old now: gone; "newer" is 30 s old: kept.
    expect(Object.keys(d.list().a!)).to.deep.equal(['newer']);
    clock.advance(30_000);
    expect(d.size).to.equal(0);
    expect(d.list()).to.deep.equal({});
    expect(d.evictedCount).to.equal(2);
  });

  it('should re-date a letter added again and apply new limits at once (SIGHUP)', () => {
    const clock = new ManualClock(0);
    const d = new DeadLetters({ maxPerName: 100 }, () => clock.now());
    d.add(letter('a', '1'));
    d.add(letter('b', '2'));
    clock.advance(10_000);
    d.add(letter('a', '1'));
    d.configure({ maxPerName: 100, maxAgeMs: 5_000 });
    expect(d.counts()).to.deep.equal({ a: 1 });
    d.configure({ maxPerName: 100, maxTotal: 0 });
    for (let i = 0; i < 5; i++) d.add(letter('c', `c${i}`));
    d.configure({ maxPerName: 2 });
    expect(d.counts()).to.deep.equal({ a: 1, c: 2 });
  });

  it('should take and delete keeping the totals right', () => {
    const d = new DeadLetters({ maxPerName: 10, maxTotal: 3 });
    d.add(letter('a', '1'));
    d.add(letter('a', '2'));
    expect(d.take('a', ['1'])).to.have.length(1);
    d.add(letter('b', '3'));
    d.add(letter('b', '4'));
    expect(d.size).to.equal(3);
    expect(d.evictedCount).to.equal(0);
    d.delete('all', []);
    expect(d.size).to.equal(0);
    d.add(letter('a', '5'));
    expect(d.size).to.equal(1);
  });
});
