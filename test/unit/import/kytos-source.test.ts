/** BSON values as Kytos-ng's documents hold them, made plain for the NApps' mappings (through real BSON bytes). */
import { expect } from 'chai';
import { Binary, BSON, Decimal128, Long, ObjectId } from 'mongodb';
import { plain } from '../../../src/platform/kytos-source.js';
import { kytosInstant } from '../../../src/sdk/index.js';

const roundTrip = (doc: Record<string, unknown>) => plain(BSON.deserialize(BSON.serialize(doc), { useBigInt64: true, promoteBuffers: true })) as Record<string, unknown>;

describe('Kytos-ng documents made plain', () => {
  it('should read Decimal128 integers as exact bigints and keep other decimals as text', () => {
    const d = roundTrip({
      big: Decimal128.fromString('12321848580485677057'),
      max: Decimal128.fromString('18446744073709551615'),
      zero: Decimal128.fromString('0'),
      exp: Decimal128.fromString('1.23E+4'),
      frac: Decimal128.fromString('1.5'),
    });
    expect(d).to.deep.equal({ big: 12321848580485677057n, max: 18446744073709551615n, zero: 0n, exp: 12300n, frac: '1.5' });
  });

  it('should read Int64 as a number when exact and as a bigint beyond 2^53, keep doubles, dates, nested arrays', () => {
    const when = new Date('2025-03-01T10:00:00.123Z');
    const d = roundTrip({ small: Long.fromNumber(4294967293), big: Long.fromString('9007199254740993'), speed: 1250000000.5, int: 7, when, ranges: { vlan: [[1, 99], [101, 4094]] } });
    expect(d).to.deep.equal({ small: 4294967293, big: 9007199254740993n, speed: 1250000000.5, int: 7, when, ranges: { vlan: [[1, 99], [101, 4094]] } });
  });

  it('should read binary as a Buffer and an ObjectId as its hex text', () => {
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const d = roundTrip({ _id: new ObjectId('65e1f0a0b1c2d3e4f5a6b7c8'), hash: { salt: new Binary(salt) } });
    expect(d._id).to.equal('65e1f0a0b1c2d3e4f5a6b7c8');
    expect(Buffer.isBuffer((d.hash as { salt: unknown }).salt)).to.equal(true);
    expect((d.hash as { salt: Buffer }).salt.equals(salt)).to.equal(true);
  });

  it("should take Kytos-ng's date formats", () => {
    expect(kytosInstant(new Date('2025-01-02T03:04:05Z'))).to.equal(Date.parse('2025-01-02T03:04:05Z'));
    expect(kytosInstant('2025-01-02T03:04:05')).to.equal(Date.parse('2025-01-02T03:04:05Z'));
    expect(kytosInstant('2025-01-02T03:04:05+0200')).to.equal(Date.parse('2025-01-02T01:04:05Z'));
    expect(kytosInstant('2025-01-02T03:04:05.250000+00:00')).to.equal(Date.parse('2025-01-02T03:04:05.250Z'));
    expect(kytosInstant('yesterday')).to.equal(undefined);
    expect(kytosInstant(1735786800)).to.equal(undefined);
  });
});
