/** Messages the of_core machine takes, and the bus events it publishes. */
import type { Reply } from '#sdk';
import type { MultipartReplyMessage } from './deps.js';

export type StatsKind = 'flow' | 'port_stats' | 'table';

export type OfCoreEvent =
  | { type: 'bus.event'; event: { name: string; content: Record<string, unknown> } }
  | { type: 'timer'; key: string }
  | { type: 'stats.result'; dpid: string; kind: StatsKind; gen: number; parts?: MultipartReplyMessage[]; error?: string }
  /** Ask: every switch as Kytos JSON, keyed by dpid. */
  | { type: 'switches.get'; replyTo?: Reply<unknown> }
  /** Ask: one switch as Kytos JSON (undefined when unknown). */
  | { type: 'switch.get'; dpid: string; replyTo?: Reply<unknown> };

export const getSwitches = () => ({ type: 'switches.get' as const });
export const getSwitch = (dpid: string) => ({ type: 'switch.get' as const, dpid });

/** What of_core listens to (Kytos regex semantics). */
export const SUBSCRIPTIONS = [
  'lattice/southbound\\.switch\\.ready',
  'kytos/core\\.openflow\\.connection\\.lost',
  'kytos/of_core\\.v0x04\\.messages\\.in\\.ofpt_port_status',
];

/** Bus events of_core publishes (kytos-api.md 2.1). */
export const OF_CORE_EVENTS = {
  switchNew: 'kytos/core.switch.new',
  switchReconnected: 'kytos/core.switch.reconnected',
  handshakeCompleted: 'kytos/of_core.handshake.completed',
  interfaceCreated: 'kytos/of_core.switch.interface.created',
  interfaceModified: 'kytos/of_core.switch.interface.modified',
  interfaceDeleted: 'kytos/of_core.switch.interface.deleted',
  linkUp: 'kytos/of_core.switch.interface.link_up',
  linkDown: 'kytos/of_core.switch.interface.link_down',
  portCreated: 'kytos/of_core.switch.port.created',
  interfacesCreated: 'kytos/of_core.switch.interfaces.created',
  flowStats: 'kytos/of_core.flow_stats.received',
  tableStats: 'kytos/of_core.table_stats.received',
  portStats: 'kytos/of_core.port_stats',
} as const;
