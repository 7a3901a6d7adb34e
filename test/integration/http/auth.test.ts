import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import WebSocket from 'ws';
import { ManualClock } from '../../../src/actor/clock.js';
import { claimsFor, signToken } from '../../../src/auth/jwt.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';

const USERS = '/api/kytos/core/auth/users/';
const LOGIN = '/api/kytos/core/auth/login/';
const admin = { username: 'admin', email: 'admin@example.com', password: 'Admin1234' };
const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A raw request, so that Host and Origin are exactly what the test says. */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function login(t: TestController, u = admin.username, p = admin.password): Promise<string> {
  const res = await t.http.get(LOGIN, { headers: basic(u, p) });
  expect(res.status, res.text).to.equal(200);
  return res.body.token as string;
}

describe('auth', () => {
  describe('first run (no user yet)', () => {
    let t: TestController;
    beforeEach(async () => {
      t = await createTestController();
    });
    afterEach(() => t.stop());

    it('should say in core/status that the bootstrap applies, and stop it once a user exists', async () => {
      expect((await t.http.get('/api/kytos/core/status/')).body.auth).to.include({ bootstrap: true, users: 0 });
      const created = await t.http.post(USERS, admin);
      expect(created.status).to.equal(201);
      expect(created.body).to.equal('User successfully created');
      expect((await t.http.get('/api/kytos/core/status/')).body.auth).to.include({ bootstrap: false, users: 1 });
      const refused = await t.http.post(USERS, { ...admin, username: 'second' });
      expect(refused.status).to.equal(401);
      expect(refused.body.error).to.match(/^Token not sent or expired: /);
      expect((await t.http.post(USERS, { ...admin, username: 'second' }, { headers: bearer(await login(t)) })).status).to.equal(201);
    });

    it('should refuse the bootstrap to a foreign Host or Origin, and keep user reads behind a token', async () => {
      const body = JSON.stringify(admin);
      for (const headers of [{ host: 'evil.example' }, { host: 'localhost:1' }, { host: `127.0.0.1:${t.port}`, origin: 'http://evil.example' }] as Record<string, string>[]) {
        const res = await raw(t.port, 'POST', USERS, headers, body);
        expect(res.status, JSON.stringify(headers)).to.equal(401);
        expect(res.body.error).to.match(/LATTICE_ADMIN_PASSWORD_FILE/);
      }
      expect((await raw(t.port, 'GET', USERS, { host: `127.0.0.1:${t.port}` })).status).to.equal(401);
      expect((await raw(t.port, 'POST', USERS, { host: `127.0.0.1:${t.port}` }, body)).status).to.equal(201);
    });

    it('should refuse a non-loopback peer (the socket address, never X-Forwarded-For)', () => {
      const route = t.controller.http.router.match('POST', USERS);
      expect(route.kind).to.equal('found');
      const request = {
        method: 'POST',
        path: USERS,
        params: {},
        queryString: '',
        headers: { host: `127.0.0.1:${t.port}` } as Record<string, string>,
        body: undefined,
        remote: '192.0.2.7',
        route: (route as { value: { info: any } }).value.info,
      };
      const refused = t.controller.auth.guard(request) as { status: number; body: { error: string } };
      expect(refused.status).to.equal(401);
      expect(refused.body.error).to.match(/create the first one/);
      const spoofed = t.controller.auth.guard({ ...request, headers: { ...request.headers, 'x-forwarded-for': '127.0.0.1' } });
      expect(spoofed).to.have.property('status', 401);
      expect(t.controller.auth.guard({ ...request, remote: '127.0.0.1' })).to.equal(undefined);
    });
  });

  describe('with users', () => {
    let t: TestController;
    let token: string;
    before(async () => {
      t = await createTestController();
      expect((await t.http.post(USERS, admin)).status).to.equal(201);
      token = await login(t);
    });
    after(() => t.stop());

    it('should log in with HTTP Basic on GET and POST and give Kytos-ng claims plus uid, iat and kid', async () => {
      const [h, p] = token.split('.');
      expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).to.include({ alg: 'HS256', kid: t.controller.auth.keys.current.kid });
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      expect(claims).to.have.keys('username', 'uid', 'iss', 'iat', 'exp');
      expect(claims).to.include({ username: 'admin', iss: 'Kytos NApps Server' });
      expect(claims.exp - claims.iat).to.equal(180 * 60);
      const posted = await t.http.post(LOGIN, undefined, { headers: basic(admin.username, admin.password) });
      expect(posted.status).to.equal(200);
      expect(posted.body.token).to.be.a('string');
    });

    it('should answer one uniform 401 for a wrong password and an unknown user, 400 for a broken header', async () => {
      const wrong = await t.http.get(LOGIN, { headers: basic('admin', 'Wrong1234') });
      const unknown = await t.http.get(LOGIN, { headers: basic('nobody', 'Wrong1234') });
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      expect(unknown.body).to.deep.equal(wrong.body);
      const metrics = JSON.stringify((await t.http.get('/api/kytos/core/status/')).body.metrics);
      expect(metrics).to.include('lattice_auth_logins_total').and.include('lattice_auth_refused_total');
      expect((await t.http.get(LOGIN)).body).to.deep.equal({ description: 'Authorization header missing', code: 400 });
      expect((await t.http.get(LOGIN, { headers: { authorization: 'Basic !!!' } })).body).to.deep.equal({ description: 'Credentials were not correctly set.', code: 400 });
    });

    it('should list, show, update and soft-delete users; a deleted user\'s token stops working at once', async () => {
      const auth = { headers: bearer(token) };
      expect((await t.http.post(USERS, { username: 'bob', email: 'bob@example.com', password: 'Bobby1234' }, auth)).status).to.equal(201);
      expect((await t.http.post(USERS, { username: 'bob', email: 'bob@example.com', password: 'Bobby1234' }, auth)).body).to.deep.equal({ description: 'bob already exists.', code: 409 });
      expect((await t.http.post(USERS, { username: 'bad name', email: 'x', password: 'short' }, auth)).status).to.equal(400);
      const list = await t.http.get(USERS, auth);
      expect(list.body.users.map((u: { username: string }) => u.username)).to.include.members(['admin', 'bob']);
      expect(list.text).to.not.match(/password|salt/);
      expect((await t.http.get(`${USERS}bob`, auth)).body).to.include({ username: 'bob', state: 'active', role: 'admin' });
      expect((await t.http.patch(`${USERS}bob`, { email: 'robert@example.com' }, auth)).body).to.equal('User successfully updated');
      const bobToken = await login(t, 'bob', 'Bobby1234');
      expect((await t.http.get(USERS, { headers: bearer(bobToken) })).status).to.equal(200);
      expect((await t.http.delete(`${USERS}bob`, undefined, auth)).body).to.equal('User bob deleted succesfully');
      const revoked = await t.http.get(USERS, { headers: bearer(bobToken) });
      expect(revoked.status).to.equal(401);
      expect(revoked.body).to.deep.equal({ error: 'Token not sent or expired: This user is not active' });
      expect((await t.http.get(`${USERS}bob`, auth)).body).to.include({ state: 'inactive' });
      expect((await t.http.get(LOGIN, { headers: basic('bob', 'Bobby1234') })).status).to.equal(401);
    });

    it('should end the tokens issued before a password change', async () => {
      const auth = { headers: bearer(token) };
      await t.http.post(USERS, { username: 'pat', email: 'pat@example.com', password: 'Patty1234' }, auth);
      // A token issued a few seconds before the change (iat has one-second resolution).
      const uid = (await t.controller.auth.directory.find('pat'))!._id;
      const before = signToken(claimsFor({ username: 'pat', uid }, t.controller.system.clock.now() - 5000, 600), t.controller.auth.keys.current);
      expect((await t.http.get(USERS, { headers: bearer(before) })).status).to.equal(200);
      expect((await t.http.patch(`${USERS}pat`, { password: 'Patty5678' }, auth)).status).to.equal(200);
      expect((await t.http.get(USERS, { headers: bearer(before) })).body).to.deep.equal({ error: 'Token not sent or expired: The password changed after this token was issued' });
      expect((await t.http.get(USERS, { headers: bearer(await login(t, 'pat', 'Patty5678')) })).status).to.equal(200);
    });

    it('should not let a renamed user\'s new namesake inherit the old tokens', async () => {
      const auth = { headers: bearer(token) };
      await t.http.post(USERS, { username: 'carol', email: 'carol@example.com', password: 'Carol1234' }, auth);
      const carolToken = await login(t, 'carol', 'Carol1234');
      expect((await t.http.patch(`${USERS}carol`, { username: 'carol2' }, auth)).status).to.equal(200);
      expect((await t.http.post(USERS, { username: 'carol', email: 'x@example.com', password: 'Other1234' }, auth)).status).to.equal(201);
      expect((await t.http.get(USERS, { headers: bearer(carolToken) })).status).to.equal(401);
    });

    it('should keep viewers to reads and users and the audit log to admins', async () => {
      const auth = { headers: bearer(token) };
      await t.http.post(USERS, { username: 'vic', email: 'vic@example.com', password: 'Viewer123', role: 'viewer' }, auth);
      await t.http.post(USERS, { username: 'olga', email: 'olga@example.com', password: 'Operat0r1', role: 'operator' }, auth);
      const vic = { headers: bearer(await login(t, 'vic', 'Viewer123')) };
      const olga = { headers: bearer(await login(t, 'olga', 'Operat0r1')) };
      expect((await t.http.get('/api/kytos/core/status/', vic)).status).to.equal(200);
      const refused = await t.http.post('/api/kytos/core/napps/x/y/enable', undefined, vic);
      expect(refused.status).to.equal(403);
      expect(refused.body.code).to.equal(403);
      expect((await t.http.post('/api/kytos/core/napps/x/y/enable', undefined, olga)).status).to.equal(400);
      expect((await t.http.get(USERS, olga)).status).to.equal(403);
      expect((await t.http.get('/api/lattice/v1/audit', olga)).status).to.equal(403);
    });

    it('should record every write in the audit log: who, what, when, result', async () => {
      const auth = { headers: bearer(token) };
      await t.http.post('/api/kytos/core/napps/nobody/nothing/enable', undefined, auth);
      await t.http.post('/api/kytos/core/napps/nobody/nothing/enable');
      const entries = async () => (await t.http.get('/api/lattice/v1/audit?limit=1000', auth)).body.entries as any[];
      let found: any[] = [];
      for (let i = 0; i < 50 && found.length < 2; i++) {
        found = (await entries()).filter((e) => e.path === '/api/kytos/core/napps/nobody/nothing/enable');
        if (found.length < 2) await new Promise((r) => setTimeout(r, 20));
      }
      expect(found.map((e) => [e.user, e.status]).sort()).to.deep.equal([['(anonymous)', 401], ['admin', 400]]);
      expect(found[0]).to.include.keys('at', 'method');
      // The peer of a write refused at once (401, before its body) as of one answered later.
      expect(found.map((e) => e.remote)).to.deep.equal(['127.0.0.1', '127.0.0.1']);
    });
  });

  describe('options', () => {
    it('should answer Kytos-ng\'s login texts with auth.kytosCompatibleErrors', async () => {
      const t = await createTestController({ config: { auth: { kytosCompatibleErrors: true, loginBaseDelayMs: 0 } } });
      try {
        await t.http.post(USERS, admin);
        expect((await t.http.get(LOGIN, { headers: basic('nobody', 'x') })).body).to.deep.equal({ description: 'User nobody not found', code: 404 });
        expect((await t.http.get(LOGIN, { headers: basic('admin', 'Wrong1234') })).body).to.deep.equal({ description: 'Incorrect password', code: 401 });
      } finally {
        await t.stop();
      }
    });

    it('should protect reads and the events WebSocket with auth.protectReads, and the Kytos GET toggles need a token', async () => {
      const t = await createTestController({ config: { auth: { protectReads: true, kytosGetNAppToggles: true } } });
      try {
        // Bootstrap: loopback reads and writes pass while no user exists; the GET toggle never does.
        expect((await t.http.get('/api/kytos/core/napps/x/y/enable')).status).to.equal(401);
        await t.http.post(USERS, admin);
        const token = await login(t);
        expect((await t.http.get('/api/kytos/core/status/')).status).to.equal(401);
        expect((await t.http.get('/api/kytos/core/status/', { headers: bearer(token) })).status).to.equal(200);
        expect((await t.http.get('/api/kytos/core/napps/x/y/enable', { headers: bearer(token) })).status).to.equal(400);
        const url = `ws://127.0.0.1:${t.port}/api/kytos/core/events/ws`;
        const refused = await new Promise<number>((resolve) => {
          const ws = new WebSocket(url);
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
          ws.on('open', () => resolve(101));
          ws.on('error', () => undefined);
        });
        expect(refused).to.equal(401);
        const ok = new WebSocket(url, { headers: bearer(token) });
        await new Promise((resolve, reject) => {
          ok.once('open', resolve);
          ok.once('error', reject);
        });
        ok.close();
        const byQuery = new WebSocket(`${url}?token=${token}`);
        await new Promise((resolve, reject) => {
          byQuery.once('open', resolve);
          byQuery.once('error', reject);
        });
        byQuery.close();
      } finally {
        await t.stop();
      }
    });

    it('should keep even loopback writes behind a token with auth.loopbackBootstrap off', async () => {
      const t = await createTestController({ config: { auth: { loopbackBootstrap: false } } });
      try {
        expect((await t.http.get('/api/kytos/core/status/')).body.auth).to.include({ bootstrap: false, users: 0 });
        const refused = await t.http.post(USERS, admin);
        expect(refused.status).to.equal(401);
        expect(refused.body.error).to.match(/LATTICE_ADMIN_PASSWORD_FILE/);
      } finally {
        await t.stop();
      }
    });

    it('should protect reads listed in auth.authenticateUrls only', async () => {
      const t = await createTestController({ config: { auth: { authenticateUrls: ['core/dead_letter'] } } });
      try {
        await t.http.post(USERS, admin);
        expect((await t.http.get('/api/kytos/core/dead_letter/')).status).to.equal(401);
        expect((await t.http.get('/api/kytos/core/status/')).status).to.equal(200);
      } finally {
        await t.stop();
      }
    });

    it('should create the first admin from LATTICE_ADMIN_PASSWORD_FILE, once', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'lattice-pw-')), 'pw');
      writeFileSync(file, 'FromFile123\n', { mode: 0o600 });
      const t = await createTestController({ config: { auth: { adminPasswordFile: file } } });
      try {
        expect((await t.http.get('/api/kytos/core/status/')).body.auth).to.include({ bootstrap: false, users: 1 });
        await login(t, 'admin', 'FromFile123');
      } finally {
        await t.stop();
      }
    });

    it('should accept tokens of the previous key during its grace, and refuse them after', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'lattice-rot-'));
      const first = await createTestController({ config: { store: { dataDir }, auth: { jwtSecret: 'old-secret-for-the-test' } } });
      await first.http.post(USERS, admin);
      const oldToken = await login(first);
      await first.stop();
      const rotated = await createTestController({ config: { store: { dataDir }, auth: { jwtSecret: 'new-secret-for-the-test', jwtPreviousSecret: 'old-secret-for-the-test' } } });
      try {
        expect((await rotated.http.get(USERS, { headers: bearer(oldToken) })).status).to.equal(200);
        const fresh = await login(rotated);
        expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString()).kid).to.not.equal(JSON.parse(Buffer.from(oldToken.split('.')[0]!, 'base64url').toString()).kid);
      } finally {
        await rotated.stop();
      }
      const retired = await createTestController({
        config: { store: { dataDir }, auth: { jwtSecret: 'new-secret-for-the-test', jwtPreviousSecret: 'old-secret-for-the-test', jwtPreviousSecretUntil: '2000-01-01T00:00:00Z' } },
      });
      try {
        expect((await retired.http.get(USERS, { headers: bearer(oldToken) })).body).to.deep.equal({ error: 'Token not sent or expired: Signing key retired' });
      } finally {
        await retired.stop();
      }
    });
  });
});

