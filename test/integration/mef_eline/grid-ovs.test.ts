import { expect } from 'chai';
import { interfaceIsNni } from '../../../src/sdk/index.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { dpidColon, skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { datapathActions, EVC, startMef, withFailover } from './harness.js';

/** A 3x3 grid: g1..g9 row by row; port 1 is a UNI, ports 11-14 face east, west, south, north. */
const G = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const dpid = (i: number) => dpidColon(0x6000 + i);
const intf = (i: number, p: number) => `${dpid(i)}:${p}`;
const EDGES: [number, number, number, number][] = [];
for (const i of G) {
  if (i % 3 !== 0) EDGES.push([i, i + 1, 11, 12]); // east-west
  if (i <= 6) EDGES.push([i, i + 3, 13, 14]); // south-north
}
const lid = ([a, b, pa, pb]: [number, number, number, number]) => linkId(intf(a, pa), intf(b, pb));

describe('kytos/mef_eline with real Open vSwitch (3x3 grid)', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;

  before(async function () {
    await skipWithoutOvs(this);
    c = await startMef();
    ovs = await startOvs();
    await ovs.addBridges(G.map((i) => ({ name: `g${i}`, dpid: 0x6000 + i, ports: [{ name: `g${i}-eth1`, ofport: 1 }] })));
    for (const [a, b, pa, pb] of EDGES) await ovs.link(`g${a}`, `g${b}`, { aOfport: pa, bOfport: pb });
    await ovs.setControllers(G.map((i) => `g${i}`), c.openflowPort);
    await until(() => c.controller.southbound.list().length === 9, 15_000, 'switches connected');
    await until(async () => {
      const intfs = (await c.http.get('/api/kytos/topology/v3/interfaces')).body.interfaces as Record<string, unknown>;
      return EDGES.every(([a, b, pa, pb]) => intfs[intf(a, pa)] && intfs[intf(b, pb)]);
    }, 15_000, 'grid ports');
    for (const [a, b, pa, pb] of EDGES) c.bus.publish(interfaceIsNni.type, { interface_a: { id: intf(a, pa) }, interface_b: { id: intf(b, pb) } });
    await until(async () => {
      const links = (await c.http.get('/api/kytos/topology/v3/links')).body.links as Record<string, { status: string }>;
      return EDGES.every((e) => links[lid(e)]?.status === 'UP');
    }, 15_000, 'grid links UP');
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  const tagged = (value: unknown) => ({ tag: { tag_type: 'vlan', value } });
  /** The other kinds of UNI, each between two edge switches of the grid. */
  const KINDS = {
    epl: { uni_a: { interface_id: intf(3, 1) }, uni_z: { interface_id: intf(7, 1) } },
    any: { uni_a: { interface_id: intf(2, 1), ...tagged('any') }, uni_z: { interface_id: intf(8, 1), ...tagged('any') } },
    untagged: { uni_a: { interface_id: intf(4, 1), ...tagged('untagged') }, uni_z: { interface_id: intf(6, 1), ...tagged(300) } },
  };
  const kindTraces = async () => ({
    epl: [await datapathActions(ovs, 'g3', 'in_port=g3-eth1,dl_vlan=7'), await datapathActions(ovs, 'g3', 'in_port=g3-eth1'), await datapathActions(ovs, 'g7', 'in_port=g7-eth1,dl_vlan=9')],
    any: [await datapathActions(ovs, 'g2', 'in_port=g2-eth1,dl_vlan=55'), await datapathActions(ovs, 'g8', 'in_port=g8-eth1,dl_vlan=3000'), await datapathActions(ovs, 'g2', 'in_port=g2-eth1')],
    untagged: [await datapathActions(ovs, 'g4', 'in_port=g4-eth1'), await datapathActions(ovs, 'g6', 'in_port=g6-eth1,dl_vlan=300')],
  });
  const KIND_TRACES = {
    epl: ['g7-eth1', 'g7-eth1', 'g3-eth1'],
    any: ['g8-eth1', 'g2-eth1', 'drop'],
    untagged: ['push_vlan(vid=300,pcp=0),g6-eth1', 'pop_vlan,g4-eth1'],
  };

  it('should carry EPL, `any` and untagged UNIs across the grid, each through one output', async () => {
    for (const [name, unis] of Object.entries(KINDS)) {
      const r = await c.http.post(EVC, { name, dynamic_backup_path: true, ...unis });
      expect(r.status, r.text).to.equal(201);
      expect(r.body.deployed, name).to.equal(true);
    }
    expect(await kindTraces()).to.deep.equal(KIND_TRACES);
  });

  it('should carry an EVC corner to corner, move it to its failover on a cut and compute a new failover', async () => {
    const r = await c.http.post(EVC, {
      name: 'corner',
      dynamic_backup_path: true,
      uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 42 } },
      uni_z: { interface_id: intf(9, 1), tag: { tag_type: 'vlan', value: 42 } },
    });
    expect(r.status, r.text).to.equal(201);
    const id = r.body.circuit_id as string;
    const evc = await withFailover(c, id);
    expect(evc.current_path).to.have.length(4);
    expect(evc.failover_path).to.have.length(4);
    const ids = (p: any[]) => p.map((l) => l.id);
    expect(ids(evc.current_path).filter((x: string) => ids(evc.failover_path).includes(x))).to.deep.equal([]);
    const fwd = 'g9-eth1'; // same tag at both UNIs: the S-tag is pushed and popped, the C-tag untouched
    expect(await datapathActions(ovs, 'g1', 'in_port=g1-eth1,dl_vlan=42')).to.equal(fwd);
    expect(await datapathActions(ovs, 'g9', 'in_port=g9-eth1,dl_vlan=42')).to.equal('g1-eth1');
    // Cut the second link of the current path (cutting a first link would leave g1 one way out: no disjoint failover).
    const cut = EDGES.find((e) => lid(e) === evc.current_path[1].id)!;
    await ovs.delPort(`g${cut[0]}`, `g${cut[0]}-g${cut[1]}`);
    const moved = (await until(async () => {
      const e = (await c.http.get(`${EVC}${id}`)).body;
      return ids(e.current_path).join() === ids(evc.failover_path).join() && e.failover_path.length > 0 ? e : undefined;
    }, 10_000, 'on the old failover path, with a new failover'))!;
    expect(ids(moved.failover_path)).to.not.include(lid(cut));
    expect(ids(moved.current_path).filter((x: string) => ids(moved.failover_path).includes(x))).to.deep.equal([]);
    expect(await datapathActions(ovs, 'g1', 'in_port=g1-eth1,dl_vlan=42')).to.equal(fwd);
    // Every other EVC is off the cut link too, and still forwards.
    await until(async () => {
      const all = Object.values((await c.http.get(EVC)).body as Record<string, any>);
      return all.every((e) => e.active && !ids(e.current_path).includes(lid(cut)) && !ids(e.failover_path).includes(lid(cut)));
    }, 10_000, 'every EVC off the cut link');
    expect(await kindTraces()).to.deep.equal(KIND_TRACES);
  });
});
