import { expect } from 'chai';
import { Packr } from 'msgpackr';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { echoRoute } from '../../helpers/echo-route.js';
import { until } from '../../helpers/log.js';

/** Echoes what the route received, so a test sees the decoded body come back through the encoder. */
const echoed = echoRoute();
const echo = defineNApp({
  manifest: { username: 'test', name: 'exact', version: '1.0.0' },
  routes: () => [
    echoed.route,
    {
      method: 'POST', access: 'write',
      path: 'v1/flow',
      bodySchema: {
        type: 'object',
        required: ['cookie', 'mask'],
        properties: { cookie: { type: 'integer', minimum: 0 }, mask: { type: 'integer', minimum: 0 } },
      },
      handler: (req) => {
        const body = req.body as { cookie: unknown; mask: unknown };
        return { body: { ...body, types: [typeof body.cookie, typeof body.mask] } };
      },
    },
  ],
  wsRoutes: () => [{ path: 'v1/ws', access: 'read', message: (client, data) => client.send({ echo: data }) }],
});

const COOKIE = 12321848580485677057n;
const MASK = 18446744073709551615n;
const EXACT_TEXT = '{"cookie": 12321848580485677057, "mask": 18446744073709551615}';
const packr = new Packr({ useRecords: false, moreTypes: false });

describe('exact values and bounded bodies through the HTTP front end (real HTTP on loopback)', function () {
  let t: TestController;
  before(async () => {
    // The default limits: 1 MiB bodies, depth 64, 100,000 elements.
    t = await createTestController({ napps: [echo] });
  });
  after(async () => t?.stop());

  it('should echo 64-bit integers in JSON with every digit', async () => {
    const res = await t.http.post('/api/test/exact/v1/echo', undefined, { raw: EXACT_TEXT, contentType: 'application/json' });
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('{"cookie":12321848580485677057,"mask":18446744073709551615}');
  });

  it('should echo 64-bit integers in msgpack (request and response) exactly', async () => {
    const res = await t.http.post('/api/test/exact/v1/echo', undefined, {
      raw: packr.pack({ cookie: COOKIE, mask: MASK }),
      contentType: 'application/msgpack',
      msgpack: true,
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/msgpack');
    expect(res.body).to.deep.equal({ cookie: COOKIE, mask: MASK });
  });

  it('should take a JSON body in and answer msgpack, and the other way round, exactly', async () => {
    const toPack = await t.http.post('/api/test/exact/v1/echo', undefined, { raw: EXACT_TEXT, contentType: 'application/json', msgpack: true });
    expect(toPack.body).to.deep.equal({ cookie: COOKIE, mask: MASK });
    const toJson = await t.http.post('/api/test/exact/v1/echo', undefined, { raw: packr.pack({ cookie: COOKIE, mask: MASK }), contentType: 'application/msgpack' });
    expect(toJson.text).to.equal('{"cookie":12321848580485677057,"mask":18446744073709551615}');
  });

  it('should validate 64-bit integers against a schema that says integer, and hand them to the route as bigints', async () => {
    const res = await t.http.post('/api/test/exact/v1/flow', undefined, { raw: EXACT_TEXT, contentType: 'application/json' });
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('{"cookie":12321848580485677057,"mask":18446744073709551615,"types":["bigint","bigint"]}');
    const small = await t.http.post('/api/test/exact/v1/flow', { cookie: 1, mask: 2 });
    expect(small.body).to.deep.equal({ cookie: 1, mask: 2, types: ['number', 'number'] });
    const negative = await t.http.post('/api/test/exact/v1/flow', undefined, { raw: '{"cookie": -12321848580485677057, "mask": 1}', contentType: 'application/json' });
    expect(negative.status).to.equal(400);
    expect(negative.body.description).to.contain('must be >= 0 for field cookie');
  });

  it('should answer 400 naming http.maxJsonDepth for a 500,000-deep JSON array, without running the route', async () => {
    const before = echoed.handled();
    const raw = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
    const res = await t.http.post('/api/test/exact/v1/echo', undefined, { raw, contentType: 'application/json' });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({ description: 'Request body nests deeper than http.maxJsonDepth (64)', code: 400 });
    expect(echoed.handled()).to.equal(before);
  });

  it('should answer 400 naming http.maxJsonDepth for a 1,000,000-deep msgpack array, without running the route', async () => {
    const before = echoed.handled();
    const raw = Buffer.concat([Buffer.alloc(1_000_000, 0x91), Buffer.from([0xc0])]);
    const res = await t.http.post('/api/test/exact/v1/echo', undefined, { raw, contentType: 'application/msgpack' });
    expect(res.status).to.equal(400);
    expect(res.body.description).to.equal('Request body nests deeper than http.maxJsonDepth (64)');
    expect(echoed.handled()).to.equal(before);
  });

  it('should answer 400 naming http.maxJsonElements for a body with too many values, in either format', async () => {
    const wide = `[${'0,'.repeat(100_000)}0]`;
    const json = await t.http.post('/api/test/exact/v1/echo', undefined, { raw: wide, contentType: 'application/json' });
    expect(json.status).to.equal(400);
    expect(json.body.description).to.equal('Request body holds more elements than http.maxJsonElements (100000)');
    const packed = await t.http.post('/api/test/exact/v1/echo', undefined, { raw: packr.pack(new Array(100_001).fill(0)), contentType: 'application/msgpack' });
    expect(packed.status).to.equal(400);
    expect(packed.body.description).to.contain('http.maxJsonElements');
  });

  it('should pass a 1,000-flow flow_manager body with the default limits', async () => {
    const flows = Array.from({ length: 1000 }, (_, i) => ({ priority: 10, match: { in_port: 1, dl_vlan: 100 + i }, actions: [{ action_type: 'output', port: 2 }] }));
    const res = await t.http.post('/api/test/exact/v1/echo', { flows });
    expect(res.status).to.equal(200);
    expect(res.body.flows).to.have.length(1000);
    expect(res.body.flows[999].match.dl_vlan).to.equal(1099);
  });

  it('should keep serving after refusing hostile bodies', async () => {
    expect((await t.http.get('/api/kytos/core/status')).status).to.equal(200);
  });

  it('should decode WebSocket client frames exactly and under the same limits', async () => {
    const ws = await t.ws('/api/test/exact/v1/ws');
    const frames: string[] = [];
    ws.socket.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
    try {
      ws.socket.send(EXACT_TEXT);
      await until(() => frames.length >= 1, 5000, 'the echo');
      expect(frames[0]).to.equal('{"echo":{"cookie":12321848580485677057,"mask":18446744073709551615}}');
      ws.socket.send(`${'['.repeat(1000)}${']'.repeat(1000)}`);
      await until(() => frames.length >= 2, 5000, 'the refusal');
      expect(JSON.parse(frames[1]!)).to.deep.equal({ error: 'malformed message: Request body nests deeper than http.maxJsonDepth (64)' });
    } finally {
      ws.socket.close();
    }
  });
});
