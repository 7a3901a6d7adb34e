import { expect } from 'chai';
import { Packr } from 'msgpackr';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { echoRoute } from '../../helpers/echo-route.js';

/** A route at the default 1 MiB body limit that echoes what it decoded, counting the bodies it saw. */
const echoed = echoRoute();
const probe = defineNApp({
  manifest: { username: 'test', name: 'bombs', version: '1.0.0' },
  routes: () => [echoed.route],
});

const MIB = 1 << 20;
const PATH = '/api/test/bombs/v1/echo';
const packr = new Packr({ useRecords: false, moreTypes: false });
/** `text` cut to fit `limit` bytes with `close` appended (whole items only). */
const fit = (text: string, close: string, limit = MIB): string => text.slice(0, limit - close.length - 64).replace(/,[^,]*$/, '') + close;

/** Bodies built to hurt, each under the 1 MiB limit but one, and the 400/413 each must get. */
const BOMBS: { name: string; body: string | Buffer; type?: string; status: number; description: string }[] = [
  { name: 'deep nesting', body: '['.repeat(MIB / 2 - 1) + ']'.repeat(MIB / 2 - 1), status: 400, description: 'Request body nests deeper than http.maxJsonDepth (64)' },
  { name: 'over the limit', body: `{"name":"${'x'.repeat(MIB)}"}`, status: 413, description: 'Request body is larger than the limit of 1048576 bytes' },
  { name: 'wide array', body: fit(`[${'{"a":1},'.repeat(MIB / 8)}`, ']'), status: 400, description: 'Request body holds more elements than http.maxJsonElements (100000)' },
  { name: 'many keys', body: fit(`{${Array.from({ length: MIB / 8 }, (_, i) => `"k${i}":0`).join(',')}`, '}'), status: 400, description: 'Request body has an object with more keys than http.maxJsonKeys (1000)' },
  { name: 'long string', body: `{"name":"${'y'.repeat(MIB - 64)}"}`, status: 400, description: 'Request body has a string longer than http.maxJsonStringBytes (65536)' },
  { name: 'long key', body: `{"${'k'.repeat(MIB - 64)}":1}`, status: 400, description: 'Request body has a string longer than http.maxJsonStringBytes (65536)' },
  {
    name: 'many keys (msgpack)',
    // map 32 of 90,000 entries (msgpackr packs at most 65,535 keys per map), each "k<i>": 0
    body: Buffer.concat([Buffer.from([0xdf, 0, 1, 0x5f, 0x90]), ...Array.from({ length: 90_000 }, (_, i) => Buffer.concat([packr.pack(`k${i}`), Buffer.from([0])]))]),
    type: 'application/msgpack',
    status: 400,
    description: 'Request body has an object with more keys than http.maxJsonKeys (1000)',
  },
  { name: 'long string (msgpack)', body: packr.pack({ name: 'y'.repeat(MIB - 64) }), type: 'application/msgpack', status: 400, description: 'Request body has a string longer than http.maxJsonStringBytes (65536)' },
];

describe('request bodies built to hurt, at a 1 MiB route limit (real HTTP on loopback)', function () {
  let t: TestController;
  before(async () => {
    // The default limits: 1 MiB bodies, depth 64, 100,000 elements, 1,000 keys per object, 64 KiB strings.
    t = await createTestController({ napps: [probe] });
  });
  after(async () => t?.stop());

  for (const bomb of BOMBS) {
    it(`should answer ${bomb.status} to ${bomb.name} naming the limit, without running the route`, async () => {
      const size = Buffer.byteLength(bomb.body);
      if (bomb.status === 400) expect(size, 'the bomb fits under the limit').to.be.at.most(MIB).and.above(MIB / 2 - 64);
      const before = echoed.handled();
      // Twice: a lent body buffer given back after a refusal serves the next body whole.
      for (let round = 0; round < 2; round++) {
        const res = await t.http.post(PATH, undefined, { raw: bomb.body, contentType: bomb.type ?? 'application/json' });
        expect(res.status, bomb.name).to.equal(bomb.status);
        expect(res.body).to.deep.equal({ description: bomb.description, code: bomb.status });
      }
      expect(echoed.handled()).to.equal(before);
    });
  }

  it('should pass the largest flow_manager body (10,000 flows under 1 MiB) whole, 64-bit cookies exact, after the bombs', async () => {
    const flow = (i: number): string => `{"priority":10,"match":{"in_port":1,"dl_vlan":${i % 4000}},"actions":[{"action_type":"output","port":2}]}`;
    const text = `{"flows":[{"cookie":12321848580485677057,"cookie_mask":18446744073709551615},${Array.from({ length: 9_999 }, (_, i) => flow(i)).join(',')}]}`;
    expect(Buffer.byteLength(text)).to.be.within(900_000, MIB);
    const res = await t.http.post(PATH, undefined, { raw: text, contentType: 'application/json' });
    expect(res.status).to.equal(200);
    // The echo re-encodes what was decoded: equal to the request's text means every byte was read and every digit kept.
    expect(res.text).to.equal(text);
  });

  it('should pass bodies just under each limit: 1,000 keys, a 64 KiB string, both in one body', async () => {
    const keys = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    const body = { keys, note: 'z'.repeat(65_536), metadata: { a: 'b' } };
    for (const [raw, type] of [[JSON.stringify(body), 'application/json'], [packr.pack(body), 'application/msgpack']] as const) {
      const res = await t.http.post(PATH, undefined, { raw, contentType: type });
      expect(res.status, type).to.equal(200);
      expect(res.body).to.deep.equal(body);
    }
  });

  it('should keep concurrent large bodies apart (more in flight than pooled buffers)', async () => {
    const bodies = Array.from({ length: 8 }, (_, j) => ({ j, items: Array.from({ length: 20_000 }, (_, i) => i * 8 + j) }));
    const answers = await Promise.all(bodies.map((b) => t.http.post(PATH, undefined, { raw: JSON.stringify(b), contentType: 'application/json' })));
    answers.forEach((res, j) => {
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal(bodies[j]);
    });
  });
});
