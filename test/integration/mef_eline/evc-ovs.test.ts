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
});
