import { expect } from 'chai';
import { tempDataDir } from '../../../src/main.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { dpidColon, dump, durations, FM, startFlowManager } from './harness.js';

const C1 = dpidColon(0x3101);
const C2 = dpidColon(0x3102);
const out = (port: number) => [{ action_type: 'output', port }];
const FLOWS = [
  { priority: 10, match: { in_port: 1 }, actions: out(2) },
  { priority: 11, match: { in_port: 2, dl_vlan: 10 }, actions: [{ action_type: 'pop_vlan' }, ...out(1)] },
  { priority: 12, cookie: 0xab, match: { dl_type: 0x800, nw_dst: '10.0.0.0/8' }, actions: out(1) },
];

describe('kytos/flow_manager consistency with real Open vSwitch', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;
  const dataDir = tempDataDir();
  const mgmt = (b: string) => `unix:${ovs.mgmtSocket(b)}`;
  const stored = async (dpid: string) => ((await c.http.get(`${FM}/stored_flows?dpid=${dpid}`)).body[dpid] ?? []) as any[];

  before(async function () {
    await skipWithoutOvs(this);
    c = await startFlowManager({}, { dataDir });
    ovs = await startOvs();
    await ovs.addBridges([1, 2].map((i) => ({ name: `c${i}`, dpid: 0x3100 + i, ports: [{ name: `c${i}-eth1`, ofport: 1 }, { name: `c${i}-eth2`, ofport: 2 }] })));
    await ovs.setControllers(['c1', 'c2'], c.openflowPort);
    await until(() => c.controller.southbound.list().length === 2, 15_000, 'switches connected');
    const r = await c.http.post(`${FM}/flows/${C1}?wait=installed`, { flows: FLOWS });
    expect(r.status).to.equal(201);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should reinstall the stored flows of a wiped switch within one interval', async () => {
    // Flows old enough that one left in place would show a longer duration than the repair took.
    await until(async () => [...(await durations(ovs, 'c1')).values()].every((d) => d >= 0.2), 3000, 'flows 0.2 s old');
    const wiped = Date.now();
    await ovs.ofctl(['del-flows', mgmt('c1')]);
    // (The repair may already be done when dump-flows first looks: durations prove the re-adds.)
    await until(async () => (await dump(ovs, 'c1')).length === 3, 3000, 'flows reinstalled');
    const since = (Date.now() - wiped) / 1000;
    for (const [line, d] of await durations(ovs, 'c1')) expect(d, `${line} added after the wipe`).to.be.at.most(since + 0.01);
  });

  it('should remove an alien flow and touch nothing else', async () => {
    const before = await durations(ovs, 'c1');
    await ovs.ofctl(['add-flow', mgmt('c1'), 'priority=77,in_port=2,actions=drop']);
    await until(async () => (await dump(ovs, 'c1')).some((l) => l.includes('priority=77')), 3000, 'alien present');
    await until(async () => !(await dump(ovs, 'c1')).some((l) => l.includes('priority=77')), 3000, 'alien removed');
    const after = await durations(ovs, 'c1');
    for (const [line, d] of before) expect(after.get(line), line).to.be.at.least(d);
  });

  it('should answer 424 for a disconnected switch, keep the flow pending and install it when the switch returns', async () => {
    await ovs.setController('c2', null);
    await until(() => c.controller.southbound.get(C2) === undefined, 10_000, 'c2 disconnected');
    const flow = { priority: 20, match: { in_port: 1 }, actions: out(2) };
    const r = await c.http.post(`${FM}/flows/${C2}`, { flows: [flow] });
    expect(r.status).to.equal(424);
    expect(r.body).to.deep.equal({ description: `switch ${C2} isn't connected`, code: 424 });
    const w = await c.http.post(`${FM}/flows/${C2}?wait=installed`, { flows: [{ ...flow, priority: 21 }] });
    expect(w.status).to.equal(424);
    const f = await c.http.post(`${FM}/flows/${C2}`, { force: true, flows: [{ ...flow, priority: 22 }] });
    expect(f.status).to.equal(202);
    expect((await stored(C2)).map((d) => d.state)).to.deep.equal(['pending', 'pending', 'pending']);
    await ovs.setController('c2', c.openflowPort);
    await until(async () => (await dump(ovs, 'c2')).length === 3, 10_000, 'pending flows installed on reconnect');
    await until(async () => (await stored(C2)).every((d) => d.state === 'installed'), 5000, 'installed');
  });

  it('should send no FLOW_MOD for installed flows after a restart (durations keep growing)', async () => {
    const t0 = Date.now();
    const before = await durations(ovs, 'c1');
    expect(before.size).to.equal(3);
    const port = c.openflowPort;
    await c.stop();
    c = await startFlowManager({}, { dataDir, openflowPort: port });
    await until(() => c.controller.southbound.list().length === 2, 15_000, 'switches reconnected');
    // Two consistency passes: the reported durations change twice.
    const seen = new Set<string>();
    await until(async () => {
      const f = (await c.http.get(`${FM}/flows/${C1}`)).body[C1]?.flows ?? [];
      if (f.length > 0) seen.add(JSON.stringify(f.map((x: any) => x.stats.duration_nsec)));
      return seen.size >= 3;
    }, 10_000, 'two consistency passes');
    expect((await stored(C1)).every((d) => d.state === 'installed')).to.equal(true);
    const elapsed = (Date.now() - t0) / 1000;
    const after = await durations(ovs, 'c1');
    expect(after.size).to.equal(3);
    for (const [line, d] of before) expect(after.get(line), line).to.be.at.least(d + elapsed - 1);
  });
});
