import { expect } from 'chai';
import { join } from 'node:path';
import { tempDataDir } from '../../../src/main.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { buildFrame } from '../../../napps/kytos/of_lldp/frame.js';
import { ovsAvailable, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
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
    if (!(await ovsAvailable())) {
      console.log('    (skipped: Open vSwitch not installed; CI=true makes this a failure)');
      this.skip();
    }
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
    }, 10_000, 'four links UP');
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
});
