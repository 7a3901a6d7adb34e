import { expect } from 'chai';
import { decodeMessage, encodeMessage, OfCodecError } from '../../../src/openflow/index.js';
import { errorVectors, validVectors } from '../../vectors/openflow/index.js';

describe('openflow codec vectors', () => {
  describe('valid vectors', () => {
    for (const v of validVectors) {
      describe(v.name, () => {
        it('should decode to the message', () => {
          expect(decodeMessage(v.bytes)).to.deep.equal(v.message);
        });
        it('should encode to the bytes', () => {
          expect(encodeMessage(v.message).toString('hex')).to.equal(v.bytes.toString('hex'));
        });
        it('should round-trip bytes -> message -> bytes and message -> bytes -> message', () => {
          expect(encodeMessage(decodeMessage(v.bytes)).toString('hex')).to.equal(v.bytes.toString('hex'));
          expect(decodeMessage(encodeMessage(v.message))).to.deep.equal(v.message);
        });
      });
    }
  });

  describe('error vectors', () => {
    for (const v of errorVectors) {
      it(`should reject ${v.name} with ${v.code}`, () => {
        let caught: unknown;
        try {
          decodeMessage(v.bytes);
        } catch (e) {
          caught = e;
        }
        expect(caught, 'decodeMessage did not throw').to.be.instanceOf(OfCodecError);
        const err = caught as OfCodecError;
        expect(err.code).to.equal(v.code);
        expect(err.name).to.equal('OfCodecError');
        if (v.of) expect([err.ofType, err.ofCode]).to.deep.equal([...v.of]);
      });
    }
  });

  it('should have unique vector names', () => {
    const names = [...validVectors, ...errorVectors].map((v) => v.name);
    expect(new Set(names).size).to.equal(names.length);
  });
});
