/**
 * `npm run bench:auth`: what auth costs. (1) The per-request check (the
 * preParsing hook: JWT HS256 verify + the cached revocation lookup) on a write
 * with a valid token, and on an open read without one, in µs per request.
 * (2) Login timings: a correct password, a wrong one and an unknown user (the
 * dummy scrypt), so that an unknown user is seen to cost what a known one does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { systemClock } from '../src/actor/clock.js';
import { defaults } from '../src/config/index.js';
import { AuthService } from '../src/auth/service.js';
import { verifyToken } from '../src/auth/jwt.js';
import { openStore, type StoreOptions } from '../src/store/index.js';
import type { HttpRequest, RouteInfo } from '../src/http/types.js';
import { startProgress } from '../load-tests/lib/progress.js';

const N = Number(process.env.BENCH_AUTH_N ?? 200_000);
// A line at least every 5 s on a TTY; the synchronous loops poll it.
const progress = startProgress('bench:auth', { total: 6 });
let phase = 0;
const LOGINS = Number(process.env.BENCH_AUTH_LOGINS ?? 30);
const clock = systemClock();
const log = pino({ level: 'silent' });
const dir = mkdtempSync(path.join(os.tmpdir(), 'lattice-bench-auth-'));
const store = await openStore({ backend: 'embedded', dataDir: dir, embedded: { durability: 'commit' }, mongodb: { uri: '', dbName: '' } as StoreOptions['mongodb'], clock, log });
const config = { ...defaults().auth, loginBaseDelayMs: 0 };
const auth = await AuthService.start({ config, corsAllowOrigins: [], store, clock, log });
await auth.directory.create({ username: 'bench', email: 'bench@example.com', password: 'Bench1234', role: 'admin' });
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const request = (headers: Record<string, string>, route: RouteInfo): HttpRequest => ({
  method: route.method,
  path: route.path,
  params: {},
  queryString: '',
  headers,
  body: undefined,
  remote: '10.0.0.1',
  route,
});
const token = ((await auth.login(request({ authorization: basic('bench', 'Bench1234') }, { method: 'GET', path: '/login', access: 'read', tokenAlways: false, adminOnly: false }))).body as { token: string }).token;

const write: RouteInfo = { method: 'POST', path: '/api/kytos/flow_manager/v2/flows/{dpid}', access: 'write', tokenAlways: false, adminOnly: false };
const read: RouteInfo = { method: 'GET', path: '/api/kytos/topology/v3/', access: 'read', tokenAlways: false, adminOnly: false };

function perRequest(label: string, req: HttpRequest): void {
  progress.step(label, phase++);
  for (let i = 0; i < 10_000; i++) auth.guard(req);
  const t0 = clock.monotonic();
  for (let i = 0; i < N; i++) {
    if ((i & 0xffff) === 0) progress.poll();
    req.principal = undefined;
    if (auth.guard(req) !== undefined) throw new Error(`${label}: refused`);
  }
  const us = ((clock.monotonic() - t0) * 1000) / N;
  console.log(`${label.padEnd(44)} ${us.toFixed(2)} µs/request (${N} requests)`);
}

perRequest('write with a valid token (verify + revocation)', request({ authorization: `Bearer ${token}` }, write));
perRequest('open read, no token', request({}, read));
{
  // A token's first use: the full HS256 verification (later uses hit the verified-token cache).
  progress.step('first use of a token', phase++);
  const t0 = clock.monotonic();
  for (let i = 0; i < N; i++) {
    if ((i & 0xffff) === 0) progress.poll();
    if (!verifyToken(token, auth.keys, clock.now()).ok) throw new Error('refused');
  }
  console.log(`${'first use of a token (full HS256 verify)'.padEnd(44)} ${(((clock.monotonic() - t0) * 1000) / N).toFixed(2)} µs/request (${N} requests)`);
}

async function logins(label: string, user: string, password: string): Promise<void> {
  progress.step(label, phase++);
  const times: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    const t0 = clock.monotonic();
    await auth.login(request({ authorization: basic(user, password) }, read)).catch(() => undefined);
    times.push(clock.monotonic() - t0);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${label.padEnd(44)} mean ${mean.toFixed(1)} ms, median ${times[times.length >> 1]!.toFixed(1)} ms (${LOGINS} logins)`);
}

await logins('login: correct password', 'bench', 'Bench1234');
await logins('login: wrong password', 'bench', 'Wrong1234');
await logins('login: unknown user (dummy scrypt)', 'nobody', 'Wrong1234');
progress.stop();
auth.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
