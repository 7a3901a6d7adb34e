import { expect } from 'chai';
import { interfaceIsNni } from '../../../src/sdk/index.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { connectRing, datapathActions, EVC, intf, ringLink, startMef, startRing } from './harness.js';

const ends = (i: number) => {
  const j = (i % 4) + 1;
  return { endpoint_a: { id: intf(i, 2) }, endpoint_b: { id: intf(j, 3) } };
};

describe('kytos/mef_eline static paths with real Open vSwitch (ring of 4)', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;

  before(async function () {
    await skipWithoutOvs(this);
    c = await startMef();
    ovs = await startRing();
    await connectRing(c, ovs);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should use the backup path while the primary is cut and return to the primary when its link is up again', async () => {
    const r = await c.http.post(EVC, {
      name: 'static',
      uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 10 } },
      uni_z: { interface_id: intf(2, 1), tag: { tag_type: 'vlan', value: 20 } },
      primary_path: [ends(1)],
      backup_path: [ends(4), ends(3), ends(2)].map((l) => ({ endpoint_a: l.endpoint_b, endpoint_b: l.endpoint_a })),
    });
    expect(r.status, r.text).to.equal(201);
    const id = r.body.circuit_id as string;
    const path = async () => ((await c.http.get(`${EVC}${id}`)).body.current_path as { id: string }[]).map((l) => l.id);
    const fwd = 'pop_vlan,push_vlan(vid=20,pcp=0),m2-eth1';
    expect(await path()).to.deep.equal([ringLink(1)]);
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=10')).to.equal(fwd);
    await ovs.delPort('m1', 'm1-m2');
    await until(async () => (await path()).length === 3, 10_000, 'on the backup path');
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=10')).to.equal(fwd);
    expect((await ovs.dumpFlows('m3')).some((l) => l.includes('cookie=0xaa'))).to.equal(true);
    await ovs.vsctl(['--', 'add-port', 'm1', 'm1-m2', '--', 'set', 'interface', 'm1-m2', 'type=patch', 'options:peer=m2-m1', 'ofport_request=2']);
    await until(async () => {
      const intfs = (await c.http.get('/api/kytos/topology/v3/interfaces')).body.interfaces as Record<string, { active: boolean }>;
      return intfs[intf(1, 2)]?.active;
    }, 10_000, 'port back');
    c.bus.publish(interfaceIsNni.type, { interface_a: { id: intf(1, 2) }, interface_b: { id: intf(2, 3) } });
    await until(async () => (await path()).join() === ringLink(1), 10_000, 'back on the primary path');
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=10')).to.equal(fwd);
    await until(async () => (await ovs.dumpFlows('m3')).every((l) => !l.includes('cookie=0xaa')), 10_000, 'backup path flows removed');
  });
});
