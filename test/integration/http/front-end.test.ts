import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Packr } from 'msgpackr';
import { defineNApp, headerOf, type HttpRequest } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

const selfOf = (req: HttpRequest) => ({
  remote: req.remote ?? null,
  probe: headerOf(req, 'x-probe') ?? null,
  missing: headerOf(req, 'x-missing') ?? null,
  all: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-'))),
});

/** A NApp whose routes exercise the front end. */
let handled = 0;
/** The slow route's handlers still running, oldest first: call one to answer it. */
const slowRunning: (() => void)[] = [];
const probe = defineNApp({
  manifest: { username: 'test', name: 'probe', version: '1.0.0' },
  routes: () => [
    {
      method: 'POST', access: 'write',
      path: 'v1/echo',
      body: 'json',
      handler: (req) => {
        handled++;
        return { body: { got: req.body } };
      },
    },
    {
      method: 'POST', access: 'write',
      path: 'v1/lenient',
      body: 'json-any-type',
      handler: (req) => ({ body: { got: req.body ?? null, error: req.bodyError ?? null, raw: req.rawBody?.length ?? null } }),
    },
    { method: 'GET', access: 'read', path: 'v1/items/{id}', handler: (req) => ({ body: { id: req.params.id } }) },
    { method: 'GET', access: 'read', path: 'v1/search', body: 'optional-json', handler: (req) => ({ body: { got: req.body ?? null } }) },
    // What a request says about itself: now (a synchronous route), after an await, or once its body is read.
    { method: 'GET', access: 'read', path: 'v1/self', handler: (req) => ({ body: selfOf(req) }) },
    {
      method: 'GET', access: 'read',
      path: 'v1/self-later',
      handler: async (req) => {
        await new Promise((r) => setImmediate(r));
        return { body: selfOf(req) };
      },
    },
    { method: 'POST', access: 'write', path: 'v1/self', body: 'json', handler: (req) => ({ body: { ...selfOf(req), got: req.body } }) },
    { method: 'DELETE', access: 'write', path: 'v1/items/{id}', handler: (req) => ({ body: { deleted: req.params.id } }) },
    { method: 'GET', access: 'read', path: 'v1/files/{rest:path}', handler: (req) => ({ body: { rest: req.params.rest } }) },
    {
      method: 'GET', access: 'read',
      path: 'v1/slow',
      concurrency: 1,
      mailbox: 2,
      handler: () => new Promise((resolve) => slowRunning.push(() => resolve({ body: { slow: true } }))),
    },
    {
      method: 'GET', access: 'read',
      path: 'v1/add/{a}/{b}',
      handler: async (req) => {
        await new Promise((r) => setImmediate(r));
        return { body: { sum: Number(req.params.a) + Number(req.params.b) } };
      },
    },
    {
      method: 'POST', access: 'write',
      path: 'v1/validated',
      bodySchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      handler: (req) => ({ body: req.body }),
    },
  ],
});

