import { expect } from 'chai';
import { tempDataDir } from '../../../src/main.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { connectRing, datapathActions, EVC, intf, RING, ringLink, startMef, startRing, withFailover } from './harness.js';

/**
 * A link cut while the controller is stopped never comes back UP after the
 * restart, so topology never announces it down: mef_eline's consistency check
 * finds the EVC on it (both switches UP, the link not, for DEAD_LINK_GRACE)
 * and moves it as a link_down would.
 */
describe('kytos/mef_eline: a link cut while the controller is stopped', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;
  const dataDir = tempDataDir();
  const settings = { CONSISTENCY_INTERVAL: 0.3, DEAD_LINK_GRACE: 1 };
  const forwards = async () => (await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=100')) === 'pop_vlan,push_vlan(vid=200,pcp=0),m3-eth1';

  before(async function () {
    await skipWithoutOvs(this);
    c = await startMef(settings, dataDir);
    ovs = await startRing();
    await connectRing(c, ovs);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should move the EVC off the cut link after the restart, still forwarding', async () => {
    const r = await c.http.post(EVC, { name: 'away', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 100 } }, uni_z: { interface_id: intf(3, 1), tag: { tag_type: 'vlan', value: 200 } } });
    expect(r.status, r.text).to.equal(201);
    const id = r.body.circuit_id as string;
    const evc = await withFailover(c, id);
    const cut = RING.find((i) => ringLink(i) === evc.current_path[0].id)!;
    await c.stop();
    await ovs.delPort(`m${cut}`, `m${cut}-m${(cut % 4) + 1}`);
    c = await startMef(settings, dataDir);
    await ovs.setControllers(RING.map((i) => `m${i}`), c.openflowPort);
    const moved = (await until(async () => {
      const e = (await c.http.get(`${EVC}${id}`)).body;
      return e.active && e.current_path.length > 0 && !e.current_path.some((l: { id: string }) => l.id === ringLink(cut)) ? e : undefined;
    }, 20_000, 'the EVC off the cut link'))!;
    expect(moved.current_path.map((l: { id: string }) => l.id)).to.deep.equal(evc.failover_path.map((l: { id: string }) => l.id));
    await until(forwards, 10_000, 'forwarding on the failover path');
  });
});
