import { expect } from 'chai';
import { BadRequestError, defineNApp, type HttpRequest, type HttpResponse } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import type { HookName } from '../../../src/http/hooks.js';

const hooked = defineNApp({
  manifest: { username: 'test', name: 'hooked', version: '1.0.0' },
  routes: () => [
    { method: 'GET', access: 'read', path: 'v1/remote', handler: (req) => ({ body: { remote: req.remote } }) },
    { method: 'GET', access: 'read', path: 'v1/items/{id}', handler: (req) => ({ body: { id: req.params.id } }) },
    {
      method: 'POST', access: 'write',
      path: 'v1/double',
      bodySchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      handler: (req) => ({ status: 201, body: { n: (req.body as { n: number }).n * 2 } }),
    },
    {
      method: 'GET', access: 'read',
      path: 'v1/boom',
      handler: async () => {
        await new Promise((r) => setImmediate(r));
        throw new BadRequestError('boom');
      },
    },
    {
      method: 'GET', access: 'read',
      path: 'v1/bug',
      handler: () => {
        throw new Error('a bug with a secret');
      },
    },
  ],
});

/** Everything a hook saw, in order. */
type Seen = [string, ...unknown[]];

describe('HTTP request lifecycle hooks and request.remote', function () {
  let t: TestController;
  let seen: Seen[];
  let removers: (() => void)[];
  const on = (name: HookName, fn: (...args: never[]) => unknown) => removers.push(t.controller.http.addHook(name, fn as never));

  before(async () => {
    t = await createTestController({ napps: [hooked] });
  });
  after(async () => t?.stop());
  beforeEach(() => {
    seen = [];
    removers = [];
  });
  afterEach(() => {
    for (const r of removers) r();
  });

  /** Registers one recording hook of each kind. */
  function recordAll(): void {
    on('onRequest', (req: HttpRequest) => void seen.push(['onRequest', req.method, req.path, { ...req.params }]));
    on('preValidation', (req: HttpRequest) => void seen.push(['preValidation', req.path, { ...req.params }, req.body]));
    on('preHandler', (req: HttpRequest) => void seen.push(['preHandler', req.path, req.body]));
    on('onError', (req: HttpRequest, error: unknown) => void seen.push(['onError', req.path, (error as Error).message]));
    on('onSend', ((req: HttpRequest, res: HttpResponse & { status: number }) => {
      seen.push(['onSend', req.path, res.status, res.body]);
      return res;
    }) as never);
    on('onResponse', (req: HttpRequest, status: number, ms: number) => void seen.push(['onResponse', req.path, status, typeof ms === 'number' && ms >= 0]));
  }

  it('should fill request.remote from the socket (127.0.0.1 over IPv4 loopback)', async () => {
    const res = await t.http.get('/api/test/hooked/v1/remote');
    expect(res.body).to.deep.equal({ remote: '127.0.0.1' });
  });

  it('should strip ::ffff: from an IPv4 peer of a dual-stack listener, and write IPv6 peers in RFC 5952 form', async () => {
    const dual = await createTestController({ napps: [hooked], config: { http: { host: '::' } } });
    try {
      expect((await dual.http.get('/api/test/hooked/v1/remote')).body).to.deep.equal({ remote: '127.0.0.1' });
      const v6 = await fetch(`http://[::1]:${dual.port}/api/test/hooked/v1/remote`);
      expect(await v6.json()).to.deep.equal({ remote: '::1' });
    } finally {
      await dual.stop();
    }
  });

  it('should run every hook once, in lifecycle order, with the request as it is at that point', async () => {
    recordAll();
    const res = await t.http.post('/api/test/hooked/v1/double', { n: 4 });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.equal({ n: 8 });
    const path = '/api/test/hooked/v1/double';
    expect(seen).to.deep.equal([
      ['onRequest', 'POST', path, {}],
      ['preValidation', path, {}, { n: 4 }],
      ['preHandler', path, { n: 4 }],
      ['onSend', path, 201, { n: 8 }],
      ['onResponse', path, 201, true],
    ]);
  });

  it('should let preValidation change the body before the schema runs', async () => {
    on('preValidation', (req: HttpRequest) => {
      req.body = { n: Number((req.body as { n: string }).n) };
    });
    const res = await t.http.post('/api/test/hooked/v1/double', { n: '21' });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.equal({ n: 42 });
  });

  it('should show onSend the default status 200 and let it replace the response', async () => {
    on('onSend', ((req: HttpRequest, res: HttpResponse & { status: number }) => {
      seen.push(['onSend', res.status]);
      return { ...res, headers: { ...res.headers, 'X-Seen-Status': String(res.status) } };
    }) as never);
    const res = await t.http.get('/api/test/hooked/v1/items/7');
    expect(res.body).to.deep.equal({ id: '7' });
    expect(res.headers.get('x-seen-status')).to.equal('200');
    expect(seen).to.deep.equal([['onSend', 200]]);
  });

  it('should answer a logged 500 when an onSend hook returns what cannot be sent, and keep serving', async () => {
    on('onSend', (() => ({ body: {}, headers: { 'X-Count': 3 } })) as never);
    const res = await t.http.get('/api/test/hooked/v1/items/7');
    expect(res.status).to.equal(500);
    expect(res.body).to.deep.equal({ description: 'Internal server error', code: 500 });
    for (const r of removers.splice(0)) r();
    expect((await t.http.get('/api/test/hooked/v1/items/7')).body).to.deep.equal({ id: '7' });
  });

  it('should run onError for an error the handler throws, then onSend and onResponse with its status', async () => {
    recordAll();
    const res = await t.http.get('/api/test/hooked/v1/boom');
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({ description: 'boom', code: 400 });
    const path = '/api/test/hooked/v1/boom';
    expect(seen.map((s) => s[0])).to.deep.equal(['onRequest', 'preValidation', 'preHandler', 'onError', 'onSend', 'onResponse']);
    expect(seen[3]).to.deep.equal(['onError', path, 'boom']);
    expect(seen[4]).to.deep.equal(['onSend', path, 400, { description: 'boom', code: 400 }]);
  });

  it('should hand onError the original error of an unknown failure while the client gets a bare 500', async () => {
    on('onError', (_req: HttpRequest, error: unknown) => void seen.push(['onError', (error as Error).message]));
    const res = await t.http.get('/api/test/hooked/v1/bug');
    expect(res.status).to.equal(500);
    expect(res.body).to.deep.equal({ description: 'Internal server error', code: 500 });
    expect(seen).to.deep.equal([['onError', 'a bug with a secret']]);
  });

  it('should let onRequest and preHandler answer early, without the handler', async () => {
    const off = t.controller.http.addHook('onRequest', (req) => (req.headers['x-block'] ? { status: 403, body: { blocked: true } } : undefined));
    removers.push(off);
    removers.push(t.controller.http.addHook('preHandler', (req) => (req.params.id === 'cached' ? { body: { id: 'from cache' } } : undefined)));
    expect((await t.http.get('/api/test/hooked/v1/items/1', { headers: { 'x-block': '1' } })).status).to.equal(403);
    expect((await t.http.get('/api/test/hooked/v1/items/cached')).body).to.deep.equal({ id: 'from cache' });
    expect((await t.http.get('/api/test/hooked/v1/items/2')).body).to.deep.equal({ id: '2' });
    off();
    expect((await t.http.get('/api/test/hooked/v1/items/3', { headers: { 'x-block': '1' } })).body).to.deep.equal({ id: '3' });
  });

  it('should answer with the error when a hook throws, and run onError for it', async () => {
    on('onError', (_req: HttpRequest, error: unknown) => void seen.push(['onError', (error as Error).message]));
    on('onRequest', () => {
      throw new BadRequestError('refused by onRequest');
    });
    const res = await t.http.get('/api/test/hooked/v1/items/1');
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({ description: 'refused by onRequest', code: 400 });
    expect(seen).to.deep.equal([['onError', 'refused by onRequest']]);
  });

  it('should run onRequest, onError and onSend for a path no route matches', async () => {
    recordAll();
    const res = await t.http.get('/api/test/hooked/v1/nothing');
    expect(res.status).to.equal(404);
    expect(seen.map((s) => s[0])).to.deep.equal(['onRequest', 'onError', 'onSend', 'onResponse']);
  });
});
