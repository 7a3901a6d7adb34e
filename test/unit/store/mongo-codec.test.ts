import { expect } from 'chai';
import { Binary, BSON } from 'mongodb';
import { StoreValidationError } from '../../../src/store/errors.js';
import { ARRAY_TAG, OBJECT_TAG, U64_SUBTYPE, decodeDoc, encodeDoc, encodeValue } from '../../../src/store/mongodb/codec.js';

const U64S = [0n, 1n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 0xab00000000000001n, 2n ** 64n - 1n];

/** What the server gives back: the encoded document through a BSON round trip. */
const viaBson = <D extends object>(doc: D): D => BSON.deserialize(BSON.serialize(encodeDoc('c', doc))) as D;

describe('MongoDB document codec', () => {
  it('should store a bigint as 8 big-endian bytes of binary subtype 0x80', () => {
    const b = encodeValue('c', 0xab00000000000001n) as Binary;
    expect(b).to.be.instanceOf(Binary);
    expect(b.sub_type).to.equal(U64_SUBTYPE);
    expect(Buffer.from(b.buffer).toString('hex')).to.equal('ab00000000000001');
  });

  it('should give bigints a byte order that is their numeric order', () => {
    const bytes = U64S.map((v) => Buffer.from((encodeValue('c', v) as Binary).buffer));
    for (let i = 1; i < bytes.length; i++) expect(Buffer.compare(bytes[i - 1]!, bytes[i]!)).to.equal(-1);
  });

  it('should wrap arrays inside arrays and escape objects shaped like a tag', () => {
    const enc = encodeDoc('c', { vlan: [[1, 4094]], o: { [ARRAY_TAG]: [1] } });
    expect(enc).to.deep.equal({ vlan: [{ [ARRAY_TAG]: [1, 4094] }], o: { [OBJECT_TAG]: { [ARRAY_TAG]: [1] } } });
  });

  it('should read back through BSON exactly what was written', () => {
    const doc = {
      id: 'k',
      cookies: [...U64S],
      x: [[1, [2, 3]], [], [[]]],
      deep: { a: [{ b: [[2n ** 63n]] }], when: new Date(5) },
      tags: { [ARRAY_TAG]: [[1]], [OBJECT_TAG]: { y: 1 } },
      n: 2 ** 53 - 1,
      nil: null,
    };
    const back = decodeDoc(viaBson(doc));
    expect(back).to.deep.equal(doc);
    expect(typeof back.n).to.equal('number');
  });

  it('should not copy what needs no encoding', () => {
    const inner = { a: [1, 'x', new Date(0)] };
    const doc = { id: 'k', inner };
    const enc = encodeDoc('c', doc);
    expect(enc).to.equal(doc);
    expect(enc.inner).to.equal(inner);
  });

  it('should refuse bigints outside 0 .. 2^64-1', () => {
    for (const bad of [-1n, 2n ** 64n]) expect(() => encodeDoc('c', { deep: [{ v: bad }] })).to.throw(StoreValidationError);
  });
});
