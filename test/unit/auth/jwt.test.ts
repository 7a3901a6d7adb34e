import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { claimsFor, makeKey, signToken, verifyToken, TOKEN_ISSUER, type KeyRing } from '../../../src/auth/jwt.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const key = makeKey('current-secret-0123456789abcdef');
const old = makeKey('previous-secret-0123456789abcdef', NOW + 60_000);
const ring: KeyRing = { current: key, previous: [old] };
const user = { username: 'alice', uid: 'u-1' };

describe('jwt', () => {
  it('should sign Kytos-ng claims plus uid, iat and the key id', () => {
    const token = signToken(claimsFor(user, NOW, 600), key);
    const [h, p] = token.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).to.deep.equal({ alg: 'HS256', typ: 'JWT', kid: key.kid });
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).to.deep.equal({
      username: 'alice', uid: 'u-1', iss: TOKEN_ISSUER, iat: NOW / 1000, exp: NOW / 1000 + 600,
    });
    const r = verifyToken(token, ring, NOW + 1000);
    expect(r.ok).to.equal(true);
  });

  it('should refuse an expired token', () => {
    const token = signToken(claimsFor(user, NOW, 60), key);
    expect(verifyToken(token, ring, NOW + 60_000)).to.deep.equal({ ok: false, reason: 'Signature has expired' });
  });

  it('should refuse alg none and every other algorithm', () => {
    const payload = b64(claimsFor(user, NOW, 600));
    for (const alg of ['none', 'None', 'HS512', 'RS256', 'hs256', undefined]) {
      const token = `${b64({ alg, kid: key.kid })}.${payload}.`;
      expect(verifyToken(token, ring, NOW).ok, String(alg)).to.equal(false);
    }
    const signedOther = signToken(claimsFor(user, NOW, 600), key).split('.');
    expect(verifyToken(`${b64({ alg: 'none', kid: key.kid })}.${signedOther[1]}.${signedOther[2]}`, ring, NOW)).to.deep.equal({
      ok: false,
      reason: 'The specified alg value is not allowed',
    });
  });

  it('should refuse another key, a forged signature and a token without kid', () => {
    const other = makeKey('someone-else');
    expect(verifyToken(signToken(claimsFor(user, NOW, 600), other), ring, NOW).ok).to.equal(false);
    const forged = { ...other, kid: key.kid };
    expect(verifyToken(signToken(claimsFor(user, NOW, 600), forged), ring, NOW)).to.deep.equal({ ok: false, reason: 'Signature verification failed' });
    const parts = signToken(claimsFor(user, NOW, 600), key).split('.');
    expect(verifyToken(`${b64({ alg: 'HS256' })}.${parts[1]}.${parts[2]}`, ring, NOW).ok).to.equal(false);
    expect(verifyToken('a.b', ring, NOW).ok).to.equal(false);
    expect(verifyToken('', ring, NOW).ok).to.equal(false);
  });

  it('should accept a previous key only until its grace ends', () => {
    const token = signToken(claimsFor(user, NOW, 3600), old);
    expect(verifyToken(token, ring, NOW + 59_000).ok).to.equal(true);
    expect(verifyToken(token, ring, NOW + 61_000)).to.deep.equal({ ok: false, reason: 'Signing key retired' });
  });

  it('should refuse a token issued in the future or without uid, exp or the issuer', () => {
    expect(verifyToken(signToken(claimsFor(user, NOW + 3_600_000, 600), key), ring, NOW).ok).to.equal(false);
    const base = claimsFor(user, NOW, 600);
    for (const bad of [{ ...base, uid: undefined }, { ...base, exp: undefined }, { ...base, iss: 'x' }, { ...base, iat: 'now' }]) {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(bad)}`;
      const token = `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
      expect(verifyToken(token, ring, NOW).ok, JSON.stringify(bad)).to.equal(false);
    }
  });

  it('should carry the user\'s token generation (gen) when raised, and refuse a malformed one', () => {
    expect(JSON.parse(Buffer.from(signToken(claimsFor(user, NOW, 600), key).split('.')[1]!, 'base64url').toString())).to.not.have.property('gen');
    const r = verifyToken(signToken(claimsFor({ ...user, generation: 3 }, NOW, 600), key), ring, NOW);
    expect(r.ok && r.claims.gen).to.equal(3);
    for (const gen of [-1, 1.5, '2']) {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64({ ...claimsFor(user, NOW, 600), gen })}`;
      const token = `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
      expect(verifyToken(token, ring, NOW), String(gen)).to.deep.equal({ ok: false, reason: 'Invalid token generation' });
    }
  });
});
