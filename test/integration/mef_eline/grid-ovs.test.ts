import { expect } from 'chai';
import { interfaceIsNni } from '../../../src/sdk/index.js';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { dpidColon, skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { datapathActions, EVC, startMef } from './harness.js';

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

  it('should carry an EVC corner to corner, move it to its failover on a cut and compute a new failover', async () => {
    const r = await c.http.post(EVC, {
      name: 'corner',
      dynamic_backup_path: true,
      uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 42 } },
      uni_z: { interface_id: intf(9, 1), tag: { tag_type: 'vlan', value: 42 } },
    });
    expect(r.status, r.text).to.equal(201);
    const id = r.body.circuit_id as string;
    const evc = (await until(async () => {
      const e = (await c.http.get(`${EVC}${id}`)).body;
      return e.failover_path.length > 0 ? e : undefined;
    }, 10_000, 'failover path'))!;
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
  });
});
