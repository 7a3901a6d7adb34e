import { expect } from 'chai';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { ovsAvailable, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { connectRing, datapathActions, EVC, intf, startMef, startRing } from './harness.js';

describe('kytos/mef_eline with real Open vSwitch (ring of 4)', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;

  before(async function () {
    if (!(await ovsAvailable())) {
      console.log('    (skipped: Open vSwitch not installed; CI=true makes this a failure)');
      this.skip();
    }
    c = await startMef();
    ovs = await startRing();
    await connectRing(c, ovs);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  const create = async (body: Record<string, unknown>) => {
    const r = await c.http.post(EVC, body);
    expect(r.status, r.text).to.equal(201);
    expect(r.body.deployed, r.text).to.equal(true);
    return r.body.circuit_id as string;
  };
  const uni = (i: number, port: number, value?: unknown) => ({ interface_id: intf(i, port), ...(value === undefined ? {} : { tag: { tag_type: 'vlan', value } }) });

  it('should carry an EVPL frame from UNI A with tag 100 to UNI Z with tag 200, through one output, both ways', async () => {
    const id = await create({ name: 'evpl', dynamic_backup_path: true, uni_a: uni(1, 1, 100), uni_z: uni(3, 1, 200) });
    const evc = (await c.http.get(`${EVC}${id}`)).body;
    expect(evc.active).to.equal(true);
    expect(evc.current_path).to.have.length(2);
    expect(evc.failover_path).to.have.length(2);
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=100')).to.equal('pop_vlan,push_vlan(vid=200,pcp=0),m3-eth1');
    expect(await datapathActions(ovs, 'm3', 'in_port=m3-eth1,dl_vlan=200')).to.equal('pop_vlan,push_vlan(vid=100,pcp=0),m1-eth1');
    const flows = await ovs.dumpFlows('m1');
    expect(flows.every((l) => /cookie=0xaa/.test(l))).to.equal(true);
  });

  it('should carry an EPL frame (tagged or not) unchanged between whole ports', async () => {
    await create({ name: 'epl', dynamic_backup_path: true, uni_a: uni(2, 1), uni_z: uni(4, 1) });
    expect(await datapathActions(ovs, 'm2', 'in_port=m2-eth1,dl_vlan=7')).to.equal('m4-eth1');
    expect(await datapathActions(ovs, 'm2', 'in_port=m2-eth1')).to.equal('m4-eth1');
    expect(await datapathActions(ovs, 'm4', 'in_port=m4-eth1,dl_vlan=9')).to.equal('m2-eth1');
  });

  it('should answer 409 for a second no-tag UNI on the same interface and reserve nothing', async () => {
    const tags = async () => (await c.http.get(`/api/kytos/topology/v3/interfaces/${intf(3, 4)}/tag_ranges`)).body[intf(3, 4)].available_tags.vlan;
    const before = await tags();
    const r = await c.http.post(EVC, { name: 'dup', dynamic_backup_path: true, uni_a: uni(2, 1), uni_z: uni(3, 4, 77) });
    expect(r.status, r.text).to.equal(409);
    expect(r.body.description).to.match(/^DuplicatedNoTagUNI/);
    expect(await tags()).to.deep.equal(before);
    expect(JSON.stringify(before)).to.not.include('[77,77]');
  });

  it('should carry any tagged frame between `any` UNIs and drop untagged ones', async () => {
    await create({ name: 'any', dynamic_backup_path: true, uni_a: uni(1, 4, 'any'), uni_z: uni(3, 4, 'any') });
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth4,dl_vlan=55')).to.equal('m3-eth4');
    expect(await datapathActions(ovs, 'm3', 'in_port=m3-eth4,dl_vlan=3000')).to.equal('m1-eth4');
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth4')).to.equal('drop');
  });

  it('should tag an untagged frame with the far UNI\'s VLAN and untag it back', async () => {
    const id = await create({ name: 'untagged', dynamic_backup_path: true, uni_a: uni(2, 4, 'untagged'), uni_z: uni(4, 4, 300) });
    expect(await datapathActions(ovs, 'm2', 'in_port=m2-eth4')).to.equal('push_vlan(vid=300,pcp=0),m4-eth4');
    expect(await datapathActions(ovs, 'm4', 'in_port=m4-eth4,dl_vlan=300')).to.equal('pop_vlan,m2-eth4');
    const evc = (await c.http.get(`${EVC}${id}`)).body;
    expect(evc.uni_a.tag).to.deep.equal({ tag_type: 'vlan', value: 'untagged' });
  });
});
