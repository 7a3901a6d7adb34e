/**
 * Every route of every NApp under napps/ (and the core's), as mounted: each
 * declares its access, and the auth check holds on each, in both trailing-slash
 * spellings. Walks what the router holds, so a route added later is covered.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import WebSocket from 'ws';
import { claimsFor, makeKey, signToken } from '../../../src/auth/jwt.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { UI_OPEN_PATHS } from '../../../src/platform/ui.js';

const NAPPS = fileURLToPath(new URL('../../../napps/', import.meta.url));
const USERS = '/api/kytos/core/auth/users/';
const LOGIN = '/api/kytos/core/auth/login/';
/** Open on purpose: login, and the web UI's static files (they hold no data). */
const isOpen = (path: string): boolean => path.startsWith(LOGIN) || UI_OPEN_PATHS.includes(path);

function everyNApp(): string[] {
  const ids: string[] = [];
  for (const user of readdirSync(NAPPS)) {
    for (const name of readdirSync(join(NAPPS, user))) if (existsSync(join(NAPPS, user, name, 'manifest.json'))) ids.push(`${user}/${name}`);
  }
  return ids;
}

interface Walked {
  method: string;
  path: string;
  access: unknown;
  tokenAlways: boolean;
}

function routesOf(t: TestController): Walked[] {
  return t.controller.http.router.routes().map((r) => {
    const def = (r.value as unknown as { def: { access: unknown; tokenAlways?: boolean } }).def;
    return { method: r.method, path: r.path, access: def.access, tokenAlways: def.tokenAlways === true };
  });
}

