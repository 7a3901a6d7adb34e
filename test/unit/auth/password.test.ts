import { scryptSync } from 'node:crypto';
import { expect } from 'chai';
import { dummyVerify, hashPassword, readParams, verifyPassword } from '../../../src/auth/password.js';

describe('password', () => {
  it('should hash as Kytos-ng does: scrypt N=8192 r=8 p=1, 16-byte salt, 64-byte key in hex', async () => {
    const salt = Buffer.alloc(16, 7);
    const stored = await hashPassword('Secret123', salt);
    expect(stored.hash).to.deep.equal({ salt: salt.toString('hex'), n: 8192, r: 8, p: 1 });
    expect(stored.password).to.equal(scryptSync('Secret123', salt, 64, { N: 8192, r: 8, p: 1 }).toString('hex'));
    expect((await hashPassword('Secret123')).hash.salt).to.have.length(32);
  });

  it('should verify a document imported from Kytos-ng, salt as bytes and its own parameters', async () => {
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const kytosDoc = { password: scryptSync('Imported9', salt, 64, { N: 1024, r: 8, p: 1 }).toString('hex'), hash: { salt: { buffer: new Uint8Array(salt) }, n: 1024, r: 8, p: 1 } };
    const params = readParams(kytosDoc.hash)!;
    expect(await verifyPassword('Imported9', kytosDoc.password, params)).to.equal(true);
    expect(await verifyPassword('imported9', kytosDoc.password, params)).to.equal(false);
    expect(await verifyPassword('Imported9', kytosDoc.password, readParams({ ...kytosDoc.hash, salt })!)).to.equal(true);
  });

  it('should refuse unusable or hostile parameters', () => {
    const salt = 'aa'.repeat(16);
    expect(readParams({ salt, n: 8192, r: 8, p: 1 })).to.not.equal(undefined);
    for (const bad of [null, {}, { salt: '', n: 8192, r: 8, p: 1 }, { salt, n: 1000, r: 8, p: 1 }, { salt, n: 1 << 24, r: 8, p: 1 }, { salt, n: 8192, r: 0, p: 1 }, { salt, n: 8192, r: 8, p: 99 }]) {
      expect(readParams(bad), JSON.stringify(bad)).to.equal(undefined);
    }
  });

  it('should run the dummy scrypt and answer false for an unknown user', async () => {
    expect(await dummyVerify('anything')).to.equal(false);
  });

  it('should answer false for a stored value that is not hex', async () => {
    expect(await verifyPassword('Secret123', 'zz', readParams({ salt: 'aa'.repeat(16), n: 8192, r: 8, p: 1 })!)).to.equal(false);
  });
});
