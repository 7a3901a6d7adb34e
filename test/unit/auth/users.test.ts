import { expect } from 'chai';
import { checkNewUser, checkUserUpdate, roleOf } from '../../../src/auth/users.js';

describe('users', () => {
  const ok = { username: 'alice_1', email: 'alice@example.com', password: 'Secret123' };

  it('should accept a valid user, admin when no role is given', () => {
    expect(checkNewUser(ok)).to.deep.equal({ ok: true, value: { ...ok, role: 'admin' } });
    expect(checkNewUser({ ...ok, role: 'viewer' })).to.deep.equal({ ok: true, value: { ...ok, role: 'viewer' } });
  });

  it("should answer Kytos-ng's messages, field by field", () => {
    const msg = (body: unknown) => {
      const r = checkNewUser(body);
      return r.ok ? '' : r.message;
    };
    expect(msg({})).to.equal('username: Field required; email: Field required; password: Field required');
    expect(msg({ ...ok, username: 'a b' })).to.equal("username: String should match pattern '^[a-zA-Z0-9_-]+$'");
    expect(msg({ ...ok, username: '' })).to.equal('username: String should have at least 1 character');
    expect(msg({ ...ok, username: 'x'.repeat(65) })).to.equal('username: String should have at most 64 characters');
    expect(msg({ ...ok, email: 'nope' })).to.match(/^email: value is not a valid email address: /);
    expect(msg({ ...ok, password: 'Short1' })).to.equal('password: String should have at least 8 characters');
    expect(msg({ ...ok, password: 'x'.repeat(65) })).to.equal('password: String should have at most 64 characters');
    for (const weak of ['alllower1', 'ALLUPPER1', 'NoDigitsHere']) expect(msg({ ...ok, password: weak })).to.match(/^password: Value error, value should contain minimun 8 characters/);
    expect(msg({ ...ok, password: 12345678 })).to.equal('password: Input should be a valid string');
    expect(msg({ ...ok, role: 'root' })).to.equal("role: Input should be 'admin', 'operator' or 'viewer'");
    expect(msg([ok])).to.equal('Invalid payload type: expected a JSON object');
  });

  it('should take any subset on update and ignore other fields', () => {
    expect(checkUserUpdate({ email: 'b@example.org', state: 'x' })).to.deep.equal({ ok: true, value: { email: 'b@example.org' } });
    expect(checkUserUpdate({ password: 'weak' }).ok).to.equal(false);
  });

  it('should read a document without role (imported from Kytos-ng) as admin', () => {
    expect(roleOf({})).to.equal('admin');
    expect(roleOf({ role: 'viewer' })).to.equal('viewer');
  });
});