describe('audit log retention', () => {
  it('should keep at most auth.auditMaxEntries entries, the newest', async () => {
    const t = await createTestController({ config: { auth: { auditMaxEntries: 100 } } });
    try {
      const audit = t.controller.auth.audit;
      const records = [];
      for (let i = 0; i < 130; i++) {
        records.push(audit.record({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), user: 'u', method: 'POST', path: `/p/${i}`, status: 200, remote: '127.0.0.1' }));
      }
      await audit.flush();
      await Promise.all(records);
      expect(await audit.prune({ maxEntries: 100, maxAgeMs: 0, now: Date.UTC(2026, 0, 2), batch: 1000 })).to.equal(30);
      const left = (await audit.query({ limit: 1000 })).entries;
      expect(left).to.have.length(100);
      expect(left.at(-1)!.path).to.equal('/p/30');
      expect(left[0]!.path).to.equal('/p/129');
    } finally {
      await t.stop();
    }
  });

  it('should remove entries older than the age limit, in bounded batches, then the count excess', async () => {
    // Each record awaited in turn: written at once rather than one interval each.
    const t = await createTestController({ config: { auth: { auditMaxEntries: 100, auditFlushMs: 0 } } });
    try {
      const audit = t.controller.auth.audit;
      for (let i = 0; i < 130; i++) {
        await audit.record({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), user: 'u', method: 'POST', path: `/p/${i}`, status: 200, remote: '127.0.0.1' });
      }
      // "Now" is 00:02:00 with a 70 s age limit: entries 0..49 (before 00:00:50) are too old.
      const pass = () => audit.prune({ maxEntries: 60, maxAgeMs: 70_000, now: Date.UTC(2026, 0, 1, 0, 2, 0), batch: 20 });
      expect(await pass()).to.equal(20);
      expect(await audit.collection.count()).to.equal(110);
      expect(await pass()).to.equal(20);
      // 10 old ones left, then 10 of the count excess (80 - 60 = 20 over, capped by the batch).
      expect(await pass()).to.equal(20);
      expect(await audit.collection.count()).to.equal(70);
      expect(await pass()).to.equal(10);
      expect(await pass()).to.equal(0);
      const left = (await audit.query({ limit: 1000 })).entries;
      expect(left).to.have.length(60);
      expect(left.at(-1)!.path).to.equal('/p/70');
    } finally {
      await t.stop();
    }
  });
});

