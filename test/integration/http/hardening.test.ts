import { Writable } from 'node:stream';
import { expect } from 'chai';
import WebSocket from 'ws';
import { createLogger } from '../../../src/log.js';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';

const USERS = '/api/kytos/core/auth/users/';
const LOGIN = '/api/kytos/core/auth/login/';

describe('hardening', () => {
  it('should rate-limit per address (loopback only when asked) with 429 + Retry-After', async () => {
    const t = await createTestController({ config: { http: { rateLimitPerSecond: 1, rateLimitBurst: 2, rateLimitLoopback: true } } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await t.http.get('/api/kytos/core/ping/')).status);
      expect(statuses).to.deep.equal([200, 200, 429]);
      const res = await t.http.get('/api/kytos/core/ping/');
      expect(res.headers.get('retry-after')).to.equal('1');
      expect(res.body.code).to.equal(429);
    } finally {
      await t.stop();
    }
    const open = await createTestController({ config: { http: { rateLimitPerSecond: 1, rateLimitBurst: 1 } } });
    try {
      for (let i = 0; i < 5; i++) expect((await open.http.get('/api/kytos/core/ping/')).status).to.equal(200);
    } finally {
      await open.stop();
    }
  });

  it('should apply per-route body limits (declared, and from http.maxBodyBytesByRoute) before the handler', async () => {
    const t = await createTestController({ config: { http: { maxBodyBytesByRoute: { 'PATCH /api/kytos/core/dead_letter': 64 } } } });
    try {
      const big = { username: 'u', email: 'u@example.com', password: 'x'.repeat(5000) };
      expect((await t.http.post(USERS, big)).status).to.equal(413);
      expect((await t.http.patch('/api/kytos/core/dead_letter/', { event_name: 'x'.repeat(100), ids: [] })).status).to.equal(413);
      expect((await t.http.patch('/api/kytos/core/dead_letter/', { event_name: 'x', ids: [] })).status).to.not.equal(413);
    } finally {
      await t.stop();
    }
  });

  it('should refuse CORS "*" at start and cap WebSocket clients', async () => {
    const error = await createTestController({ config: { http: { corsAllowOrigins: ['*'] } } }).then(
      (t) => t.stop().then(() => undefined),
      (e: Error) => e,
    );
    expect(error?.message).to.match(/corsAllowOrigins/);
    const t = await createTestController({ config: { ws: { maxClients: 1 } } });
    try {
      await t.ws();
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${t.port}/api/kytos/core/events/ws`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
      expect(status).to.equal(503);
    } finally {
      await t.stop();
    }
  });

  it('should put no stack trace, secret, token or password in responses or in log lines at info and above', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const secret = 'jwt-secret-that-must-not-leak';
    const password = 'Leaky-Passw0rd';
    const crash = defineNApp({
      manifest: { username: 'test', name: 'crash', version: '1.0.0' },
      routes: () => [
        {
          method: 'POST',
          access: 'write',
          path: 'v1/boom',
          handler: () => {
            // A driver error may quote the connection string, credentials included.
            throw new Error(`cannot reach mongodb://root:${password}@db.example/napps`);
          },
        },
      ],
    });
    const t = await createTestController({ napps: [crash], config: { auth: { jwtSecret: secret, loginBaseDelayMs: 0 } }, log: createLogger('info', sink) });
    const bodies: string[] = [];
    try {
      const record = <T extends { text: string }>(r: T) => (bodies.push(r.text), r);
      record(await t.http.post(USERS, { username: 'admin', email: 'a@example.com', password }));
      const login = record(await t.http.get(LOGIN, { headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` } }));
      const token = login.body.token as string;
      const auth = { headers: { authorization: `Bearer ${token}` } };
      record(await t.http.get(LOGIN, { headers: { authorization: `Basic ${Buffer.from(`admin:${password}x`).toString('base64')}` } }));
      record(await t.http.post('/api/test/crash/v1/boom', {}, auth));
      record(await t.http.post(USERS, { username: 'weak', email: 'w@example.com', password: 'weakpass' }, auth));
      record(await t.http.post(USERS, [password], auth));
      record(await t.http.get('/api/kytos/core/config/', auth));
      record(await t.http.post('/api/kytos/core/napps/x/y/enable', undefined, { headers: { authorization: `Bearer ${token}x` } }));
      record(await t.http.get(USERS, auth));
      record(await t.http.get('/api/lattice/v1/audit', auth));
      const crashed = bodies[3]!;
      expect(crashed).to.equal('{"description":"Internal server error","code":500}');
      for (const body of bodies.filter((b) => b !== login.text)) {
        expect(body).to.not.include(password);
        expect(body).to.not.include(secret);
        expect(body).to.not.include(token);
        expect(body).to.not.match(/\n\s+at /);
      }
    } finally {
      await t.stop();
    }
    const loud = lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 30);
    expect(loud.some((l) => l.includes('route failed'))).to.equal(true);
    for (const l of loud) {
      expect(l).to.not.include(password);
      expect(l).to.not.include(secret);
      expect(l).to.not.match(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./);
      expect(l).to.not.match(/\\n\s+at /);
      expect(l).to.not.include('"stack"');
    }
  });
});

describe('a route answering what cannot be sent', function () {
  it('should answer 500, log what is wrong, and keep the process and the connection serving', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    // Each breaks a rule the TypeScript types state; a NApp written in JavaScript (or with a cast) can.
    const bad: [string, () => unknown][] = [
      ['number-header', () => ({ body: {}, headers: { 'X-Count': 5 } })],
      ['injected-header', () => ({ body: {}, headers: { 'X-A': 'x\r\nSet-Cookie: stolen=1' } })],
      ['bad-header-name', () => ({ body: {}, headers: { 'X A': 'x' } })],
      ['bad-status', () => ({ status: 'ok', body: {} })],
      ['huge-status', () => ({ status: 1000, body: {} })],
      ['object-raw', () => ({ raw: { x: 1 } })],
      ['circular-body', () => ({ body: circular })],
      ['later-number-header', async () => ({ body: {}, headers: { 'X-Count': 5 } })],
      // A handler that forgets its `return`, or returns a bare value.
      ['no-return', () => undefined],
      ['later-no-return', async () => undefined],
      ['null', () => null],
      ['text', () => 'hello'],
      // The same frozen response every time (as a cached GET answers): refused every time.
      ['frozen-injected', () => frozenBad],
    ];
    const frozenBad = Object.freeze({ raw: 'x', headers: Object.freeze({ 'X-A': 'x\r\nSet-Cookie: stolen=1' }) });
    const frozenGood = Object.freeze({ raw: 'ok', contentType: 'text/plain', headers: Object.freeze({ ETag: '"v1"', 'X-Empty': '' }) });
    const probe = defineNApp({
      manifest: { username: 'test', name: 'bad', version: '1.0.0' },
      routes: () => [
        ...bad.map(([name, handler]) => ({ method: 'GET' as const, access: 'read' as const, path: `v1/${name}`, handler: handler as never })),
        { method: 'GET' as const, access: 'read' as const, path: 'v1/good', handler: () => ({ body: { ok: true }, headers: { 'X-Count': '5' } }) },
        { method: 'GET' as const, access: 'read' as const, path: 'v1/frozen-good', handler: () => frozenGood },
      ],
    });
    const t = await createTestController({ napps: [probe], log: createLogger('info', sink) });
    try {
      for (const [name] of bad) {
        const res = await t.http.get(`/api/test/bad/v1/${name}`);
        expect(res.status, name).to.equal(500);
        expect(res.body, name).to.deep.equal({ description: 'Internal server error', code: 500 });
        expect(res.headers.get('set-cookie'), name).to.equal(null);
      }
      expect((await t.http.get('/api/test/bad/v1/frozen-injected')).status, 'a frozen response refused once').to.equal(500);
      for (let i = 0; i < 2; i++) {
        const res = await t.http.get('/api/test/bad/v1/frozen-good');
        expect([res.status, res.text, res.headers.get('etag'), res.headers.get('x-empty'), res.headers.get('content-type')]).to.deep.equal([200, 'ok', '"v1"', null, 'text/plain']);
      }
      const good = await t.http.get('/api/test/bad/v1/good');
      expect(good.status).to.equal(200);
      expect(good.headers.get('x-count')).to.equal('5');
    } finally {
      await t.stop();
    }
    const failures = lines.map((l) => JSON.parse(l) as { msg: string; path?: string; err?: { message: string } }).filter((l) => l.msg === 'route failed');
    const said = (name: string) => failures.find((l) => l.path === `/api/test/bad/v1/${name}`)?.err?.message;
    expect(said('number-header')).to.equal('the route answered a response that cannot be sent: header X-Count is number, not text');
    expect(said('injected-header')).to.equal('the route answered a response that cannot be sent: header X-A holds a line break or NUL');
    expect(said('bad-header-name')).to.equal('the route answered a response that cannot be sent: header name "X A" is not a token');
    expect(said('bad-status')).to.equal('the route answered a response that cannot be sent: status ok is not an HTTP status (an integer from 100 to 599)');
    expect(said('huge-status')).to.contain('status 1000 is not an HTTP status');
    expect(said('object-raw')).to.equal('the route answered a response that cannot be sent: raw is neither text nor bytes');
    expect(said('circular-body')).to.match(/^the route answered a response that cannot be sent: its body cannot be encoded \(.*circular/i);
    expect(said('later-number-header')).to.equal('the route answered a response that cannot be sent: header X-Count is number, not text');
    expect(said('no-return')).to.equal('the route answered a response that cannot be sent: it is undefined, not a response object ({ status, body, raw, contentType, headers })');
    expect(said('later-no-return')).to.equal(said('no-return'));
    expect(said('null')).to.contain('it is null, not a response object');
    expect(said('text')).to.contain('it is string, not a response object');
    expect(failures.filter((l) => l.path === '/api/test/bad/v1/frozen-injected').map((l) => l.err?.message)).to.deep.equal(Array(2).fill(said('injected-header')));
  });
});
