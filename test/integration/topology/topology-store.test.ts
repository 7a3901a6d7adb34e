/**
 * topology on the MongoDB adapter (FerretDB): metadata, links and tag ranges
 * survive a restart; a store outage answers 503 on writes while reads keep
 * serving the in-memory topology. Switches come from published of_core events.
 */
import { expect } from 'chai';
import { interfaceIsNni, switchNew } from '../../../src/sdk/index.js';
import { tempDataDir } from '../../../src/main.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';
import { until } from '../../helpers/log.js';
import { dpid, switchJson } from '../../unit/napps/kytos/topology/fixtures.js';
import { API, startTopology, type TopologyController } from './harness.js';

const A = `${dpid(1)}:1`;
const B = `${dpid(2)}:1`;
const LINK = linkId(A, B);

describe('kytos/topology on the MongoDB adapter', function () {
  this.timeout(90_000);
  let wire: MongoWire;
  let c: TopologyController | undefined;
  const start = () =>
    startTopology(tempDataDir(), { LINK_UP_TIMER: 0 }, { store: { backend: 'mongodb', mongodbUri: wire.uri, mongodbDatabase: 'topo' } });

  before(async function () {
    wire = await startMongoWireOrSkip(this);
  });
  after(async () => {
    await c?.stop();
    await wire?.stop();
  });

  it('should keep metadata, links and tag ranges across a restart', async () => {
    c = await start();
    c.t.bus.publish(switchNew.type, { switch: switchJson(1, [1, 2]) } as never);
    c.t.bus.publish(switchNew.type, { switch: switchJson(2, [1]) } as never);
    c.t.bus.publish(interfaceIsNni.type, { interface_a: { id: A }, interface_b: { id: B } });
    await until(async () => (await c!.t.http.get(`${API}/links`)).body.links[LINK]?.status === 'UP', 5000, 'the link');
    expect((await c.t.http.post(`${API}/links/${LINK}/metadata`, { circuit: 'c1' })).status).to.equal(201);
    expect((await c.t.http.post(`${API}/interfaces/${A}/tag_ranges`, { tag_type: 'vlan', tag_ranges: [[1, 500], 2096, [3001]] })).status).to.equal(200);
    expect((await c.t.http.post(`${API}/switches/${dpid(2)}/disable`)).status).to.equal(201);
    await c.stop();
    c = await start();
    const t = (await c.t.http.get(`${API}/`)).body.topology;
    expect(t.switches[dpid(1)]).to.include({ active: false, enabled: true });
    expect(t.switches[dpid(2)]).to.include({ active: false, enabled: false, status: 'DISABLED' });
    expect(t.links[LINK]).to.include({ enabled: false, active: false });
    expect(t.links[LINK].metadata).to.deep.equal({ circuit: 'c1' });
    const tags = (await c.t.http.get(`${API}/interfaces/${A}/tag_ranges`)).body[A];
    expect(tags.tag_ranges).to.deep.equal({ vlan: [[1, 500], [2096, 2096], [3001, 3001]] });
  });

  it('should answer 503 on writes while the store is down and keep serving reads', async () => {
    await wire.pause();
    try {
      const w = await c!.t.http.post(`${API}/switches/${dpid(1)}/metadata`, { a: 1 });
      expect(w.status).to.equal(503);
      const r = await c!.t.http.get(`${API}/switches`);
      expect(r.status).to.equal(200);
      expect(r.body.switches[dpid(1)].metadata).to.deep.equal({});
    } finally {
      await wire.resume();
    }
    await until(async () => (await c!.t.http.post(`${API}/switches/${dpid(1)}/metadata`, { a: 1 })).status === 201, 30_000, 'writes back');
    expect((await c!.t.http.get(`${API}/switches/${dpid(1)}/metadata`)).body).to.deep.equal({ metadata: { a: 1 } });
  });
});
