import { expect } from 'chai';
import { tempDataDir } from '../../../src/main.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { recordEvents } from '../../helpers/event-recorder.js';
import { askMessage, checkEvcFlows } from '../../../src/sdk/index.js';
import { durations } from '../flow_manager/harness.js';
import { connectRing, datapathActions, dpid, EVC, intf, startMef, startRing } from './harness.js';

const FM = '/api/kytos/flow_manager/v2';
const MEF = 'napp:kytos/mef_eline';
const FAST = { CONSISTENCY_INTERVAL: 0.3 };

describe('kytos/mef_eline lifecycle with real Open vSwitch', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;
  let id: string;
  const dataDir = tempDataDir();
  const uni = (i: number, port: number, value?: unknown) => ({ interface_id: intf(i, port), ...(value === undefined ? {} : { tag: { tag_type: 'vlan', value } }) });
  const get = async () => (await c.http.get(`${EVC}${id}`)).body;
  const svlans = (e: any) => e.current_path.map((l: any) => l.metadata.s_vlan.value);
  const forwards = async () => (await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=100')) === 'pop_vlan,push_vlan(vid=200,pcp=0),m3-eth1';

  before(async function () {
    await skipWithoutOvs(this);
    c = await startMef(FAST, dataDir);
    ovs = await startRing();
    await connectRing(c, ovs);
    const r = await c.http.post(EVC, { name: 'life', dynamic_backup_path: true, uni_a: uni(1, 1, 100), uni_z: uni(3, 1, 200), table_group: { evpl: 0, epl: 0 } });
    expect(r.status, r.text).to.equal(201);
    id = r.body.circuit_id;
    expect(await forwards()).to.equal(true);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should redeploy on new S-VLANs with try_avoid_same_s_vlan, still forwarding', async () => {
    const before = svlans(await get());
    const r = await c.http.patch(`${EVC}${id}/redeploy?try_avoid_same_s_vlan=true`);
    expect(r.status).to.equal(202);
    expect(r.body).to.deep.equal({ response: `Circuit ${id} redeploy received.` });
    const after = svlans(await get());
    expect(after).to.have.length(before.length);
    after.forEach((v: number, i: number) => expect(v).to.not.equal(before[i]));
    expect(await forwards()).to.equal(true);
    expect((await c.http.patch(`${EVC}${id}/redeploy?try_avoid_same_s_vlan=maybe`)).status).to.equal(400);
    expect((await get()).table_group).to.deep.equal({ evpl: 0, epl: 0 });
  });

  it('should keep metadata, single and bulk', async () => {
    expect((await c.http.post(`${EVC}${id}/metadata`, { a: 1 })).status).to.equal(201);
    expect((await c.http.post(`${EVC}metadata`, { circuit_ids: [id], b: 2 })).status).to.equal(201);
    expect((await c.http.get(`${EVC}${id}/metadata`)).body).to.deep.equal({ metadata: { a: 1, b: 2 } });
    const missing = await c.http.post(`${EVC}metadata`, { circuit_ids: [id, 'ffffffffffffff'], c: 3 });
    expect(missing.status).to.equal(404);
    expect(missing.body.description).to.deep.equal(['ffffffffffffff']);
    expect((await c.http.delete(`${EVC}${id}/metadata/a`)).status).to.equal(200);
    expect((await c.http.delete(`${EVC}metadata/b`, { circuit_ids: [id] })).status).to.equal(200);
    expect((await c.http.get(`${EVC}${id}/metadata`)).body).to.deep.equal({ metadata: { c: 3 } });
    expect((await c.http.get(`${EVC}?metadata.c=3`)).body).to.have.keys([id]);
  });

  it('should mark the EVC inactive while a UNI is down and active again when it is up (uni_active_updated), flows kept', async () => {
    const flowsBefore = (await ovs.dumpFlows('m1')).length;
    let updated = c.nextEvent('kytos/mef_eline\\.uni_active_updated', 10_000);
    await ovs.setLink('m1-eth1', false);
    expect((await updated).content.active).to.equal(false);
    expect((await get()).active).to.equal(false);
    expect((await ovs.dumpFlows('m1')).length).to.equal(flowsBefore);
    updated = c.nextEvent('kytos/mef_eline\\.uni_active_updated', 10_000);
    await ovs.setLink('m1-eth1', true);
    expect((await updated).content.active).to.equal(true);
    expect((await get()).active).to.equal(true);
  });

  it('should remove the flows when disabled by PATCH and put them back when enabled', async () => {
    let r = await c.http.patch(`${EVC}${id}`, { enabled: false });
    expect(r.status, r.text).to.equal(200);
    expect(r.body[id].enabled).to.equal(false);
    expect(r.body[id].active).to.equal(false);
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=100')).to.equal('drop');
    expect((await c.http.patch(`${EVC}${id}/redeploy`)).status).to.equal(409);
    r = await c.http.patch(`${EVC}${id}`, { enabled: true });
    expect(r.body.redeployed).to.equal(true);
    expect(await forwards()).to.equal(true);
  });

  it('should leave a switch\'s wiped flows to flow_manager and send nothing itself', async () => {
    const before = (await get()).last_deployed_at;
    const rec = recordEvents(c.bus, ['kytos/mef_eline\\..*']);
    await ovs.ofctl(['del-flows', `unix:${ovs.mgmtSocket('m2')}`]);
    await until(forwards, 10_000, 'flow_manager to reinstall');
    // mef_eline's check finds every flow in flow_manager's store: nothing to redeploy.
    expect(await c.controller.system.ask(MEF, askMessage(checkEvcFlows, {}) as never, 10_000)).to.deep.equal([]);
    rec.off();
    expect(rec.events.map((e) => e.name)).to.deep.equal([]);
    expect((await get()).last_deployed_at).to.equal(before);
  });

  it('should redeploy an EVC one of whose flows was deleted through flow_manager\'s API', async () => {
    const flows = (await c.http.get(`${FM}/stored_flows?dpid=${dpid(1)}`)).body[dpid(1)] as any[];
    const push = flows.find((f) => f.flow.match.in_port === 1 && f.flow.match.dl_vlan === 100)!;
    const deployed = c.nextEvent('kytos/mef_eline\\.deployed', 10_000);
    const cookie = (0xaan << 56n) + BigInt(`0x${id}`);
    const raw = `{"flows":[{"match":${JSON.stringify(push.flow.match)},"cookie":${cookie},"cookie_mask":18446744073709551615}]}`;
    const r = await c.http.request('DELETE', `${FM}/flows/${dpid(1)}`, { raw, contentType: 'application/json' });
    expect(r.status, r.text).to.equal(202);
    expect((await deployed).content.evc_id).to.equal(id);
    await until(forwards, 10_000, 'forwarding again');
    expect((await get()).last_deployed_at).to.be.a('string');
  });

  it('should come back after a restart with every EVC forwarding and no flow churn (durations growing)', async () => {
    const before = await durations(ovs, 'm2');
    expect(before.size).to.be.greaterThan(0);
    await c.stop();
    c = await startMef(FAST, dataDir);
    await ovs.setControllers(['m1', 'm2', 'm3', 'm4'], c.openflowPort);
    await until(() => c.controller.southbound.list().length === 4, 15_000, 'reconnected');
    await until(async () => (await c.http.get(`${EVC}${id}`)).body.active === true, 10_000, 'EVC restored');
    // A consistency round of mef_eline finds nothing missing; flow_manager's keeps the switch as it is.
    expect(await c.controller.system.ask(MEF, askMessage(checkEvcFlows, {}) as never, 10_000)).to.deep.equal([]);
    await until(async () => [...(await durations(ovs, 'm2'))].every(([k, d]) => d > before.get(k)! + 0.5), 10_000, 'durations growing');
    const after = await durations(ovs, 'm2');
    expect([...after.keys()].sort()).to.deep.equal([...before.keys()].sort());
    for (const [k, d] of before) expect(after.get(k)!).to.be.greaterThan(d);
    expect(await forwards()).to.equal(true);
  });
});
