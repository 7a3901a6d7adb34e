import { expect } from 'chai';
import type { JournalOp } from '../../../src/store/mongodb/batch-journal.js';
import { encodeValue } from '../../../src/store/mongodb/codec.js';
import { planUnique } from '../../../src/store/mongodb/unique-batch.js';

const put = (key: string, v: unknown): JournalOp => ({ t: 'put', key, doc: { _id: key, u: v } });

describe('unique-index plan of a MongoDB batch', () => {
  it('should refuse two keys ending with one value, bigints compared by value', () => {
    expect(planUnique('u', [put('a', encodeValue('c', 2n ** 63n)), put('b', [1, encodeValue('c', 2n ** 63n)])])).to.equal(undefined);
    expect(planUnique('u', [put('a', 1), put('a', 1)])).to.deep.equal({ values: [1], released: ['a'] });
  });

  it('should let a value move from one key to another within the batch', () => {
    const plan = planUnique('u', [
      put('a', 1),
      { t: 'patch', key: 'a', set: { u: 2 } },
      put('b', 1),
      { t: 'delete', key: 'c' },
      { t: 'patch', key: 'd', set: { other: 1 } },
    ]);
    expect(plan).to.deep.equal({ values: [2, 1], released: ['a', 'b', 'c'] });
  });
});
