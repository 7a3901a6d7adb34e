import { expect } from 'chai';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { connectRing, datapathActions, EVC, intf, ringLink, startMef, startRing, withFailover } from './harness.js';

describe('kytos/mef_eline with real Open vSwitch (ring of 4)', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;
  let baseline: Record<string, unknown>;
  const tagRanges = async () =>
    Object.fromEntries(Object.entries((await c.http.get('/api/kytos/topology/v3/interfaces/tag_ranges')).body as Record<string, any>).map(([k, v]) => [k, v.available_tags.vlan]));
  const traces = async () => ({
    evpl: await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=100'),
    evplBack: await datapathActions(ovs, 'm3', 'in_port=m3-eth1,dl_vlan=200'),
    epl: await datapathActions(ovs, 'm2', 'in_port=m2-eth1,dl_vlan=7'),
    any: await datapathActions(ovs, 'm1', 'in_port=m1-eth4,dl_vlan=55'),
    untagged: await datapathActions(ovs, 'm2', 'in_port=m2-eth4'),
  });
  const EXPECTED = {
    evpl: 'pop_vlan,push_vlan(vid=200,pcp=0),m3-eth1',
    evplBack: 'pop_vlan,push_vlan(vid=100,pcp=0),m1-eth1',
    epl: 'm4-eth1',
    any: 'm3-eth4',
    untagged: 'push_vlan(vid=300,pcp=0),m4-eth4',
  };

  before(async function () {
    await skipWithoutOvs(this);
    c = await startMef();
    ovs = await startRing();
    await connectRing(c, ovs);
    baseline = await tagRanges();
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

  it('should answer GET v2/evc/schedule with {} when there is no EVC', async () => {
    const r = await c.http.get(`${EVC}schedule`);
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({});
  });

  it('should refuse bad requests with Kytos-ng\'s statuses and messages', async () => {
    const post = (body: unknown) => c.http.post(EVC, body);
    let r = await post({ uni_a: uni(1, 1, 5), uni_z: uni(3, 1, 5) });
    expect(r.status).to.equal(400);
    expect(r.body.description).to.match(/^The request body contains invalid API data\./);
    r = await post({ name: 'x', dynamic_backup_path: true, uni_a: { interface_id: '00:00:00:00:00:00:00:99:1' }, uni_z: uni(3, 1, 5) });
    expect(r.status).to.equal(400);
    expect(r.body.description).to.equal('Error creating UNI: Invalid value');
    r = await post({ name: 'x', uni_a: uni(1, 1, 5), uni_z: uni(3, 1, 5) });
    expect(r.body).to.deep.equal({ description: 'The EVC must have a primary path or allow dynamic paths.', code: 400 });
    r = await post({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 1, [[10, 20]]), uni_z: uni(3, 1, 5) });
    expect(r.body).to.deep.equal({ description: 'UNI_A and UNI_Z tag lists should be the same.', code: 400 });
    r = await c.http.get(`${EVC}0123456789abcd`);
    expect(r.body).to.deep.equal({ description: 'circuit_id 0123456789abcd not found', code: 404 });
    r = await c.http.patch(`${EVC}0123456789abcd/redeploy`);
    expect(r.status).to.equal(404);
    expect((await c.http.get(EVC)).body).to.deep.equal({});
  });

  it('should carry an EVPL frame from UNI A with tag 100 to UNI Z with tag 200, through one output, both ways', async () => {
    const id = await create({ name: 'evpl', dynamic_backup_path: true, uni_a: uni(1, 1, 100), uni_z: uni(3, 1, 200) });
    // The failover path is set up after the answer (as Kytos-ng does on `deployed`).
    const evc = await withFailover(c, id);
    expect(evc.active).to.equal(true);
    expect(evc.current_path).to.have.length(2);
    expect(evc.failover_path).to.have.length(2);
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=100')).to.equal('pop_vlan,push_vlan(vid=200,pcp=0),m3-eth1');
    expect(await datapathActions(ovs, 'm3', 'in_port=m3-eth1,dl_vlan=200')).to.equal('pop_vlan,push_vlan(vid=100,pcp=0),m1-eth1');
    const flows = await ovs.dumpFlows('m1');
    expect(flows.every((l) => /cookie=0xaa/.test(l))).to.equal(true);
    const again = await c.http.post(EVC, { name: 'same tag', dynamic_backup_path: true, uni_a: uni(1, 1, 100), uni_z: uni(2, 1, 100) });
    expect(again.status).to.equal(400);
    expect(again.body.description).to.match(/^KytosTagsAreNotAvailable/);
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

  it('should move every EVC off a cut link to its failover path, forwarding the same', async () => {
    const all = (await until(async () => {
      const now = (await c.http.get(EVC)).body as Record<string, any>;
      return Object.values(now).every((e) => e.failover_path.length > 0) ? now : undefined;
    }, 10_000, 'every failover path set up'))!;
    const onCut = Object.values(all).filter((e) => e.current_path.some((l: any) => l.id === ringLink(1)));
    expect(onCut.length).to.be.greaterThan(0);
    expect(await traces()).to.deep.equal(EXPECTED);
    const swapped = c.nextEvent('kytos/mef_eline\\.failover_link_down', 10_000);
    await ovs.delPort('m1', 'm1-m2');
    expect((await swapped).content.evc_id).to.be.a('string');
    await until(async () => {
      const now = (await c.http.get(EVC)).body as Record<string, any>;
      return Object.values(now).every((e) => e.active && !e.current_path.some((l: any) => l.id === ringLink(1)) && !e.failover_path.some((l: any) => l.id === ringLink(1)));
    }, 10_000, 'EVCs off the cut link');
    expect(await traces()).to.deep.equal(EXPECTED);
    const moved = (await c.http.get(`${EVC}${onCut[0].id}`)).body;
    expect(moved.current_path.map((l: any) => l.id)).to.not.include(ringLink(1));
  });

  it('should remove all flows of deleted EVCs and give back every tag', async () => {
    const all = (await c.http.get(EVC)).body as Record<string, any>;
    for (const id of Object.keys(all)) {
      const r = await c.http.delete(`${EVC}${id}`);
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.equal({ response: `Circuit ${id} removed` });
    }
    expect((await c.http.get(EVC)).body).to.deep.equal({});
    const archived = (await c.http.get(`${EVC}?archived=true`)).body as Record<string, any>;
    expect(Object.keys(archived)).to.have.members(Object.keys(all));
    await until(async () => {
      for (const b of ['m1', 'm2', 'm3', 'm4']) if ((await ovs.dumpFlows(b)).some((l) => l.includes('cookie=0xaa'))) return false;
      return true;
    }, 10_000, 'no EVC flow left');
    expect(await tagRanges()).to.deep.equal(baseline);
  });

  it('should join two UNIs of one switch directly, with no path and no S-VLAN', async () => {
    const id = await create({ name: 'direct', uni_a: uni(2, 1, 10), uni_z: uni(2, 4, 'untagged') });
    const evc = (await c.http.get(`${EVC}${id}`)).body;
    expect(evc.current_path).to.deep.equal([]);
    expect(await datapathActions(ovs, 'm2', 'in_port=m2-eth1,dl_vlan=10')).to.equal('pop_vlan,m2-eth4');
    expect(await datapathActions(ovs, 'm2', 'in_port=m2-eth4')).to.equal('push_vlan(vid=10,pcp=0),m2-eth1');
    expect((await c.http.delete(`${EVC}${id}`)).status).to.equal(200);
    await until(async () => !(await ovs.dumpFlows('m2')).some((l) => l.includes('cookie=0xaa')), 10_000, 'direct flows gone');
    expect(await tagRanges()).to.deep.equal(baseline);
  });

  it('should carry every VLAN of a UNI range and drop the others', async () => {
    const id = await create({ name: 'range', dynamic_backup_path: true, uni_a: uni(1, 1, [[20, 30]]), uni_z: uni(3, 1, [[20, 30]]) });
    expect((await c.http.get(`${EVC}${id}`)).body.uni_a.tag.mask_list).to.deep.equal(['20/4092', '24/4092', '28/4094', 30]);
    for (const v of [20, 25, 30]) expect(await datapathActions(ovs, 'm1', `in_port=m1-eth1,dl_vlan=${v}`)).to.equal('m3-eth1');
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth1,dl_vlan=31')).to.equal('drop');
    expect(await datapathActions(ovs, 'm3', 'in_port=m3-eth1,dl_vlan=21')).to.equal('m1-eth1');
    expect((await c.http.delete(`${EVC}${id}`)).status).to.equal(200);
    await until(async () => !(await ovs.dumpFlows('m1')).some((l) => l.includes('cookie=0xaa')), 10_000, 'range flows gone');
    expect(await tagRanges()).to.deep.equal(baseline);
  });
});
