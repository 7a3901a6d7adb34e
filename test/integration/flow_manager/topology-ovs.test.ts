import { expect } from 'chai';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { dpidColon, dump, FM, startFlowManager } from './harness.js';

const T1 = dpidColon(0x3301);
const flow = { priority: 30, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] };

describe('kytos/flow_manager with kytos/topology (enabled switches)', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;

  before(async function () {
    await skipWithoutOvs(this);
    c = await startFlowManager({}, { napps: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager'] });
    ovs = await startOvs();
    await ovs.addBridge('t1', 0x3301, { ports: [{ name: 't1-eth1', ofport: 1 }, { name: 't1-eth2', ofport: 2 }] });
    await ovs.setController('t1', c.openflowPort);
    await until(async () => (await c.http.get(`/api/kytos/topology/v3/switches`)).body?.switches?.[T1] !== undefined, 15_000, 'switch in topology');
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should install on an enabled switch, answer 404 for an add to a disabled one and accept its delete', async () => {
    expect((await c.http.post(`${FM}/flows/${T1}?wait=installed`, { flows: [flow] })).status).to.equal(201);
    expect((await c.http.post(`/api/kytos/topology/v3/switches/${T1}/disable`)).status).to.equal(201);
    const r = await c.http.post(`${FM}/flows/${T1}`, { flows: [{ ...flow, priority: 31 }] });
    expect(r.status).to.equal(404);
    expect(r.body.description).to.equal(`Switch ${T1} is disabled.`);
    expect((await c.http.request('DELETE', `${FM}/flows/${T1}`, { json: { flows: [{ match: { in_port: 1 } }] } })).status).to.equal(202);
    await until(async () => (await dump(ovs, 't1')).length === 0, 5000, 'flow deleted');
    const unknown = await c.http.post(`${FM}/flows/00:00:00:00:00:00:77:77`, { flows: [flow] });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.description).to.deep.equal({ response: 'dpid not found.' });
  });
});
