/**
 * Switches a scenario needs (`"switches": [dpid, ...]` in scenarios.json): one private Open vSwitch
 * (userspace, dummy datapath) with a bridge per dpid, each with one port (ofport 1), connected to
 * the controller under test, which the scenario then finds connected and enabled. Loopback only.
 */
import { dpidColon, ovsAvailable, startOvs, type Ovs } from '../../test/env/ovs.js';
import type { Scenario } from './scenario.js';

export interface ScenarioSwitches {
  /** The dpids connected. */
  readonly dpids: readonly number[];
  stop(): Promise<void>;
}

/** Whether scenarios needing switches can run here: true with OVS, false without it (in CI a missing OVS throws). */
export const switchesAvailable = (): Promise<boolean> => ovsAvailable();

/** The dpids any of `scenarios` needs, once each. */
export function neededSwitches(scenarios: readonly Scenario[]): number[] {
  return [...new Set(scenarios.flatMap((s) => s.switches ?? []))].sort((a, b) => a - b);
}

/**
 * Starts the bridges and connects them to the controller's OpenFlow port; resolves once
 * flow_manager answers for every one (connected, handshake done, enabled), within `timeoutMs`.
 */
export async function startSwitches(dpids: readonly number[], openflowPort: number, controllerUrl: string, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<ScenarioSwitches> {
  const ovs: Ovs = await startOvs();
  try {
    const names = dpids.map((_, i) => `ls${i + 1}`);
    await ovs.addBridges(dpids.map((dpid, i) => ({ name: names[i]!, dpid, ports: [{ name: `${names[i]}-eth1`, ofport: 1 }] })));
    await ovs.setControllers(names, openflowPort);
    const deadline = Date.now() + timeoutMs;
    for (const dpid of dpids) {
      for (;;) {
        const r = await fetch(`${controllerUrl}/api/kytos/flow_manager/v2/flows/${dpidColon(dpid)}`, { headers }).catch(() => null);
        await r?.arrayBuffer();
        if (r?.status === 200) break;
        if (Date.now() > deadline) throw new Error(`switch ${dpidColon(dpid)} did not connect to the controller within ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    return { dpids, stop: () => ovs.stop() };
  } catch (error) {
    await ovs.stop().catch(() => undefined);
    throw error;
  }
}