describe('audit log over HTTP', () => {
  it('should answer pages of the audit log (limit, next, user, status, since) and 400 to bad parameters', async () => {
    const t = await createTestController({ config: { auth: { loginBaseDelayMs: 0 } } });
    try {
      expect((await t.http.post(USERS, admin)).status).to.equal(201);
      const auth = { headers: bearer(await login(t)) };
      const audit = t.controller.auth.audit;
      const base = Date.UTC(2026, 0, 1);
      const n = 450;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          audit.record({ at: new Date(base + Math.floor(i / 2)), user: i % 3 === 0 ? 'ops' : 'dev', method: 'POST', path: `/p/${i}`, status: i % 4 === 0 ? 401 : 200, remote: '127.0.0.1' }),
        ),
      );
      const get = async (q: string) => t.http.get(`/api/lattice/v1/audit?${q}`, auth);
      /** Every page of a query, following next. */
      const walk = async (q: string) => {
        const paths: string[] = [];
        let next: string | undefined;
        for (let i = 0; i < 100; i++) {
          const res = await get(q + (next ? `&before=${encodeURIComponent(next)}` : ''));
          expect(res.status, res.text).to.equal(200);
          paths.push(...(res.body.entries as { path: string }[]).map((e) => e.path));
          next = res.body.next;
          if (!next) return paths;
        }
        throw new Error('no end');
      };
      // The test's own entries (oldest first): newest first is the reverse, by time then id.
      const mine = (keep: (i: number) => boolean) => {
        const out: string[] = [];
        for (let i = n - 1; i >= 0; i--) if (keep(i)) out.push(`/p/${i}`);
        return out;
      };
      const sameTimePairs = (paths: string[]) => paths.map((p) => Math.floor(Number(p.slice(3)) / 2));
      const own = (paths: string[]) => paths.filter((p) => p.startsWith('/p/'));
      const everything = own(await walk('limit=40'));
      expect(sameTimePairs(everything)).to.deep.equal(sameTimePairs(mine(() => true)));
      expect(new Set(everything).size).to.equal(n);
      const ops401 = await walk('limit=13&user=ops&status=401');
      expect(sameTimePairs(ops401)).to.deep.equal(sameTimePairs(mine((i) => i % 3 === 0 && i % 4 === 0)));
      expect(new Set(ops401)).to.deep.equal(new Set(mine((i) => i % 3 === 0 && i % 4 === 0)));
      const since = new Date(base + 200).toISOString();
      expect(new Set(await walk(`limit=7&user=dev&since=${since}`))).to.deep.equal(new Set(mine((i) => i >= 400 && i % 3 !== 0)));
      const first = await get('limit=5&user=ops');
      expect(first.body.entries).to.have.length(5);
      expect(first.body.entries[0]).to.include({ user: 'ops', method: 'POST', remote: '127.0.0.1' });
      expect(first.body.entries[0].at).to.match(/^2026-01-01T00:00:00\.\d{3}Z$/);
      expect(first.body.next).to.be.a('string');
      for (const bad of ['limit=0', 'limit=1001', 'limit=x', 'status=99', 'status=abc', 'since=yesterday', 'before=nonsense', 'users=ops']) {
        const res = await get(bad);
        expect(res.status, bad).to.equal(400);
        expect(res.body.code).to.equal(400);
      }
    } finally {
      await t.stop();
    }
  });
});

