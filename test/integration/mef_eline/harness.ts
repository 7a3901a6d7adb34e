/**
 * A real controller with of_core, topology, flow_manager, pathfinder and
 * mef_eline, and a ring of four OVS bridges (dummy datapath): `m<i>-eth1`
 * (ofport 1) and `m<i>-eth4` (ofport 4) are UNIs, patch pairs join port 2
 * of `m<i>` to port 3 of the next bridge. Links come from `is.nni` events.
 */
import { interfaceIsNni } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { dpidColon, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';

export const EVC = '/api/kytos/mef_eline/v2/evc/';
export const dpid = (i: number) => dpidColon(0x5000 + i);
export const intf = (i: number, port: number) => `${dpid(i)}:${port}`;
export const RING = [1, 2, 3, 4];
const nextOf = (i: number) => (i % 4) + 1;
/** The ring's link between m<i> and the next bridge. */
export const ringLink = (i: number) => linkId(intf(i, 2), intf(nextOf(i), 3));

export async function startMef(settings: Record<string, unknown> = {}, dataDir?: string, store: Record<string, unknown> = {}): Promise<TestController> {
  return createTestController({
    config: {
      openflow: { echoIntervalMs: 1000 },
      ...(dataDir || Object.keys(store).length > 0 ? { store: { ...(dataDir ? { dataDir } : {}), ...store } } : {}),
      napps: {
        enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline'],
        settings: {
          'kytos/topology': { LINK_UP_TIMER: 0.2 },
          'kytos/of_core': { STATS_INTERVAL: 60, FLOW_STATS_INTERVAL: 0.5 },
          'kytos/flow_manager': { CONSISTENCY_INTERVAL: 0.5, CONSISTENCY_MIN_VERDICT_INTERVAL: 1, WAIT_TIMEOUT: 3, BARRIER_TIMEOUT: 3, STATS_TIMEOUT: 3 },
          'kytos/mef_eline': settings,
        },
      },
    },
  });
}

/** EVC `id` as the API shows it once its failover path is set up (after the 201, as Kytos-ng does on `deployed`). */
export async function withFailover(c: TestController, id: string): Promise<any> {
  return (await until(async () => {
    const e = (await c.http.get(`${EVC}${id}`)).body;
    return e.failover_path.length > 0 ? e : undefined;
  }, 10_000, 'failover path'))!;
}

export async function startRing(): Promise<Ovs> {
  const ovs = await startOvs();
  await ovs.addBridges(
    RING.map((i) => ({ name: `m${i}`, dpid: 0x5000 + i, ports: [{ name: `m${i}-eth1`, ofport: 1 }, { name: `m${i}-eth4`, ofport: 4 }] })),
  );
  for (const i of RING) await ovs.link(`m${i}`, `m${nextOf(i)}`, { aOfport: 2, bOfport: 3 });
  return ovs;
}

/** Connects the ring and announces its links; resolves when the four links are UP. */
export async function connectRing(c: TestController, ovs: Ovs): Promise<void> {
  await ovs.setControllers(RING.map((i) => `m${i}`), c.openflowPort);
  await until(() => c.controller.southbound.list().length === 4, 15_000, 'switches connected');
  await until(async () => {
    const intfs = (await c.http.get('/api/kytos/topology/v3/interfaces')).body.interfaces as Record<string, unknown>;
    return RING.every((i) => intfs[intf(i, 2)] && intfs[intf(i, 3)]);
  }, 15_000, 'ring ports');
  for (const i of RING) c.bus.publish(interfaceIsNni.type, { interface_a: { id: intf(i, 2) }, interface_b: { id: intf(nextOf(i), 3) } });
  await until(async () => {
    const links = (await c.http.get('/api/kytos/topology/v3/links')).body.links as Record<string, { status: string }>;
    return RING.every((i) => links[ringLink(i)]?.status === 'UP');
  }, 15_000, 'ring links UP');
}

/** The `Datapath actions:` line of a trace (`--names`), which follows patch ports to the far bridge. */
export async function datapathActions(ovs: Ovs, bridge: string, flow: string): Promise<string> {
  const out = await ovs.trace(bridge, flow, ['--names']);
  const line = out.split('\n').find((l) => l.startsWith('Datapath actions:'));
  return line ? line.slice('Datapath actions:'.length).trim() : `(no datapath actions)\n${out}`;
}
