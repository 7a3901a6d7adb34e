import { expect } from 'chai';
import { tempDataDir } from '../../../src/main.js';
import { askMessage, checkEvcFlows } from '../../../src/sdk/index.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { durations } from '../flow_manager/harness.js';
import { connectRing, datapathActions, EVC, intf, RING, ringLink, startMef, startRing } from './harness.js';

describe('kytos/mef_eline on the MongoDB adapter with real Open vSwitch', function () {
  this.timeout(90_000);
  let wire: MongoWire;
  let ovs: Ovs;
  let c: TestController;
  const store = () => ({ backend: 'mongodb', mongodbUri: wire.uri, mongodbDatabase: 'mef' });
  const forwards = async () => (await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=10')) === 'pop_vlan,push_vlan(vid=20,pcp=0),m3-eth1';
  const tagRanges = async () => (await c.http.get('/api/kytos/topology/v3/interfaces/tag_ranges')).body as Record<string, unknown>;
  let baseline: Record<string, unknown>;
  let id: string;

  before(async function () {
    await skipWithoutOvs(this);
    wire = await startMongoWireOrSkip(this);
    c = await startMef({ CONSISTENCY_INTERVAL: 0.3 }, tempDataDir(), store());
    ovs = await startRing();
    await connectRing(c, ovs);
    baseline = await tagRanges();
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
    await wire?.stop();
  });

  it('should store the EVC document and bring it back after a restart with no flow churn', async () => {
    const r = await c.http.post(EVC, {
      name: 'mongo',
      dynamic_backup_path: true,
      uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 10 } },
      uni_z: { interface_id: intf(3, 1), tag: { tag_type: 'vlan', value: 20 } },
    });
    expect(r.status, r.text).to.equal(201);
    id = r.body.circuit_id as string;
    await until(async () => (await c.http.get(`${EVC}${id}`)).body.failover_path.length > 0, 10_000, 'failover path');
    const before = (await c.http.get(`${EVC}${id}`)).body;
    expect(await forwards()).to.equal(true);
    const flows = await durations(ovs, 'm2');
    await c.stop();
    c = await startMef({ CONSISTENCY_INTERVAL: 0.3 }, tempDataDir(), store());
    await ovs.setControllers(['m1', 'm2', 'm3', 'm4'], c.openflowPort);
    await until(() => c.controller.southbound.list().length === 4, 15_000, 'reconnected');
    const after = (await until(async () => {
      const e = (await c.http.get(`${EVC}${id}`)).body;
      return e.active ? e : undefined;
    }, 10_000, 'EVC back'))!;
    expect(after).to.deep.equal(before);
    expect(await c.controller.system.ask('napp:kytos/mef_eline', askMessage(checkEvcFlows, {}) as never, 10_000)).to.deep.equal([]);
    await until(async () => [...(await durations(ovs, 'm2'))].every(([k, d]) => d > flows.get(k)! + 0.5), 10_000, 'durations growing');
    expect([...(await durations(ovs, 'm2')).keys()].sort()).to.deep.equal([...flows.keys()].sort());
    expect(await forwards()).to.equal(true);
  });

  it('should move the EVC to its failover path on a cut, then remove every flow and give back every tag on deletion', async () => {
    // After the restart the links come back UP once their switches reconnected: cut one only then (a link
    // that never came back UP has no link_down to announce).
    await until(async () => {
      const links = (await c.http.get('/api/kytos/topology/v3/links')).body.links as Record<string, { status: string }>;
      return RING.every((i) => links[ringLink(i)]?.status === 'UP');
    }, 15_000, 'ring links UP again');
    const evc = (await c.http.get(`${EVC}${id}`)).body;
    const cut = RING.find((i) => ringLink(i) === evc.current_path[0].id)!;
    await ovs.delPort(`m${cut}`, `m${cut}-m${(cut % 4) + 1}`);
    await until(async () => {
      const e = (await c.http.get(`${EVC}${id}`)).body;
      return e.active && !e.current_path.some((l: { id: string }) => l.id === ringLink(cut));
    }, 10_000, 'on the failover path');
    expect(await forwards()).to.equal(true);
    expect((await c.http.delete(`${EVC}${id}`)).status).to.equal(200);
    await until(async () => {
      for (const i of RING) if ((await ovs.dumpFlows(`m${i}`)).some((l) => l.includes('cookie=0xaa'))) return false;
      return true;
    }, 10_000, 'no EVC flow left');
    expect(await tagRanges()).to.deep.equal(baseline);
  });
});
