import { expect } from 'chai';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { ovsAvailable, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { dpidColon, dump, FM, startFlowManager } from './harness.js';

const S1 = dpidColon(0x3001);
const S2 = dpidColon(0x3002);

describe('kytos/flow_manager with real Open vSwitch', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;

  before(async function () {
    if (!(await ovsAvailable())) {
      console.log('    (skipped: Open vSwitch not installed; CI=true makes this a failure)');
      this.skip();
    }
    c = await startFlowManager();
    ovs = await startOvs();
    await ovs.addBridges([
      { name: 'f1', dpid: 0x3001, ports: [{ name: 'f1-eth1', ofport: 1 }, { name: 'f1-eth2', ofport: 2 }] },
      { name: 'f2', dpid: 0x3002, ports: [{ name: 'f2-eth1', ofport: 1 }] },
    ]);
    await ovs.setControllers(['f1', 'f2'], c.openflowPort);
    await until(async () => (await c.http.get(`/api/kytos/flow_manager/v2/flows/${S2}`)).status === 200, 15_000, 'switches known');
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should answer 202 with Kytos-ng\'s exact body, store the flow and install it', async () => {
    const r = await c.http.post(`${FM}/flows/${S1}`, { flows: [{ priority: 10, match: { in_port: 1, dl_vlan: 100 }, actions: [{ action_type: 'output', port: 2 }] }] });
    expect(r.status).to.equal(202);
    expect(r.text).to.equal('{"response":"FlowMod Messages Sent"}');
    await until(async () => (await dump(ovs, 'f1')).some((l) => l.includes('priority=10,in_port=1,dl_vlan=100 actions=output:2')), 5000, 'flow in dump-flows');
    const stored = await until(async () => {
      const s = (await c.http.get(`${FM}/stored_flows?dpid=${S1}`)).body;
      return s[S1]?.[0]?.state === 'installed' ? s : undefined;
    }, 5000, 'installed');
    expect(stored[S1][0]).to.include({ switch: S1, state: 'installed' });
    expect(stored[S1][0].flow).to.deep.equal({ table_id: 0, table_group: 'base', priority: 10, cookie: 0, idle_timeout: 0, hard_timeout: 0, match: { in_port: 1, dl_vlan: 100 }, actions: [{ action_type: 'output', port: 2 }] });
  });
});
