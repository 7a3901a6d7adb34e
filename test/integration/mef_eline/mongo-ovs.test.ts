import { expect } from 'chai';
import { tempDataDir } from '../../../src/main.js';
import { askMessage, checkEvcFlows } from '../../../src/sdk/index.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { durations } from '../flow_manager/harness.js';
import { connectRing, datapathActions, EVC, intf, startMef, startRing } from './harness.js';

describe('kytos/mef_eline on the MongoDB adapter with real Open vSwitch', function () {
  this.timeout(90_000);
  let wire: MongoWire;
  let ovs: Ovs;
  let c: TestController;
  const store = () => ({ backend: 'mongodb', mongodbUri: wire.uri, mongodbDatabase: 'mef' });
  const forwards = async () => (await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=10')) === 'pop_vlan,push_vlan(vid=20,pcp=0),m3-eth1';

  before(async function () {
    await skipWithoutOvs(this);
    wire = await startMongoWireOrSkip(this);
    c = await startMef({ CONSISTENCY_INTERVAL: 0.3 }, tempDataDir(), store());
    ovs = await startRing();
    await connectRing(c, ovs);
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
    const id = r.body.circuit_id as string;
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
});
