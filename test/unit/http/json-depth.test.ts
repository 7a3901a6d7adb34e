import { expect } from 'chai';
import { jsonDepthWithin } from '../../../src/http/json-depth.js';

const b = (s: string) => Buffer.from(s);

describe('jsonDepthWithin', () => {
  it('should count objects and arrays, not brackets inside strings', () => {
    expect(jsonDepthWithin(b('{"a":[1,{"b":2}]}'), 3)).to.equal(true);
    expect(jsonDepthWithin(b('{"a":[1,{"b":2}]}'), 2)).to.equal(false);
    expect(jsonDepthWithin(b('{"a":"[[[[[[\\"[[[["}'), 1)).to.equal(true);
    expect(jsonDepthWithin(b('[]'.repeat(1000)), 1)).to.equal(true);
  });

  it('should refuse a deep-nesting bomb', () => {
    expect(jsonDepthWithin(b('['.repeat(500_000) + ']'.repeat(500_000)), 64)).to.equal(false);
  });
});