describe('user cache', () => {
  it('should not let a refresh that read the store before a deactivation undo it', async () => {
    const t = await createTestController();
    try {
      const dir = t.controller.auth.directory;
      const created = await dir.create({ username: 'eve', email: 'eve@example.com', password: 'Evelyn123', role: 'admin' });
      expect(created.ok).to.equal(true);
      const uid = (await dir.find('eve'))!._id;
      // A refresh whose read of the store finishes only after the deactivation below.
      const all = dir.collection.all.bind(dir.collection);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      (dir.collection as { all: () => Promise<unknown[]> }).all = async () => {
        const docs = await all();
        await gate;
        return docs;
      };
      const refreshing = dir.refresh();
      await dir.deactivate('eve');
      expect(dir.state(uid)?.active).to.equal(false);
      release();
      await refreshing;
      expect(dir.state(uid)?.active).to.equal(false);
    } finally {
      await t.stop();
    }
  });
});

describe('test kit', () => {
  it('should give NApp tests an admin client once users exist', async () => {
    const t = await createTestController({ config: { auth: { protectReads: true } } });
    try {
      const admin = await t.asAdmin();
      expect(await t.asAdmin()).to.equal(admin);
      expect((await t.http.get('/api/kytos/core/status/')).status).to.equal(401);
      expect((await admin.get('/api/kytos/core/status/')).status).to.equal(200);
      expect((await admin.post('/api/kytos/core/napps/x/y/enable')).status).to.equal(400);
    } finally {
      await t.stop();
    }
  });
});

