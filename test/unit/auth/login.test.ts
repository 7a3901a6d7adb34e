import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { systemClock } from '../../../src/actor/clock.js';
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