describe('HTTP front end (uWebSockets.js, real HTTP on loopback)', function () {
  let t: TestController;
  /** Writes raw requests down one keep-alive connection until `last` arrives; the responses, split. */
  const keepAlive = (writes: string[], last: string) =>
    new Promise<string[]>((resolve, reject) => {
      const socket = connect(t.port, '127.0.0.1');
      let got = '';
      socket.on('data', (c) => {
        got += c;
        if (got.includes(last)) socket.end();
      });
      socket.on('end', () => resolve(got.split(/(?=HTTP\/1\.1 )/)));
      socket.on('error', reject);
      for (const w of writes) socket.write(w);
    });
  before(async () => {
    t = await createTestController({ napps: [probe], config: { http: { maxBodyBytes: 4096 } } });
  });
  after(async () => t?.stop());

  it('should answer 404 with a Kytos error body for an unknown path', async () => {
    const res = await t.http.get('/api/nobody/nothing');
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({ description: 'Not Found', code: 404 });
  });

  it('should answer 405 for a known path with the wrong method', async () => {
    const res = await t.http.request('PUT', '/api/test/probe/v1/echo');
    expect(res.status).to.equal(405);
    expect(res.body.code).to.equal(405);
  });

  it('should route every method by its name, the usual ones and those uWebSockets.js hands to its catch-all', async () => {
    const send = (method: string, path: string) =>
      new Promise<{ status: number; allow: string | undefined; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: t.port, method, path }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const item = '/api/test/probe/v1/items/7';
    expect(await send('GET', item)).to.include({ status: 200, body: '{"id":"7"}' });
    expect(await send('DELETE', item)).to.include({ status: 200, body: '{"deleted":"7"}' });
    for (const method of ['POST', 'PUT', 'PATCH', 'OPTIONS', 'TRACE']) {
      const res = await send(method, item);
      expect(res.status, method).to.equal(405);
      expect(res.allow, method).to.equal('GET, DELETE');
      expect(JSON.parse(res.body), method).to.deep.equal({ description: 'Method Not Allowed', code: 405 });
    }
  });

  it("should answer HEAD with the GET route's status and length and no body, keeping the connection (and the process) alive", async () => {
    const expected = Buffer.byteLength(JSON.stringify({ id: '7' }));
    // Three HEADs and a GET down one keep-alive connection: a body after a HEAD answer would be
    // read as the start of the next response.
    const head = (path: string) => `HEAD ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const responses = await keepAlive(
      [head('/api/test/probe/v1/items/7') + head('/api/nobody/nothing') + head('/api/test/probe/v1/echo'), 'GET /api/test/probe/v1/items/8 HTTP/1.1\r\nHost: x\r\n\r\n'],
      '{"id":"8"}',
    );
    expect(responses.map((r) => r.slice(9, 12))).to.deep.equal(['200', '404', '405', '200']);
    expect(responses[0]).to.match(new RegExp(`\r\ncontent-length: ${expected}\r\n`, 'i'));
    for (const r of responses.slice(0, 3)) expect(r.endsWith('\r\n\r\n'), r).to.equal(true);
    expect(responses[3]!.endsWith('{"id":"8"}')).to.equal(true);
    // A route that answers later (outside uWebSockets.js' handler) too.
    const later = await new Promise<{ status: number; length: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: t.port, method: 'HEAD', path: '/api/test/probe/v1/add/2/3' }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, length: res.headers['content-length'], body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(later).to.deep.equal({ status: 200, length: String(Buffer.byteLength('{"sum":5}')), body: '' });
    expect((await t.http.get('/api/kytos/core/status')).status).to.equal(200);
  });

  it('should answer 400 with the parser reason for malformed JSON', async () => {
    const res = await t.http.post('/api/test/probe/v1/echo', undefined, { raw: '{"a":', contentType: 'application/json' });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal(400);
    expect(res.body.description).to.match(/^Invalid json: /);
  });

  it('should decode a json-any-type body whatever its Content-Type, within the JSON limits, and leave bad JSON to the route', async () => {
    const lenient = '/api/test/probe/v1/lenient';
    const plain = await t.http.post(lenient, undefined, { raw: '{"a": 12345678901234567890}', contentType: 'text/plain' });
    expect(plain.text).to.equal('{"got":{"a":12345678901234567890},"error":null,"raw":null}');
    const none = await t.http.post(lenient, undefined, { raw: '[1, 2]', contentType: '' });
    expect(none.body).to.deep.equal({ got: [1, 2], error: null, raw: null });
    const packed = await t.http.post(lenient, undefined, { raw: new Packr({ useRecords: false }).pack({ m: 1 }), contentType: 'application/msgpack' });
    expect(packed.body).to.deep.equal({ got: { m: 1 }, error: null, raw: null });
    const bad = await t.http.post(lenient, undefined, { raw: '{"a":', contentType: 'text/plain' });
    expect(bad.status).to.equal(200);
    expect(bad.body.got).to.equal(null);
    expect(bad.body.error).to.match(/^Invalid json: /);
    const empty = await t.http.post(lenient, undefined, { raw: '', contentType: 'text/plain' });
    expect(empty.body).to.deep.equal({ got: null, error: null, raw: null });
    // Over a limit: refused by the server before the route runs.
    const deep = await t.http.post(lenient, undefined, { raw: '['.repeat(100) + ']'.repeat(100), contentType: 'text/plain' });
    expect([deep.status, deep.body.description]).to.deep.equal([400, 'Request body nests deeper than http.maxJsonDepth (64)']);
  });

  it('should answer 415 for a body that is not JSON', async () => {
    const res = await t.http.post('/api/test/probe/v1/echo', undefined, { raw: 'a=1', contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).to.equal(415);
    expect(res.body.description).to.equal('Expected Content-Type: application/json, got: application/x-www-form-urlencoded');
  });

  it('should answer 413 for a body over the limit without running the handler', async () => {
    const before = handled;
    const big = JSON.stringify({ x: 'y'.repeat(5000) });
    const res = await t.http.post('/api/test/probe/v1/echo', undefined, { raw: big, contentType: 'application/json' });
    expect(res.status).to.equal(413);
    expect(res.body.code).to.equal(413);
    expect(handled).to.equal(before);
  });

  it("should ignore a GET's body when the route declares none, as Kytos-ng does, and read it to its end", async () => {
    // On one keep-alive connection: bodies that are not JSON, declared or not, and chunked; the
    // request after each is read where the dropped body ends.
    const path = '/api/test/probe/v1/items';
    const responses = await keepAlive(
      [
        `GET ${path}/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello`,
        `GET ${path}/2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\nnot json`,
        `GET ${path}/3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`,
        `GET ${path}/4 HTTP/1.1\r\nHost: x\r\n\r\n`,
      ],
      '{"id":"4"}',
    );
    expect(responses.map((r) => r.slice(9, 12))).to.deep.equal(['200', '200', '200', '200']);
    expect(responses.map((r) => r.slice(r.indexOf('\r\n\r\n') + 4))).to.deep.equal(['{"id":"1"}', '{"id":"2"}', '{"id":"3"}', '{"id":"4"}']);
    // Over the limit it is still refused; a chunked one is never read (uWebSockets.js skips it), and
    // a GET that reads its body still checks it.
    const get = (path: string, body: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        // Node frames a GET's body only when told how (it would send it bare otherwise).
        const framing = headers['transfer-encoding'] ? {} : { 'content-length': String(Buffer.byteLength(body)) };
        const req = httpRequest({ host: '127.0.0.1', port: t.port, method: 'GET', path, headers: { ...framing, ...headers }, agent: false }, (res) => {
          let got = '';
          res.on('data', (c) => (got += c)).on('end', () => resolve({ status: res.statusCode!, body: got }));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect((await get('/api/test/probe/v1/items/5', 'z'.repeat(5000))).status).to.equal(413);
    expect(await get('/api/test/probe/v1/items/6', 'z'.repeat(5000), { 'transfer-encoding': 'chunked' })).to.deep.equal({ status: 200, body: '{"id":"6"}' });
    expect(await get('/api/test/probe/v1/search', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' })).to.deep.equal({
      status: 415,
      body: JSON.stringify({ description: 'Expected Content-Type: application/json, got: application/x-www-form-urlencoded', code: 415 }),
    });
    expect(await get('/api/test/probe/v1/search', '{"dpids":["x"]}', { 'content-type': 'application/json' })).to.deep.equal({ status: 200, body: '{"got":{"dpids":["x"]}}' });
  });

  it("should give a route the request's headers and peer, whether it answers at once, after an await or after its body", async () => {
    const headers = { 'X-Probe': 'p1', 'X-Other': 'o' };
    const expected = { remote: '127.0.0.1', probe: 'p1', missing: null, all: { 'x-probe': 'p1', 'x-other': 'o' } };
    expect((await t.http.get('/api/test/probe/v1/self', { headers })).body).to.deep.equal(expected);
    expect((await t.http.get('/api/test/probe/v1/self-later', { headers })).body).to.deep.equal(expected);
    const posted = await t.http.post('/api/test/probe/v1/self', { n: 1 }, { headers });
    expect(posted.body).to.deep.equal({ ...expected, got: { n: 1 } });
  });

  it('should answer 413 for a chunked body that grows past the limit', async () => {
    const before = handled;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: t.port, method: 'POST', path: '/api/test/probe/v1/echo', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write('{"x":"');
      for (let i = 0; i < 10; i++) req.write('z'.repeat(1000));
      req.end('"}');
    });
    expect(status).to.equal(413);
    expect(handled).to.equal(before);
  });

  it('should answer 400 naming the field when the body fails its schema', async () => {
    const res = await t.http.post('/api/test/probe/v1/validated', { n: 'one' });
    expect(res.status).to.equal(400);
    expect(res.body.description).to.equal('The request body contains invalid API data., must be integer for field n.');
    const missing = await t.http.post('/api/test/probe/v1/validated', {});
    expect(missing.body.description).to.contain('for field n.');
    expect((await t.http.post('/api/test/probe/v1/validated', { n: 2 })).body).to.deep.equal({ n: 2 });
  });

  it('should answer every route with and without the trailing slash, without redirects', async () => {
    for (const path of ['/api/kytos/core/status', '/api/kytos/core/status/', '/api/test/probe/v1/items/7', '/api/test/probe/v1/items/7/']) {
      const res = await t.http.get(path);
      expect(res.status, path).to.equal(200);
    }
    expect((await t.http.get('/api/test/probe/v1/items/7/')).body).to.deep.equal({ id: '7' });
    const post = await t.http.post('/api/test/probe/v1/echo/', { a: 1 });
    expect(post.body).to.deep.equal({ got: { a: 1 } });
  });

  it('should route by path and method and decode path parameters', async () => {
    expect((await t.http.delete('/api/test/probe/v1/items/a%3Ab')).body).to.deep.equal({ deleted: 'a:b' });
    expect((await t.http.get('/api/test/probe/v1/files/x/y/z.txt')).body).to.deep.equal({ rest: 'x/y/z.txt' });
  });

  it('should write compact JSON', async () => {
    const res = await t.http.post('/api/test/probe/v1/echo', { a: [1, 2], b: { c: 'd' } });
    expect(res.text).to.equal('{"got":{"a":[1,2],"b":{"c":"d"}}}');
    expect(res.headers.get('content-type')).to.equal('application/json');
  });

  it('should answer msgpack when asked with Accept: application/msgpack, and accept msgpack bodies', async () => {
    const res = await t.http.get('/api/test/probe/v1/items/9', { msgpack: true });
    expect(res.headers.get('content-type')).to.equal('application/msgpack');
    expect(res.body).to.deep.equal({ id: '9' });
    const packed = new Packr({ useRecords: false }).pack({ k: 'v' });
    const posted = await t.http.post('/api/test/probe/v1/echo', undefined, { raw: packed, contentType: 'application/msgpack', msgpack: true });
    expect(posted.body).to.deep.equal({ got: { k: 'v' } });
    const err = await t.http.get('/api/nothing/here', { msgpack: true });
    expect(err.body).to.deep.equal({ description: 'Not Found', code: 404 });
  });

  it('should answer 503 with Retry-After when a route mailbox is full', async () => {
    // concurrency 1, mailbox 2: one running, two queued, the fourth refused.
    const pending = [0, 1, 2].map(() => t.http.get('/api/test/probe/v1/slow'));
    const queued = () => t.controller.system.list().find((a) => a.kind === 'route' && a.name.includes('/test/probe/v1/slow'))!.mailbox.depth;
    await until(() => slowRunning.length === 1 && queued() === 2, 10_000, 'one slow request running and two queued');
    const refused = await t.http.get('/api/test/probe/v1/slow');
    expect(refused.status).to.equal(503);
    expect(refused.headers.get('retry-after')).to.equal('1');
    expect(refused.body.code).to.equal(503);
    const letters = (await t.http.get('/api/kytos/core/dead_letter/')).body;
    expect(Object.keys(letters).some((k) => k.includes('v1/slow'))).to.equal(true);
    for (let i = 0; i < 3; i++) {
      await until(() => slowRunning.length > 0, 10_000, `slow request ${i + 1} to run`);
      slowRunning.shift()!();
    }
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200]);
  });

  it('should answer 2,000 concurrent requests, each correctly', async () => {
    const n = 2000;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => t.http.get(`/api/test/probe/v1/add/${i}/${i * 2}`)),
    );
    const wrong = results.filter((r, i) => r.status !== 200 || r.body.sum !== i * 3);
    expect(wrong, `first wrong answer: ${JSON.stringify(wrong[0]?.body)}`).to.have.length(0);
  });

  it('should answer 504 when a route does not answer within http.requestTimeoutMs, and keep serving', async () => {
    const stuck = defineNApp({
      manifest: { username: 'test', name: 'stuck', version: '1.0.0' },
      routes: () => [
        { method: 'GET', access: 'read', path: 'v1/never', handler: () => new Promise(() => undefined) },
        { method: 'GET', access: 'read', path: 'v1/fine', handler: () => ({ body: 'ok' }) },
      ],
    });
    const s = await createTestController({ napps: [stuck], config: { http: { requestTimeoutMs: 200 } } });
    try {
      const res = await s.http.get('/api/test/stuck/v1/never');
      expect(res.status).to.equal(504);
      expect(res.body.code).to.equal(504);
      expect((await s.http.get('/api/test/stuck/v1/fine')).body).to.equal('ok');
    } finally {
      await s.stop();
    }
  });

  it('should allow CORS only for configured origins', async () => {
    const res = await t.http.get('/api/kytos/core/status', { headers: { origin: 'http://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).to.equal(null);
    const cors = await createTestController({ config: { http: { corsAllowOrigins: ['http://ui.example'] } } });
    try {
      const ok = await cors.http.get('/api/kytos/core/status', { headers: { origin: 'http://ui.example' } });
      expect(ok.headers.get('access-control-allow-origin')).to.equal('http://ui.example');
      const no = await cors.http.get('/api/kytos/core/status', { headers: { origin: 'http://evil.example' } });
      expect(no.headers.get('access-control-allow-origin')).to.equal(null);
      const pre = await cors.http.request('OPTIONS', '/api/kytos/core/status', { headers: { origin: 'http://ui.example' } });
      expect(pre.status).to.equal(204);
    } finally {
      await cors.stop();
    }
  });
});
