/**
 * A real controller for the web UI's browser tests and benchmark: of_core
 * (stats every second), topology, flow_manager, pathfinder, mef_eline,
 * maintenance, kytos_stats and of_lldp (links found by LLDP), and a ring of four OVS bridges (dummy datapath): `u<i>-eth1`
 * (ofport 1) and `u<i>-eth4` (ofport 4) are host ports, patch pairs `u<i>-u<j>`
 * / `u<j>-u<i>` join port 2 of `u<i>` to port 3 of the next bridge.
 */
import { linkId } from '../../../napps/kytos/topology/state.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { dpidColon, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';

export const RING = [1, 2, 3, 4];
export const nextOf = (i: number): number => (i % 4) + 1;
export const dpid = (i: number): string => dpidColon(0x6000 + i);
export const intf = (i: number, port: number): string => `${dpid(i)}:${port}`;
/** The ring's link from port 2 of u<i> to port 3 of the next bridge. */
export const ringLink = (i: number): string => linkId(intf(i, 2), intf(nextOf(i), 3));
export const ADMIN = { username: 'admin', email: 'admin@example.com', password: 'Admin1234' };

/** The controller's config: fast timers, the NApps the UI shows (also written to a LATTICE_CONFIG file by the benchmark). */
export const UI_CONFIG = {
  openflow: { echoIntervalMs: 1000 },
  napps: {
    enabled: [
      'kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline', 'kytos/maintenance', 'kytos/of_lldp',
      'amlight/kytos_stats',
    ],
    settings: {
      'kytos/topology': { LINK_UP_TIMER: 0.2 },
      'kytos/of_core': { STATS_INTERVAL: 1 },
      'kytos/of_lldp': { POLLING_TIME: 0.3 },
      'kytos/flow_manager': { CONSISTENCY_INTERVAL: 0.5, CONSISTENCY_MIN_VERDICT_INTERVAL: 1, WAIT_TIMEOUT: 3, BARRIER_TIMEOUT: 3, STATS_TIMEOUT: 3 },
    },
  },
};

export async function startUiController(): Promise<TestController> {
  return createTestController({ config: structuredClone(UI_CONFIG) });
}

/** The ring, connected; resolves when LLDP found its four links and they are UP. */
export async function startUiRing(openflowPort: number, baseUrl: string): Promise<Ovs> {
  const ovs = await startOvs();
  await ovs.addBridges(RING.map((i) => ({ name: `u${i}`, dpid: 0x6000 + i, ports: [{ name: `u${i}-eth1`, ofport: 1 }, { name: `u${i}-eth4`, ofport: 4 }] })));
  for (const i of RING) await ovs.link(`u${i}`, `u${nextOf(i)}`, { aOfport: 2, bOfport: 3 });
  await ovs.setControllers(RING.map((i) => `u${i}`), openflowPort);
  await until(async () => {
    const links = ((await (await fetch(`${baseUrl}/api/kytos/topology/v3/links`)).json()) as { links: Record<string, { status: string }> }).links;
    return RING.every((i) => links[ringLink(i)]?.status === 'UP');
  }, 20_000, 'ring links found by LLDP and UP');
  return ovs;
}

/** Puts the link between u<i> and the next bridge back after a cut (the patch port deleted on u<i>). */
export async function restoreRingLink(ovs: Ovs, i: number): Promise<void> {
  const a = `u${i}-u${nextOf(i)}`;
  const b = `u${nextOf(i)}-u${i}`;
  await ovs.vsctl(['--', 'add-port', `u${i}`, a, '--', 'set', 'interface', a, 'type=patch', `options:peer=${b}`, 'ofport_request=2']);
}

/** The `Datapath actions:` line of a trace (`--names`), which follows patch ports to the far bridge. */
export async function datapathActions(ovs: Ovs, bridge: string, flow: string): Promise<string> {
  const out = await ovs.trace(bridge, flow, ['--names']);
  const line = out.split('\n').find((l) => l.startsWith('Datapath actions:'));
  return line ? line.slice('Datapath actions:'.length).trim() : `(no datapath actions)\n${out}`;
}
