import { expect } from 'chai';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { dpidColon, dump, FM, startFlowManager } from './harness.js';

const S = dpidColon(0x3101);
const out = (port: number) => [{ action_type: 'output', port }];

/** `?wait=installed` against a real switch: 502 for what the switch refuses that is not the request's fault, 504 for a switch that does not answer. */
describe('kytos/flow_manager ?wait=installed with real Open vSwitch: 502 and 504', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;
  const stored = async () => ((await c.http.get(`${FM}/stored_flows?dpid=${S}`)).body[S] ?? []) as { state: string; flow: { priority: number } }[];

  before(async function () {
    await skipWithoutOvs(this);
    // A short wait, well under the time a stopped switch takes to be dropped for missed echoes.
    c = await startFlowManager({ WAIT_TIMEOUT: 1 });
    ovs = await startOvs();
    await ovs.addBridges([{ name: 'w1', dpid: 0x3101, ports: [{ name: 'w1-eth1', ofport: 1 }, { name: 'w1-eth2', ofport: 2 }] }]);
    await ovs.setControllers(['w1'], c.openflowPort);
    await until(() => c.controller.southbound.list().length === 1, 15_000, 'switch connected');
  });

  after(async () => {
    const pid = ovs?.pids.vswitchd;
    if (pid) process.kill(pid, 'SIGCONT');
    await c?.stop();
    await ovs?.stop();
  });

  it('should answer 502 with the index, error type and code of a flow the switch refuses on its own account (a table OVS keeps for itself), the others installed', async () => {
    const r = await c.http.post(`${FM}/flows/${S}?wait=installed`, {
      flows: [
        { priority: 501, match: { in_port: 1 }, actions: out(2) },
        { priority: 502, table_id: 254, match: { in_port: 1 }, actions: out(2) },
      ],
    });
    expect(r.status, r.text).to.equal(502);
    expect(r.body.description.errors).to.have.length(1);
    // OFPET_BAD_REQUEST (1), OFPBRC_EPERM (5): OVS keeps table 254 for itself. The request is not
    // malformed (BAD_MATCH, BAD_ACTION, BAD_INSTRUCTION would be 400): this switch will not take it.
    expect(r.body.description.errors[0]).to.deep.equal({ index: 1, error_type: 1, error_code: 5 });
    const docs = await stored();
    expect(docs.map((d) => d.flow.priority)).to.include(501).and.not.include(502);
    expect((await dump(ovs, 'w1')).some((l) => l.includes('priority=501'))).to.equal(true);
  });

  it('should answer 504 when the switch does not confirm within WAIT_TIMEOUT, keep the flow pending, and install it when the switch answers again', async () => {
    const pid = ovs.pids.vswitchd!;
    process.kill(pid, 'SIGSTOP');
    try {
      const r = await c.http.post(`${FM}/flows/${S}?wait=installed`, { flows: [{ priority: 503, match: { in_port: 2 }, actions: out(1) }] });
      expect(r.status, r.text).to.equal(504);
      expect((await stored()).find((d) => d.flow.priority === 503)?.state).to.equal('pending');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await until(async () => (await stored()).find((d) => d.flow.priority === 503)?.state === 'installed', 15_000, 'flow 503 installed once the switch answers');
    expect((await dump(ovs, 'w1')).some((l) => l.includes('priority=503'))).to.equal(true);
  });
});
