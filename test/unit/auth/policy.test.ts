import { expect } from 'chai';
import { decide, type Credential, type Situation } from '../../../src/auth/policy.js';
import { bootstrapPeer, isLoopbackAddress, isLoopbackHost } from '../../../src/auth/peer.js';

const none: Credential = { kind: 'none' };
const bad: Credential = { kind: 'invalid', reason: 'Signature has expired' };
const as = (role: 'admin' | 'operator' | 'viewer'): Credential => ({ kind: 'user', principal: { username: 'u', uid: '1', role } });
const normal: Situation = { protectReads: false, bootstrap: false, noUsers: false };

describe('access policy', () => {
  it('should open reads and protect writes by default', () => {
    expect(decide({ access: 'read' }, none, normal)).to.deep.equal({ allow: true });
    expect(decide({ access: 'write' }, none, normal)).to.include({ allow: false, status: 401 });
    expect(decide({ access: 'write' }, bad, normal)).to.deep.equal({ allow: false, status: 401, reason: 'Signature has expired' });
    expect(decide({ access: 'write' }, as('operator'), normal)).to.include({ allow: true });
  });

  it('should protect reads with protectReads or a listed url, and always for tokenAlways', () => {
    expect(decide({ access: 'read' }, none, { ...normal, protectReads: true })).to.include({ allow: false, status: 401 });
    expect(decide({ access: 'read', listed: true }, none, normal)).to.include({ allow: false, status: 401 });
    expect(decide({ access: 'read', tokenAlways: true }, none, normal)).to.include({ allow: false, status: 401 });
    expect(decide({ access: 'read', listed: true }, as('viewer'), normal)).to.include({ allow: true });
  });

  it('should keep viewers to reads and admin routes to admins', () => {
    expect(decide({ access: 'write' }, as('viewer'), normal)).to.include({ allow: false, status: 403 });
    expect(decide({ access: 'read', tokenAlways: true, adminOnly: true }, as('operator'), normal)).to.include({ allow: false, status: 403 });
    expect(decide({ access: 'write', adminOnly: true }, as('admin'), normal)).to.include({ allow: true });
  });

  it('should let the bootstrap write without a token, never for tokenAlways routes nor with a bad token', () => {
    const boot: Situation = { protectReads: false, bootstrap: true, noUsers: true };
    expect(decide({ access: 'write' }, none, boot)).to.deep.equal({ allow: true, bootstrap: true });
    expect(decide({ access: 'write', tokenAlways: true }, none, boot)).to.include({ allow: false, status: 401 });
    expect(decide({ access: 'write' }, bad, boot)).to.include({ allow: false, status: 401 });
  });

  it('should tell a peer outside the bootstrap how to create the first user', () => {
    const v = decide({ access: 'write' }, none, { protectReads: false, bootstrap: false, noUsers: true });
    expect(v).to.include({ allow: false, status: 401 });
    expect((v as { reason: string }).reason).to.match(/LATTICE_ADMIN_PASSWORD_FILE/);
  });
});

describe('bootstrap peer', () => {
  it('should know loopback addresses from the socket', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).to.equal(true);
    for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined, 'localhost']) expect(isLoopbackAddress(a), String(a)).to.equal(false);
  });

  it('should accept only loopback literals as Host', () => {
    for (const h of ['127.0.0.1', '127.0.0.1:8181', '[::1]:8181', '[::1]']) expect(isLoopbackHost(h), h).to.equal(true);
    for (const h of ['evil.example', 'localhost:8181', '127.0.0.1.evil.example', '10.0.0.1:8181', '', undefined]) expect(isLoopbackHost(h), String(h)).to.equal(false);
  });

  it('should need a loopback peer, a loopback Host and no foreign Origin; X-Forwarded-For plays no part', () => {
    const local = { remote: '127.0.0.1', host: '127.0.0.1:8181', origin: undefined };
    expect(bootstrapPeer(local, [])).to.equal(true);
    expect(bootstrapPeer({ ...local, host: 'evil.example' }, [])).to.equal(false);
    expect(bootstrapPeer({ ...local, origin: 'http://evil.example' }, [])).to.equal(false);
    expect(bootstrapPeer({ ...local, origin: 'http://127.0.0.1:3000' }, ['http://127.0.0.1:3000'])).to.equal(true);
    expect(bootstrapPeer({ ...local, origin: 'http://evil.example' }, ['*'])).to.equal(false);
    expect(bootstrapPeer({ ...local, remote: '192.0.2.7' }, [])).to.equal(false);
  });
});
