/** Contracts of kytos/of_core: the Kytos events of kytos-api.md 2.1 and its asks. */
import type { FlowStats, PortStats, TableStats } from '../../openflow/index.js';
import type { InterfaceJson, SwitchJson } from '../../model/index.js';
import { defineAsk, defineEvent } from '../contract.js';

export const OF_CORE = 'kytos/of_core';

export interface SwitchContent {
  switch: SwitchJson;
}
export interface InterfaceContent {
  interface: InterfaceJson;
}

export const switchNew = defineEvent<SwitchContent>()('kytos/core.switch.new');
export const switchReconnected = defineEvent<SwitchContent>()('kytos/core.switch.reconnected');
export const handshakeCompleted = defineEvent<SwitchContent>()('kytos/of_core.handshake.completed');
export const interfaceCreated = defineEvent<InterfaceContent>()('kytos/of_core.switch.interface.created');
export const interfaceModified = defineEvent<InterfaceContent>()('kytos/of_core.switch.interface.modified');
export const interfaceDeleted = defineEvent<InterfaceContent>()('kytos/of_core.switch.interface.deleted');
export const interfaceLinkUp = defineEvent<InterfaceContent>()('kytos/of_core.switch.interface.link_up');
export const interfaceLinkDown = defineEvent<InterfaceContent>()('kytos/of_core.switch.interface.link_down');

export interface PortCreatedContent {
  switch: string;
  port: number;
  port_description: { alias: string; mac: string; state: number };
}
export const portCreated = defineEvent<PortCreatedContent>()('kytos/of_core.switch.port.created');
export const interfacesCreated = defineEvent<{ interfaces: InterfaceJson[]; dpid: string }>()('kytos/of_core.switch.interfaces.created');

/** `requested_at` (Lattice): clock ms when of_core sent the request (flows changed since are not judged by consistency). */
export const flowStatsReceived = defineEvent<{ switch: string; replies_flows: FlowStats[]; requested_at?: number }>()('kytos/of_core.flow_stats.received');
export const tableStatsReceived = defineEvent<{ switch: string; replies_tables: TableStats[] }>()('kytos/of_core.table_stats.received');
export const portStatsReceived = defineEvent<{ switch: string; port_stats: PortStats[] }>()('kytos/of_core.port_stats');

/** Every switch of_core knows, as Kytos JSON keyed by dpid. */
export const getSwitches = defineAsk<Record<never, never>, Record<string, SwitchJson>>()(OF_CORE, 'of_core.switches.get');
/** One switch as Kytos JSON (undefined when unknown). */
export const getSwitch = defineAsk<{ dpid: string }, SwitchJson | undefined>()(OF_CORE, 'of_core.switch.get');
