/** A real controller with of_core and flow_manager, and private OVS bridges. */
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import type { FlowManagerSettings } from '../../../napps/kytos/flow_manager/settings.js';
import { dpidColon, type Ovs } from '../../env/ovs.js';

export const FM = '/api/kytos/flow_manager/v2';

/** Fast consistency passes for tests. */
export const TEST_SETTINGS: Partial<FlowManagerSettings> = {
  CONSISTENCY_INTERVAL: 0.3,
  CONSISTENCY_MIN_VERDICT_INTERVAL: 1,
  WAIT_TIMEOUT: 3,
  BARRIER_TIMEOUT: 3,
  STATS_TIMEOUT: 3,
};

export async function startFlowManager(settings: Partial<FlowManagerSettings> = {}, extra: { dataDir?: string; openflowPort?: number; napps?: string[] } = {}): Promise<TestController> {
  return createTestController({
    config: {
      napps: {
        enabled: extra.napps ?? ['kytos/of_core', 'kytos/flow_manager'],
        settings: { 'kytos/flow_manager': { ...TEST_SETTINGS, ...settings }, 'kytos/of_core': { STATS_INTERVAL: 60, FLOW_STATS_INTERVAL: 0.3 } },
      },
      openflow: { echoIntervalMs: 1000, ...(extra.openflowPort ? { port: extra.openflowPort } : {}) },
      ...(extra.dataDir ? { store: { dataDir: extra.dataDir } } : {}),
    },
  });
}

/** dump-flows lines without the counters that change (duration, packets, bytes, idle_age). */
export async function dump(ovs: Ovs, bridge: string): Promise<string[]> {
  return (await ovs.dumpFlows(bridge)).map((l) => l.replace(/ (duration|n_packets|n_bytes|idle_age|hard_age)=[^ ,]+,?/g, '').trim());
}

/** Each flow's duration in seconds, keyed by the rest of its dump line. */
export async function durations(ovs: Ovs, bridge: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const l of await ovs.dumpFlows(bridge)) {
    const d = /duration=([\d.]+)s/.exec(l);
    out.set(l.replace(/ (duration|n_packets|n_bytes|idle_age|hard_age)=[^ ,]+,?/g, '').trim(), d ? Number(d[1]) : NaN);
  }
  return out;
}

export { dpidColon };
