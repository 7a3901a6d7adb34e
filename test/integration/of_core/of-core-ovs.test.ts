import { expect } from 'chai';
import type { KytosEvent } from '../../../src/actor/index.js';
import type { InterfaceJson, SwitchJson } from '../../../src/model/index.js';
import { askMessage, getSwitches } from '../../../src/sdk/index.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { startOfCore, type OfCoreController } from './harness.js';
import { until } from '../../helpers/log.js';

const N = 4;
const name = (i: number) => `s${i}`;
const dpid = (i: number) => dpidColon(0x2000 + i);
const intfEvent = (verb: string, id: string) => (e: KytosEvent) =>
  e.name === `kytos/of_core.switch.interface.${verb}` && (e.content.interface as InterfaceJson).id === id;

describe('kytos/of_core with real Open vSwitch', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: OfCoreController;

  before(async function () {
    await skipWithoutOvs(this);
    c = await startOfCore({ STATS_INTERVAL: 0.5, STATS_STAGGER_STEP: 0.1, STATS_STAGGER_SPAN: 0.5, STATS_TIMEOUT: 2 });
    ovs = await startOvs();
    await ovs.addBridges(Array.from({ length: N }, (_, i) => ({ name: name(i + 1), dpid: 0x2000 + i + 1, ports: [{ name: `${name(i + 1)}-eth1`, ofport: 1 }] })));
    for (let i = 1; i < N; i++) await ovs.link(name(i), name(i + 1), { aOfport: 10 + i + 1, bOfport: 10 + i });
    await ovs.setControllers([...ovs.bridges.keys()], c.port);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should publish switch.new and handshake.completed with Kytos JSON for every bridge', async () => {
    for (let i = 1; i <= N; i++) {
      const done = await c.waitEvent((e) => e.name === 'kytos/of_core.handshake.completed' && (e.content.switch as SwitchJson).dpid === dpid(i), 10_000);
      const sw = done.content.switch as SwitchJson;
      expect(sw).to.include({ id: dpid(i), ofp_version: '0x04', manufacturer: 'Nicira, Inc.', hardware: 'Open vSwitch', active: true, status: 'UP' });
      expect(sw.connection).to.match(/^127\.0\.0\.1:\d+$/);
      const intfs = Object.values(sw.interfaces);
      expect(intfs.find((x) => x.port_number === 1)).to.include({ id: `${dpid(i)}:1`, name: `${name(i)}-eth1`, switch: dpid(i) });
      expect(intfs.find((x) => x.port_number === 4294967294)).to.include({ name: name(i), active: true });
      expect(c.events.some((e) => e.name === 'kytos/core.switch.new' && (e.content.switch as SwitchJson).dpid === dpid(i))).to.equal(true);
    }
    const all = await c.main.system.ask<Record<string, SwitchJson>>('napp:kytos/of_core', askMessage(getSwitches, {}));
    expect(Object.keys(all).sort()).to.deep.equal(Array.from({ length: N }, (_, i) => dpid(i + 1)).sort());
  });

  it('should publish interface created / link_down / link_up / deleted as ports change', async () => {
    const id = `${dpid(2)}:7`;
    await ovs.addPort(name(2), 's2-new', 7);
    const created = await c.waitEvent(intfEvent('created', id));
    expect(created.content.interface).to.include({ name: 's2-new', port_number: 7 });
    await ovs.setLink('s2-new', false);
    const down = await c.waitEvent(intfEvent('link_down', id));
    expect((down.content.interface as InterfaceJson).active).to.equal(false);
    await ovs.setLink('s2-new', true);
    await c.waitEvent(intfEvent('link_up', id));
    await ovs.delPort(name(2), 's2-new');
    const deleted = await c.waitEvent(intfEvent('deleted', id));
    expect((deleted.content.interface as InterfaceJson).active).to.equal(false);
  });

  it('should poll flow, port and table stats periodically for every switch', async () => {
    for (const [ev, key] of [
      ['kytos/of_core.flow_stats.received', 'replies_flows'],
      ['kytos/of_core.port_stats', 'port_stats'],
      ['kytos/of_core.table_stats.received', 'replies_tables'],
    ] as const) {
      for (let i = 1; i <= N; i++) {
        const e = await c.waitEvent((x) => x.name === ev && x.content.switch === dpid(i), 5000);
        expect(e.content[key]).to.be.an('array');
      }
    }
    const ports = c.events.find((x) => x.name === 'kytos/of_core.port_stats' && x.content.switch === dpid(1))!.content.port_stats as { portNo: number }[];
    expect(ports.map((p) => p.portNo)).to.include(1);
    // A second round comes one interval later.
    const rounds = () => c.events.filter((x) => x.name === 'kytos/of_core.flow_stats.received' && x.content.switch === dpid(1)).length;
    const before = rounds();
    await until(() => rounds() > before, 10_000, 'a second round of flow stats');
  });

  it('should publish reconnected after the switch comes back, and connection lost when its bridge is deleted', async () => {
    await ovs.setController(name(3), null); // dead port: disconnect, flows kept
    await c.waitEvent((e) => e.name === 'kytos/core.openflow.connection.lost' && e.content.dpid === dpid(3), 10_000);
    let all = await c.main.system.ask<Record<string, SwitchJson>>('napp:kytos/of_core', askMessage(getSwitches, {}));
    expect(all[dpid(3)]).to.include({ active: false, connection: '', ofp_version: null });
    await ovs.setController(name(3), c.port);
    const back = await c.waitEvent((e) => e.name === 'kytos/core.switch.reconnected' && (e.content.switch as SwitchJson).dpid === dpid(3), 10_000);
    expect((back.content.switch as SwitchJson).active).to.equal(true);

    await ovs.delBridge(name(4));
    await c.waitEvent((e) => e.name === 'kytos/core.openflow.connection.lost' && e.content.dpid === dpid(4), 10_000);
    all = await c.main.system.ask<Record<string, SwitchJson>>('napp:kytos/of_core', askMessage(getSwitches, {}));
    expect(all[dpid(4)].active).to.equal(false);
  });
});