describe('password change and tokens of the same instant (over HTTP)', () => {
  it('should refuse a token issued in the same millisecond before the change and accept the one issued after it', async () => {
    // A clock that does not move: login, change and login again all happen at one instant.
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 12, 0, 0, 250));
    const t = await createTestController({ clock, config: { auth: { loginBaseDelayMs: 0 } } });
    try {
      expect((await t.http.post(USERS, admin)).status).to.equal(201);
      const adminToken = await login(t);
      const auth = { headers: bearer(adminToken) };
      expect((await t.http.post(USERS, { username: 'quinn', email: 'quinn@example.com', password: 'Quinn1234' }, auth)).status).to.equal(201);
      const before = await login(t, 'quinn', 'Quinn1234');
      expect((await t.http.get(USERS, { headers: bearer(before) })).status).to.equal(200);
      expect((await t.http.patch(`${USERS}quinn`, { password: 'Quinn5678' }, auth)).status).to.equal(200);
      const refused = await t.http.get(USERS, { headers: bearer(before) });
      expect(refused.status).to.equal(401);
      expect(refused.body).to.deep.equal({ error: 'Token not sent or expired: The password changed after this token was issued' });
      const after = await login(t, 'quinn', 'Quinn5678');
      expect((await t.http.get(USERS, { headers: bearer(after) })).status).to.equal(200);
      // Changing someone else's password leaves the admin's token alone.
      expect((await t.http.get(USERS, auth)).status).to.equal(200);
      expect(clock.now()).to.equal(Date.UTC(2026, 11, 1, 12, 0, 0, 250));
    } finally {
      await t.stop();
    }
  });
});
