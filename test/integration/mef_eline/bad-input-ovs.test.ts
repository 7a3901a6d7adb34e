import { expect } from 'chai';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { connectRing, datapathActions, dpid, EVC, intf, RING, ringLink, startMef, startRing } from './harness.js';

const TOPO = '/api/kytos/topology/v3';

/**
 * Creation requests that can never be placed answer 400/409 and reserve
 * nothing: the tags every interface holds, the EVCs known and stored, the
 * flows flow_manager stores and every bridge's flow table are the same after
 * as before. A valid EVC whose UNI switch is only disconnected is stored and
 * deployed once it is back (Kytos-ng).
 */
describe('kytos/mef_eline bad creation requests with real Open vSwitch (ring of 4)', function () {
  this.timeout(90_000);
  let ovs: Ovs;
  let c: TestController;
  const uni = (i: number, port: number, value?: unknown) => ({ interface_id: intf(i, port), ...(value === undefined ? {} : { tag: { tag_type: 'vlan', value } }) });
  const stored = () => c.controller.store.scoped('kytos/mef_eline').collection<{ id: string }>('evcs', { key: 'id', indexes: ['archived'] }).count();

  /** Everything a creation could reserve or leave behind. */
  const snapshot = async () => {
    const tags = (await c.http.get(`${TOPO}/interfaces/tag_ranges`)).body as Record<string, { available_tags: unknown; special_available_tags: unknown }>;
    const flows: Record<string, string[]> = {};
    for (const i of RING) flows[`m${i}`] = (await ovs.dumpFlows(`m${i}`)).map((l) => l.replace(/ duration=[^,]+,| n_packets=\d+,| n_bytes=\d+,| idle_age=\d+,| hard_age=\d+,/g, '')).sort();
    const fm = (await c.http.get('/api/kytos/flow_manager/v2/stored_flows')).body as Record<string, { state: string }[]>;
    return {
      tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v.available_tags, v.special_available_tags]])),
      evcs: Object.keys((await c.http.get(`${EVC}?archived=null`)).body).sort(),
      stored: await stored(),
      storedFlows: Object.values(fm).reduce((n, list) => n + list.filter((f) => f.state !== 'deleted').length, 0),
      flows,
    };
  };
  /** Posts a creation, expects the refusal, and proves nothing changed. */
  const refused = async (body: Record<string, unknown>, status: number, description: RegExp | string) => {
    const before = await snapshot();
    const r = await c.http.post(EVC, body);
    expect(r.status, r.text).to.equal(status);
    if (typeof description === 'string') expect(r.body.description).to.equal(description);
    else expect(r.body.description).to.match(description);
    expect(await snapshot()).to.deep.equal(before);
  };

  before(async function () {
    await skipWithoutOvs(this);
    c = await startMef();
    ovs = await startRing();
    await connectRing(c, ovs);
    const r = await c.http.post(EVC, { name: 'first', dynamic_backup_path: true, uni_a: uni(1, 1, 100), uni_z: uni(3, 1, 100) });
    expect(r.status, r.text).to.equal(201);
    const epl = await c.http.post(EVC, { name: 'epl', dynamic_backup_path: true, uni_a: uni(2, 1), uni_z: uni(4, 1) });
    expect(epl.status, epl.text).to.equal(201);
    await until(async () => Object.values((await c.http.get(EVC)).body as Record<string, { failover_path: unknown[] }>).every((e) => e.failover_path.length > 0), 10_000, 'failover paths');
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should refuse unknown interfaces (400) and reserve nothing', async () => {
    await refused({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 9, 5), uni_z: uni(3, 1, 5) }, 400, 'Error creating UNI: Invalid value');
    await refused({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 1, 5), uni_z: { interface_id: '00:00:00:00:00:00:00:99:1', tag: { tag_type: 'vlan', value: 5 } } }, 400, 'Error creating UNI: Invalid value');
  });

  it('should refuse overlapping UNIs (a VLAN in use 400, a second no-tag UNI 409) and reserve nothing', async () => {
    // uni_a is free, uni_z's VLAN is taken: uni_a's VLAN must not stay held.
    await refused({ name: 'x', dynamic_backup_path: true, uni_a: uni(2, 4, 100), uni_z: uni(3, 1, 100) }, 400, /^KytosTagsAreNotAvailable/);
    await refused({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 4, 77), uni_z: uni(4, 1) }, 409, /^DuplicatedNoTagUNI/);
  });

  it('should refuse a UNI VLAN outside its interface\'s pool (400) and reserve nothing', async () => {
    expect((await c.http.post(`${TOPO}/interfaces/${intf(2, 4)}/tag_ranges`, { tag_type: 'vlan', tag_ranges: [[1, 10]] })).status).to.equal(200);
    await refused({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 4, 20), uni_z: uni(2, 4, 20) }, 400, /^KytosTagsAreNotAvailable/);
  });

  it('should refuse constraints no path meets (409) and reserve nothing', async () => {
    for (const i of RING) expect((await c.http.post(`${TOPO}/links/${ringLink(i)}/metadata`, { bandwidth: 10 })).status).to.equal(201);
    const find = () => c.http.post('/api/kytos/pathfinder/v3/', { source: intf(1, 4), destination: intf(3, 4), mandatory_metrics: { bandwidth: 100 } });
    await until(async () => ((await find()).body.paths as unknown[]).length === 0, 10_000, 'pathfinder sees the bandwidth');
    const body = { name: 'x', dynamic_backup_path: true, uni_a: uni(1, 4, 30), uni_z: uni(3, 4, 30), primary_constraints: { mandatory_metrics: { bandwidth: 100 } } };
    await refused(body, 409, `no path satisfies the constraints between ${intf(1, 4)} and ${intf(3, 4)}`);
    // The same constraints met: created and forwarding.
    const ok = await c.http.post(EVC, { ...body, primary_constraints: { mandatory_metrics: { bandwidth: 10 } } });
    expect(ok.status, ok.text).to.equal(201);
    expect(ok.body.deployed).to.equal(true);
    expect(await datapathActions(ovs, 'm1', 'in_port=m1-eth4,dl_vlan=30')).to.equal('m3-eth4');
  });

  it('should refuse an EVC when every path lacks a free S-VLAN (409) and reserve nothing', async () => {
    await until(async () => Object.values((await c.http.get(EVC)).body as Record<string, { failover_path: unknown[] }>).every((e) => e.failover_path.length > 0), 10_000, 'failover paths');
    // Every ring port's pool: only the S-VLANs it holds now.
    const tags = (await c.http.get(`${TOPO}/interfaces/tag_ranges`)).body as Record<string, { available_tags: { vlan: [number, number][] } }>;
    for (const i of RING) {
      for (const port of [2, 3]) {
        const id = intf(i, port);
        const used: number[] = [];
        for (let v = 1; v <= 4094; v++) if (!tags[id]!.available_tags.vlan.some(([a, b]) => v >= a && v <= b)) used.push(v);
        const held = used.filter((v) => v !== 3799);
        expect(held.length, id).to.be.greaterThan(0);
        const r = await c.http.post(`${TOPO}/interfaces/${id}/tag_ranges`, { tag_type: 'vlan', tag_ranges: held.map((v) => [v, v]) });
        expect(r.status, `${id} ${r.text}`).to.equal(200);
      }
    }
    await refused({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 1, 101), uni_z: uni(3, 1, 101) }, 409, `no S-VLAN is free on every link of a path between ${intf(1, 1)} and ${intf(3, 1)}`);
    for (const i of RING) for (const port of [2, 3]) expect((await c.http.delete(`${TOPO}/interfaces/${intf(i, port)}/tag_ranges`)).status).to.equal(200);
  });

  it('should store a valid EVC whose UNI switch is disconnected, and deploy it once the switch is back (Kytos-ng)', async () => {
    await ovs.setControllers(['m4'], 1); // a dead port: the switch keeps its flows, the controller loses it
    await until(async () => (await c.http.get(`${TOPO}/switches`)).body.switches[dpid(4)]?.status === 'DOWN', 15_000, 'm4 down');
    const r = await c.http.post(EVC, { name: 'later', dynamic_backup_path: true, uni_a: uni(2, 4, 5), uni_z: uni(4, 4, 5) });
    expect(r.status, r.text).to.equal(201);
    expect(r.body.deployed).to.equal(false);
    const id = r.body.circuit_id as string;
    expect((await c.http.get(`${EVC}${id}`)).body.active).to.equal(false);
    await ovs.setControllers(['m4'], c.openflowPort);
    await until(async () => (await c.http.get(`${EVC}${id}`)).body.active === true, 20_000, 'deployed when m4 is back');
    expect(await datapathActions(ovs, 'm2', 'in_port=m2-eth4,dl_vlan=5')).to.equal('m4-eth4');
  });
});