/** A concrete path for a route pattern, in both trailing-slash spellings. */
function spellings(pattern: string): string[] {
  const path = pattern.replace(/\{[A-Za-z_][A-Za-z0-9_]*:path\}/g, 'a/b').replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x');
  return path.endsWith('/') ? [path, path.slice(0, -1)] : [path, `${path}/`];
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

interface Credentials {
  valid: string;
  bad: Record<string, string | undefined>;
}

async function credentials(t: TestController): Promise<Credentials> {
  const created = await t.http.post(USERS, { username: 'admin', email: 'admin@example.com', password: 'Admin1234' });
  expect(created.status, created.text).to.equal(201);
  const login = async (u: string, p: string) => (await t.http.get(LOGIN, { headers: { authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` } })).body.token as string;
  const valid = await login('admin', 'Admin1234');
  const auth = { headers: { authorization: `Bearer ${valid}` } };
  expect((await t.http.post(USERS, { username: 'gone', email: 'gone@example.com', password: 'Gone12345' }, auth)).status).to.equal(201);
  const deleted = await login('gone', 'Gone12345');
  expect((await t.http.delete(`${USERS}gone`, undefined, auth)).status).to.equal(200);
  // A token issued just before a password change (most often within the same second).
  expect((await t.http.post(USERS, { username: 'moved', email: 'moved@example.com', password: 'Moved1234' }, auth)).status).to.equal(201);
  const beforeChange = await login('moved', 'Moved1234');
  expect((await t.http.patch(`${USERS}moved`, { password: 'Moved5678' }, auth)).status).to.equal(200);
  const now = t.controller.system.clock.now();
  const uid = JSON.parse(Buffer.from(valid.split('.')[1]!, 'base64url').toString()).uid as string;
  const key = t.controller.auth.keys.current;
  const claims = claimsFor({ username: 'admin', uid }, now, 600);
  return {
    valid,
    bad: {
      'no token': undefined,
      'an expired token': signToken(claimsFor({ username: 'admin', uid }, now - 7_200_000, 60), key),
      'alg none': `${b64({ alg: 'none', typ: 'JWT', kid: key.kid })}.${b64(claims)}.`,
      "another key's token": signToken(claims, makeKey('not-the-controller-secret')),
      "a deleted user's token": deleted,
      'a token from before a password change': beforeChange,
    },
  };
}

async function call(t: TestController, method: string, path: string, token: string | undefined): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${t.port}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  await res.arrayBuffer();
  return res.status;
}

function upgrade(t: TestController, path: string, token: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

for (const protectReads of [false, true]) {
  describe(`every route's access (auth.protectReads ${protectReads})`, function () {
    this.timeout(120_000);
    let t: TestController;
    let creds: Credentials;
    before(async () => {
      t = await createTestController({ config: { napps: { enabled: everyNApp() }, auth: { protectReads, loginBaseDelayMs: 0 } } });
      const states = t.controller.napps.states();
      expect(states.map((s) => s.id).sort()).to.deep.equal(everyNApp().sort());
      for (const s of states) expect(s.state, `${s.id}: ${s.error ?? ''}`).to.equal('running');
      creds = await credentials(t);
    });
    after(() => t?.stop());

    it('should find a declared access on every HTTP and WebSocket route', () => {
      const routes = routesOf(t);
      expect(routes.length).to.be.greaterThan(10);
      for (const r of routes) expect(['read', 'write'], `${r.method} ${r.path}`).to.include(r.access);
      const ws = t.controller.http.ws.mounted();
      expect(ws.length).to.be.greaterThan(0);
      for (const w of ws) expect(['read', 'write'], `WebSocket ${w.path}`).to.include(w.def.access);
    });

    it('should answer 401 without a valid token and get past auth with one, on every protected route, both spellings', async () => {
      const protectedRoutes = routesOf(t).filter((r) => !isOpen(r.path) && (r.access === 'write' || r.tokenAlways || protectReads));
      expect(protectedRoutes.filter((r) => r.access === 'write').length).to.be.greaterThan(5);
      for (const r of protectedRoutes) {
        for (const path of spellings(r.path)) {
          for (const [what, token] of Object.entries(creds.bad)) {
            expect(await call(t, r.method, path, token), `${r.method} ${path} with ${what}`).to.equal(401);
          }
        }
      }
      // Last, so that a write that changes something runs once everything else was checked.
      for (const r of protectedRoutes) {
        for (const path of spellings(r.path)) {
          expect(await call(t, r.method, path, creds.valid), `${r.method} ${path} with a valid token`).to.not.be.oneOf([401, 403]);
        }
      }
    });

    it(`should ${protectReads ? 'guard' : 'open'} reads${protectReads ? ', the events WebSocket included' : ''}`, async () => {
      const reads = routesOf(t).filter((r) => r.access === 'read' && !r.tokenAlways && !isOpen(r.path) && r.method === 'GET');
      for (const r of reads) {
        for (const path of spellings(r.path)) {
          const status = await call(t, r.method, path, undefined);
          if (protectReads) expect(status, `GET ${path}`).to.equal(401);
          else expect(status, `GET ${path}`).to.not.be.oneOf([401, 403]);
        }
      }
      for (const { path } of t.controller.http.ws.mounted()) {
        if (protectReads) for (const [what, token] of Object.entries(creds.bad)) expect(await upgrade(t, path, token), `WebSocket ${path} with ${what}`).to.equal(401);
        expect(await upgrade(t, path, creds.valid), `WebSocket ${path} with a valid token`).to.equal(101);
        if (!protectReads) expect(await upgrade(t, path, undefined), `WebSocket ${path} without a token`).to.equal(101);
      }
    });

    it('should keep the login routes reachable without a token', async () => {
      for (const path of spellings(LOGIN)) expect(await call(t, 'GET', path, undefined)).to.equal(400);
    });

    it("should keep the web UI's static files reachable without a token", async () => {
      for (const path of ['/ui/', '/ui', '/ui/app.js', '/ui/index.html']) expect(await call(t, 'GET', path, undefined), path).to.equal(200);
    });
  });
}

describe('a route without a declared access', () => {
  it('should fail the NApp that mounts it, and the core server refuses it', async () => {
    const t = await createTestController({
      napps: [
        {
          manifest: { username: 'test', name: 'no_access', version: '1.0.0' },
          // A plain-JS NApp (or a cast) can leave `access` out: the manager refuses it at load.
          routes: () => [{ method: 'POST', path: 'v1/x', handler: () => ({ body: 1 }) } as never],
        },
      ],
    });
    try {
      const state = t.controller.napps.states().find((s) => s.id === 'test/no_access')!;
      expect(state.state).to.equal('failed');
      expect(state.error).to.match(/declares no access/);
      expect(() => t.controller.http.route({ method: 'GET', path: '/api/x', handler: () => ({}) } as never)).to.throw(/declares no access/);
    } finally {
      await t.stop();
    }
  });
});
