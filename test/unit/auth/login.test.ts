import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { ManualClock, systemClock } from '../../../src/actor/clock.js';
import { defaults } from '../../../src/config/index.js';
import { AuthService, type PasswordChecks } from '../../../src/auth/service.js';
import { dummyVerify, verifyPassword } from '../../../src/auth/password.js';
import { openStore, type StoreOptions } from '../../../src/store/index.js';
import type { HttpRequest } from '../../../src/http/types.js';
import type { Store } from '../../../src/store/ports.js';

const log = pino({ level: 'silent' });
const basic = (u: string, p: string): HttpRequest => ({
  method: 'GET',
  path: '/api/kytos/core/auth/login/',
  params: {},
  queryString: '',
  headers: { authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` },
  body: undefined,
  remote: '192.0.2.1',
});

describe('login (as data: which password check runs)', () => {
  let dir: string;
  let store: Store;
  let auth: AuthService;
  const calls: string[] = [];
  const counting: PasswordChecks = {
    verify: (p, s, params) => (calls.push('verify'), verifyPassword(p, s, params)),
    dummy: (p) => (calls.push('dummy'), dummyVerify(p)),
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lattice-login-'));
    store = await openStore({ backend: 'embedded', dataDir: dir, embedded: { durability: 'commit' }, mongodb: { uri: '', dbName: '' } as StoreOptions['mongodb'], log });
    auth = await AuthService.start({ config: { ...defaults().auth, loginBaseDelayMs: 0 }, corsAllowOrigins: [], store, clock: systemClock(), log, passwords: counting });
    await auth.directory.create({ username: 'ann', email: 'ann@example.com', password: 'Annie1234', role: 'admin' });
    await auth.directory.create({ username: 'old', email: 'old@example.com', password: 'Oldie1234', role: 'admin' });
    await auth.directory.deactivate('old');
  });
  after(async () => {
    auth.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => (calls.length = 0));

  const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  it('should run the real scrypt for a known active user', async () => {
    expect(await outcome(auth.login(basic('ann', 'Annie1234')))).to.equal('ok');
    expect(await outcome(auth.login(basic('ann', 'Wrong1234')))).to.equal('UNAUTHORIZED');
    expect(calls).to.deep.equal(['verify', 'verify']);
  });

  it('should run the dummy scrypt, and answer the same 401, for an unknown or inactive user', async () => {
    expect(await outcome(auth.login(basic('nobody', 'Annie1234')))).to.equal('UNAUTHORIZED');
    expect(await outcome(auth.login(basic('old', 'Oldie1234')))).to.equal('UNAUTHORIZED');
    expect(calls).to.deep.equal(['dummy', 'dummy']);
  });
});

describe('tokens and a password change in the same instant (as data)', () => {
  let dir: string;
  let store: Store;
  let auth: AuthService;
  // The clock never moves: the token before, the change and the token after share one millisecond.
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 12, 0, 0, 500));
  const bearer = (token: string): HttpRequest => ({ ...basic('x', 'y'), path: '/api/kytos/core/auth/users/', headers: { authorization: `Bearer ${token}` } });
  const tokenOf = async (u: string, p: string) => ((await auth.login(basic(u, p))).body as { token: string }).token;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lattice-gen-'));
    store = await openStore({ backend: 'embedded', dataDir: dir, embedded: { durability: 'commit' }, mongodb: { uri: '', dbName: '' } as StoreOptions['mongodb'], log });
    auth = await AuthService.start({ config: { ...defaults().auth, loginBaseDelayMs: 0 }, corsAllowOrigins: [], store, clock, log });
    await auth.directory.create({ username: 'sam', email: 'sam@example.com', password: 'Sammy1234', role: 'admin' });
  });
  after(async () => {
    auth.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse the token issued before the change and accept the one issued after, at the same time', async () => {
    const before = await tokenOf('sam', 'Sammy1234');
    expect(auth.credentialOf(bearer(before)).kind).to.equal('user');
    const changed = await auth.directory.update('sam', { password: 'Sammy5678' });
    expect(changed.ok).to.equal(true);
    expect((await auth.directory.find('sam'))!.token_generation).to.equal(1);
    expect(auth.credentialOf(bearer(before))).to.deep.equal({ kind: 'invalid', reason: 'The password changed after this token was issued' });
    const after = await tokenOf('sam', 'Sammy5678');
    expect(auth.credentialOf(bearer(after))).to.deep.include({ kind: 'user' });
    // Another change in the same instant ends that one too; re-reading the store keeps the verdicts.
    await auth.directory.update('sam', { password: 'Sammy9012' });
    await auth.directory.refresh();
    expect(auth.credentialOf(bearer(after)).kind).to.equal('invalid');
    expect(auth.credentialOf(bearer(await tokenOf('sam', 'Sammy9012'))).kind).to.equal('user');
    expect(clock.now()).to.equal(Date.UTC(2026, 11, 1, 12, 0, 0, 500));
  });
});
