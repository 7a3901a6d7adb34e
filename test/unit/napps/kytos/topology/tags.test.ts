import { expect } from 'chai';
import { difference, intersection, normalize, parseSpecialTags, parseTagRanges } from '../../../../../napps/kytos/topology/tags.js';

describe('kytos/topology tag ranges', () => {
  it('should read Kytos tag ranges: tags, one-tag and two-tag lists', () => {
    expect(parseTagRanges([[1, 500], 2096, [3001]])).to.deep.equal([
      [1, 500],
      [2096, 2096],
      [3001, 3001],
    ]);
  });

  it('should refuse reversed, out of range, overlapping and malformed ranges with a 400', () => {
    for (const bad of [[[5, 1]], [[0, 3]], [[4000, 4095]], [[1, 10], [5, 20]], [[1, 2, 3]], ['x'], []]) {
      expect(() => parseTagRanges(bad), JSON.stringify(bad)).to.throw().with.property('code', 'BAD_REQUEST');
    }
    expect(() => parseSpecialTags(['untagged', 'bogus'])).to.throw().with.property('code', 'BAD_REQUEST');
  });

  it('should do range arithmetic', () => {
    expect(difference([[1, 10]], [[3, 4], [8, 20]])).to.deep.equal([
      [1, 2],
      [5, 7],
    ]);
    expect(intersection([[1, 10], [20, 30]], [[5, 25]])).to.deep.equal([
      [5, 10],
      [20, 25],
    ]);
    expect(normalize([[5, 6], [1, 4], [10, 12]])).to.deep.equal([
      [1, 6],
      [10, 12],
    ]);
  });
});
