import { expect } from 'chai';
import { join } from 'node:path';
import { tempDataDir } from '../../../src/main.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { buildFrame } from '../../../napps/kytos/of_lldp/frame.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { inject, LLDP, pcapFrames, startLldp, TOPO, type LldpController } from './harness.js';

const POLL = 0.3;
const LINK_UP = 0.3;
const dpid = (i: number) => dpidColon(0x4000 + i);
const intf = (i: number, port: number) => `${dpid(i)}:${port}`;
/** Ring s1-s2-s3-s4-s1: port 2 towards the next switch, port 3 towards the previous; port 1 a host port. */
const RING = [1, 2, 3, 4].map((i) => linkId(intf(i, 2), intf((i % 4) + 1, 3)));

describe('kytos/of_lldp with real Open vSwitch', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: LldpController;
  const dataDir = tempDataDir();
  const get = (path: string) => c.t.http.get(path);
  const post = (path: string, json?: unknown) => c.t.http.post(path, json);
  const links = async () => (await get(`${TOPO}/links`)).body.links as Record<string, any>;
  const counters = async () => (await get(`${LLDP}/counters`)).body as { sent: number; accepted: number; rejected: Record<string, number>; one_way: number };

  before(async function () {
    await skipWithoutOvs(this);
    c = await startLldp(dataDir, { LLDP_LOOP_ACTIONS: ['log', 'disable'] });
    ovs = await startOvs();
    await ovs.addBridges([1, 2, 3, 4].map((i) => ({ name: `s${i}`, dpid: 0x4000 + i, ports: [{ name: `s${i}-eth1`, ofport: 1 }] })));
    for (const i of [1, 2, 3, 4]) await ovs.link(`s${i}`, `s${(i % 4) + 1}`, { aOfport: 2, bOfport: 3 });
    await ovs.vsctl(['set', 'interface', 's1-eth1', `options:tx_pcap=${join(ovs.dir, 's1-eth1.pcap')}`]);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should discover a ring of 4 as exactly 4 links UP within 2 polling intervals + LINK_UP_TIMER', async () => {
    await ovs.setControllers([...ovs.bridges.keys()], c.t.openflowPort);
    // The clock starts when every switch is in the topology with its ports.
    await until(async () => {
      const sws = Object.values((await get(`${TOPO}/switches`)).body.switches as Record<string, any>);
      return sws.length === 4 && sws.every((s) => s.active && Object.values(s.interfaces).filter((i: any) => i.active).length >= 4);
    }, 15_000, 'four switches with their ports');
    // And the punt flow is on every switch.
    await until(async () => {
      for (const i of [1, 2, 3, 4]) if (!(await ovs.dumpFlows(`s${i}`)).some((l) => l.includes('dl_vlan=3799') && l.includes('CONTROLLER'))) return false;
      return true;
    }, 15_000, 'the punt flows');
    const t0 = Date.now();
    const up = await until(async () => {
      const l = await links();
      return Object.values(l).filter((x) => x.status === 'UP').length === 4 ? l : undefined;
    }, 10_000, 'four links UP').then((x) => x!);
    const took = (Date.now() - t0) / 1000;
    expect(took, 'seconds to 4 links UP').to.be.below(2 * POLL + LINK_UP + 0.5);
    expect(Object.keys(up).sort()).to.deep.equal([...RING].sort());
  });

  it('should install the punt flow as Kytos-ng (priority 50000, cookie 0xab<<56 | dpid, dl_vlan 3799, CONTROLLER)', async () => {
    const flows = await ovs.dumpFlows('s2');
    const punt = flows.find((l) => l.includes('dl_vlan=3799'));
    expect(punt).to.include('priority=50000').and.include('cookie=0xab00000000004002').and.include('dl_type=0x88cc').and.include('actions=CONTROLLER:65535');
    const stored = (await get(`/api/kytos/flow_manager/v2/stored_flows?dpid=${dpid(2)}`)).body[dpid(2)];
    expect(stored.some((f: any) => f.flow.owner === 'of_lldp')).to.equal(true);
  });

  it('should create no link from a captured frame injected on another host port after the window, and count it stale', async () => {
    const pcap = join(ovs.dir, 's1-eth1.pcap');
    const frame = await until(() => pcapFrames(pcap).find((f) => f.readUInt16BE(16) === 0x88cc), 5000, 'an LLDP frame sent out of s1-eth1').then((x) => x!);
    const sentAt = Date.now();
    const before = await counters();
    // Past the freshness window (2 x polling time) by the wall clock, then replayed on s2's host port.
    await until(() => Date.now() - sentAt > 2 * POLL * 1000 + 100, 5000, 'the window to pass');
    await inject(ovs, 's2-eth1', frame);
    await until(async () => ((await counters()).rejected.stale ?? 0) > (before.rejected.stale ?? 0), 5000, 'the stale frame counted');
    const l = await links();
    expect(Object.keys(l)).to.have.length(4);
    expect(Object.values(l).some((x) => [x.endpoint_a.id, x.endpoint_b.id].includes(intf(2, 1)))).to.equal(false);
  });

  it('should create no link from a relayed frame inside the window: one direction only is counted one_way', async () => {
    const pcap = join(ovs.dir, 's1-eth1.pcap');
    const before = await counters();
    const count0 = pcapFrames(pcap).length;
    // A fresh genuine frame from s1:1, relayed at once to s3's host port.
    const fresh = await until(() => pcapFrames(pcap).slice(count0).find((f) => f.readUInt16BE(16) === 0x88cc), 5000, 'a fresh frame from s1-eth1').then((x) => x!);
    await inject(ovs, 's3-eth1', fresh);
    await until(async () => (await counters()).one_way > before.one_way, 5000, 'the relayed frame accepted one way');
    const after = await counters();
    expect(after.rejected).to.deep.equal(before.rejected);
    // Two more rounds: still no link between s1:1 and s3:1.
    const sent = after.sent;
    await until(async () => (await counters()).sent >= sent + 2 * 12, 5000, 'two more rounds');
    expect(Object.keys(await links())).to.have.length(4);
  });

  it('should create no link from a frame without the authentication TLV or with a wrong MAC, and count each', async () => {
    const before = await counters();
    const plain = buildFrame({ dpid: dpid(1), port: 1, src: '0e:00:00:00:41:01', vlan: 3799 });
    const forged = buildFrame({ dpid: dpid(1), port: 1, src: '0e:00:00:00:41:01', vlan: 3799, auth: { key: Buffer.alloc(32, 7), timestamp: Date.now() } });
    await inject(ovs, 's4-eth1', plain);
    await inject(ovs, 's4-eth1', forged);
    const after = await until(async () => {
      const x = await counters();
      return (x.rejected.no_tlv ?? 0) > (before.rejected.no_tlv ?? 0) && (x.rejected.bad_mac ?? 0) > (before.rejected.bad_mac ?? 0) ? x : undefined;
    }, 5000, 'both rejections counted');
    expect(after!.rejected.no_tlv).to.equal((before.rejected.no_tlv ?? 0) + 1);
    expect(after!.rejected.bad_mac).to.equal((before.rejected.bad_mac ?? 0) + 1);
    expect(Object.keys(await links())).to.have.length(4);
    // The same counts in core/status.
    const status = (await get('/api/kytos/core/status/')).body;
    const rejected = status.metrics.lattice_lldp_frames_rejected_total as { reason: string; value: number }[];
    const by = Object.fromEntries(rejected.map((x) => [x.reason, x.value]));
    expect(by).to.deep.include({ no_tlv: after!.rejected.no_tlv, bad_mac: after!.rejected.bad_mac, stale: after!.rejected.stale });
  });

  it('should count a malformed LLDP frame and drop it without touching the topology', async () => {
    const before = await counters();
    const v0 = (await get(`${TOPO}/`)).headers.get('etag');
    const good = buildFrame({ dpid: dpid(1), port: 1, src: '0e:00:00:00:41:01', vlan: 3799 });
    const cut = good.subarray(0, good.length - 9); // the TTL TLV cut short, no End
    await inject(ovs, 's4-eth1', cut);
    await until(async () => ((await counters()).rejected.malformed ?? 0) > (before.rejected.malformed ?? 0), 5000, 'the malformed frame counted');
    expect((await get(`${TOPO}/`)).headers.get('etag')).to.equal(v0);
  });

  it('should take a link down when one side of its patch pair is deleted, and bring the same link id back when re-added', async () => {
    const id = linkId(intf(1, 2), intf(2, 3));
    await ovs.delPort('s1', 's1-s2');
    await until(async () => (await links())[id]?.status === 'DOWN', 10_000, 'the link DOWN');
    await ovs.vsctl(['add-port', 's1', 's1-s2', '--', 'set', 'interface', 's1-s2', 'type=patch', 'options:peer=s2-s1', 'ofport_request=2']);
    await until(async () => (await links())[id]?.status === 'UP', 10_000, 'the same link UP again');
    expect(Object.keys(await links())).to.have.length(4);
  });

  it('should stop LLDP on a port where it is disabled, NNIs keeping theirs, and show it in v1/interfaces and topology', async () => {
    const pcap = join(ovs.dir, 's1-eth1.pcap');
    const r = await post(`${LLDP}/interfaces/disable`, { interfaces: [intf(1, 1)] });
    expect(r.status).to.equal(200);
    expect(r.body).to.equal('All the requested interfaces have been disabled.');
    const listed = (await get(`${LLDP}/interfaces`)).body.interfaces as string[];
    expect(listed).to.not.include(intf(1, 1));
    expect(listed).to.include(intf(1, 2));
    await until(async () => (await get(`${TOPO}/interfaces`)).body.interfaces[intf(1, 1)].lldp === false, 5000, 'topology to show lldp false');
    // Let a round that may have started before the change end, then count.
    const s0 = (await counters()).sent;
    await until(async () => (await counters()).sent >= s0 + 12, 5000, 'one more round');
    const n0 = pcapFrames(pcap).length;
    const s1 = (await counters()).sent;
    await until(async () => (await counters()).sent >= s1 + 2 * 11, 5000, 'two more rounds');
    expect(pcapFrames(pcap).length).to.equal(n0);
    expect(Object.values(await links()).filter((x) => x.status === 'UP')).to.have.length(4);
    const back = await post(`${LLDP}/interfaces/enable`, { interfaces: [intf(1, 1)] });
    expect(back.body).to.equal('All the requested interfaces have been enabled.');
    await until(() => pcapFrames(pcap).length > n0, 5000, 'LLDP again on s1-eth1');
  });

  it('should answer unknown interface ids with Kytos-ng statuses and messages', async () => {
    const bad = '00:00:00:00:00:00:99:99:1';
    const en = await post(`${LLDP}/interfaces/enable`, { interfaces: [intf(1, 1), bad] });
    expect(en.status).to.equal(400);
    expect(en.body).to.deep.equal({ "Some interfaces couldn't be found and activated: ": [bad] });
    const dis = await post(`${LLDP}/interfaces/disable`, { interfaces: [bad] });
    expect(dis.status).to.equal(400);
    expect(dis.body).to.deep.equal({ "Some interfaces couldn't be found and deactivated: ": [bad] });
    const lv = await post(`${LLDP}/liveness/enable`, { interfaces: [bad] });
    expect(lv.status).to.equal(404);
    expect(lv.body).to.deep.equal({ description: `Interface IDs {'${bad}'} not found`, code: 404 });
    const empty = await post(`${LLDP}/liveness/enable`, { interfaces: [] });
    expect(empty.body).to.deep.equal({ description: 'Interfaces payload is empty', code: 400 });
  });

  it('should keep liveness up on both ends of a link, down when LLDP is blocked one way, and forget it when disabled', async () => {
    const a = intf(1, 2);
    const b = intf(2, 3);
    const id = linkId(a, b);
    const on = await post(`${LLDP}/liveness/enable`, { interfaces: [a, b] });
    expect(on.status).to.equal(200);
    expect(on.body).to.deep.equal({});
    await until(async () => {
      const p = (await get(`${LLDP}/liveness/pair`)).body.pairs as any[];
      return p.length === 1 && p[0].status === 'up';
    }, 5000, 'liveness up');
    const pair = (await get(`${LLDP}/liveness/pair`)).body.pairs[0];
    expect(pair.interface_a.id).to.equal(a);
    expect(pair.interface_b.id).to.equal(b);
    expect(pair.link_id).to.equal(id);
    const one = (await get(`${LLDP}/liveness/?interface_id=${encodeURIComponent(a)}`)).body.interfaces;
    expect(one).to.have.length(1);
    expect(one[0]).to.include({ id: a, status: 'up' });
    await until(async () => (await links())[id]?.metadata.liveness_status === 'up', 5000, 'liveness_status up on the link');
    // Block LLDP towards s2: its punt flow goes (flow_manager's consistency pass puts it back later).
    await ovs.ofctl(['del-flows', `unix:${ovs.mgmtSocket('s2')}`, 'cookie=0xab00000000004002/-1']);
    const down = await until(async () => {
      const l = (await links())[id];
      return l?.metadata.liveness_status === 'down' ? l : undefined;
    }, 5000, 'liveness down on the link').then((x) => x!);
    expect(down.status).to.equal('DOWN');
    expect(down.status_reason).to.include('liveness');
    const off = await post(`${LLDP}/liveness/disable`, { interfaces: [a, b] });
    expect(off.status).to.equal(200);
    expect((await get(`${LLDP}/liveness/`)).body).to.deep.equal({ interfaces: [] });
    expect((await get(`${LLDP}/liveness/pair`)).body).to.deep.equal({ pairs: [] });
    await until(async () => (await links())[id]?.metadata.liveness_status === undefined, 5000, 'liveness_status gone');
  });

  it('should raise loop.detected for a patch pair joining two ports of one bridge, and disable the port with the disable action', async () => {
    await ovs.addBridge('s5', 0x4005, { ports: [] });
    await ovs.link('s5', 's5', { a: 's5-p10', b: 's5-p11', aOfport: 10, bOfport: 11 });
    await ovs.setController('s5', c.t.openflowPort);
    const detected = await c.waitEvent((e) => e.name === 'kytos/of_lldp.loop.detected', 15_000);
    expect(detected.content).to.deep.equal({ interface_id: intf(5, 10), dpid: dpid(5), port_numbers: [10, 11] });
    expect(c.events.some((e) => e.name === 'kytos/of_lldp.loop.action.disable')).to.equal(true);
    await until(async () => (await get(`${TOPO}/interfaces`)).body.interfaces[intf(5, 10)]?.enabled === false, 5000, 'the looped port disabled');
    // Disabled, it sends no LLDP: the loop stops.
    const stopped = await c.waitEvent((e) => e.name === 'kytos/of_lldp.loop.stopped', 10_000);
    expect(stopped.content).to.deep.include({ dpid: dpid(5), port_numbers: [10, 11] });
  });

  it('should set and get polling_time with the byte-exact body and the 400s of section 4.1', async () => {
    const ok = await c.t.http.request('POST', `${LLDP}/polling_time`, { raw: '{"polling_time": 1}', contentType: 'text/plain' });
    expect(ok.status).to.equal(200);
    expect(ok.text).to.equal('"Polling time has been updated."');
    expect((await get(`${LLDP}/polling_time`)).body).to.deep.equal({ polling_time: 1 });
    const zero = await post(`${LLDP}/polling_time`, { polling_time: 0 });
    expect(zero.status).to.equal(400);
    expect(zero.body).to.deep.equal({ description: 'invalid polling_time 0, must be greater than zero', code: 400 });
    const missing = await post(`${LLDP}/polling_time`, {});
    expect(missing.body).to.deep.equal({ description: "This operation is not completed: 'polling_time'", code: 400 });
    const word = await post(`${LLDP}/polling_time`, { polling_time: 'abc' });
    expect(word.body).to.deep.equal({ description: "This operation is not completed: invalid literal for int() with base 10: 'abc'", code: 400 });
    const junk = await c.t.http.request('POST', `${LLDP}/polling_time`, { raw: '{', contentType: 'application/json' });
    expect(junk.status).to.equal(400);
    expect(junk.body.description).to.match(/^Invalid json: /);
    const empty = await c.t.http.request('POST', `${LLDP}/polling_time`, { raw: '', contentType: 'text/plain' });
    expect([empty.status, empty.body.description]).to.deep.equal([400, 'Invalid json: the request has no body']);
    // The body is decoded by the server within its JSON limits (http.maxJsonDepth, 64 by default), Content-Type or not.
    const deep = await c.t.http.request('POST', `${LLDP}/polling_time`, { raw: `{"polling_time": ${'['.repeat(100)}${']'.repeat(100)}}`, contentType: 'text/plain' });
    expect([deep.status, deep.body.description]).to.deep.equal([400, 'Request body nests deeper than http.maxJsonDepth (64)']);
    const deepIds = await c.t.http.request('POST', `${LLDP}/interfaces/enable`, { raw: `{"interfaces": ${'['.repeat(100)}${']'.repeat(100)}}` });
    expect([deepIds.status, deepIds.body.description]).to.deep.equal([400, 'Request body nests deeper than http.maxJsonDepth (64)']);
    expect((await get(`${LLDP}/polling_time`)).body, 'refused bodies change nothing').to.deep.equal({ polling_time: 1 });
    // Back to the fast test setting (fractions are a setting, not an API value).
    await post(`${LLDP}/polling_time`, { polling_time: 1 });
  });

  it('should move the punt flow to the table of_multi_table enables (enable_table), answer it, and keep discovering through that table', async () => {
    // A pipeline as of_multi_table would make it: table 0 sends what it does not match to table 2.
    for (const i of [1, 2, 3, 4]) {
      const r = await post(`/api/kytos/flow_manager/v2/flows/${dpid(i)}?wait=installed`, { flows: [{ priority: 1, match: {}, instructions: [{ instruction_type: 'goto_table', table_id: 2 }] }] });
      expect(r.status, r.text).to.equal(201);
    }
    const answered = c.t.nextEvent('kytos/of_lldp\\.enable_table', 10_000);
    c.t.bus.publish('kytos/of_multi_table.enable_table', { of_lldp: { base: 2 }, mef_eline: { evpl: 3 } });
    expect((await answered).content).to.deep.equal({ group_table: { base: 2 } });
    const punts = async (i: number) => (await ovs.dumpFlows(`s${i}`)).filter((l) => l.includes('dl_vlan=3799'));
    await until(async () => {
      for (const i of [1, 2, 3, 4]) {
        const lines = await punts(i);
        if (lines.length !== 1 || !lines[0].includes('table=2') || !lines[0].includes('actions=CONTROLLER')) return false;
      }
      return true;
    }, 10_000, 'one punt flow per switch, in table 2');
    const stored = (await get(`/api/kytos/flow_manager/v2/stored_flows?dpid=${dpid(1)}&state=installed`)).body[dpid(1)] as any[];
    expect(stored.filter((f) => f.flow.owner === 'of_lldp').map((f) => [f.flow.table_id, f.flow.table_group])).to.deep.equal([[2, 'base']]);
    // LLDP keeps arriving (through table 0's goto and table 2's punt): frames accepted, the 4 links UP.
    const before = await counters();
    await until(async () => (await counters()).accepted >= before.accepted + 8, 10_000, 'frames accepted through table 2');
    expect(Object.values(await links()).filter((l) => l.status === 'UP')).to.have.length(4);
    // A group of_lldp does not have is refused (logged), nothing moves.
    c.t.bus.publish('kytos/of_multi_table.enable_table', { of_lldp: { epl: 5 } });
    await until(async () => (await counters()).accepted >= before.accepted + 12, 10_000, 'more frames');
    for (const i of [1, 2, 3, 4]) expect((await punts(i)).map((l) => l.includes('table=2'))).to.deep.equal([true]);
  });
});
