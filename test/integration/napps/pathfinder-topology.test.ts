/**
 * pathfinder fed by the real kytos/topology NApp (of_core's events published
 * on the bus, no switches): links from is.nni, a link down by interface
 * status, link metadata through topology's API.
 */
import { expect } from 'chai';
import { interfaceIsNni, switchNew } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { until } from '../../helpers/log.js';
import { dpid, switchJson } from '../../unit/napps/kytos/topology/fixtures.js';

const TOPO = '/api/kytos/topology/v3';
const PATHS = '/api/kytos/pathfinder/v3/';
const i = (sw: number, port: number) => `${dpid(sw)}:${port}`;

describe('kytos/pathfinder with kytos/topology', function () {
  this.timeout(30_000);
  let t: TestController;
  // A triangle: s1:2-s2:3, s2:2-s3:3, s3:2-s1:3; port 1 of each a host port.
  const pairs: [string, string][] = [
    [i(1, 2), i(2, 3)],
    [i(2, 2), i(3, 3)],
    [i(3, 2), i(1, 3)],
  ];
  const [l12, , l31] = pairs.map(([a, b]) => linkId(a, b));

  before(async () => {
    t = await createTestController({
      config: { napps: { enabled: ['kytos/topology', 'kytos/pathfinder'], settings: { 'kytos/topology': { LINK_UP_TIMER: 0 } } } },
    });
    for (const n of [1, 2, 3]) t.bus.publish(switchNew.type, { switch: switchJson(n, [1, 2, 3]) } as never);
    for (const [a, b] of pairs) t.bus.publish(interfaceIsNni.type, { interface_a: { id: a }, interface_b: { id: b } });
    await until(async () => Object.values((await t.http.get(`${TOPO}/links`)).body.links).filter((l: any) => l.status === 'UP').length === 3, 5000, 'three links UP');
  });
  after(async () => {
    await t?.stop();
  });

  const paths = async (body: object) => {
    const res = await t.http.post(PATHS, body);
    expect(res.status).to.equal(200);
    return res.body.paths as { hops: string[]; cost: number; metrics?: object }[];
  };

  it("should find paths on topology's links, least first", async () => {
    const found = await until(async () => {
      const p = await paths({ source: i(1, 1), destination: i(2, 1) });
      return p.length === 2 ? p : undefined;
    }, 5000, 'two paths');
    expect(found).to.deep.equal([
      { hops: [i(1, 1), dpid(1), i(1, 2), i(2, 3), dpid(2), i(2, 1)], cost: 5 },
      { hops: [i(1, 1), dpid(1), i(1, 3), i(3, 2), dpid(3), i(3, 3), i(2, 2), dpid(2), i(2, 1)], cost: 8 },
    ]);
  });

  it("should cost links by the delay set with topology's metadata API", async () => {
    expect((await t.http.post(`${TOPO}/links/${l12}/metadata`, { delay: 100 })).status).to.equal(201);
    const found = await until(async () => {
      const p = await paths({ source: dpid(1), destination: dpid(2), spf_attribute: 'delay' });
      return p[0]?.cost === 6 ? p : undefined;
    }, 5000, 'the delay applied');
    expect(found!.map((p) => p.cost)).to.deep.equal([6, 102]);
  });

  it('should leave out a disabled link and bring it back when enabled', async () => {
    expect((await t.http.post(`${TOPO}/links/${l31}/disable`)).status).to.equal(201);
    await until(async () => (await paths({ source: dpid(1), destination: dpid(3), spf_max_paths: 5 })).length === 1, 5000, 'one path left');
    expect((await t.http.post(`${TOPO}/links/${l31}/enable`)).status).to.equal(201);
    await until(async () => (await paths({ source: dpid(1), destination: dpid(3), spf_max_paths: 5 })).length === 2, 5000, 'two paths again');
  });
});
