/** Messages the of_lldp machine takes: catalogue deliveries and asks, its own command ask, effect results. */
import {
  defineAsk,
  getLldpCounters,
  multiTableEnableTable,
  OF_LLDP,
  packetIn,
  topologyInterfaceDeleted,
  topologySwitchDeleted,
  topologySwitchDisabled,
  topologySwitchEnabled,
  type AskMessage,
  type DeliveriesOf,
  type Reply,
  type TopologyJson,
} from '#sdk';

/** What of_lldp subscribes to. */
export const SUBSCRIPTIONS = [packetIn, topologySwitchEnabled, topologySwitchDisabled, topologySwitchDeleted, topologyInterfaceDeleted, multiTableEnableTable] as const;

/** The v1 API's commands (routes ask them; `topology` is topology's answer read just before). */
export type Command =
  | { op: 'polling.get' }
  | { op: 'lldp.list'; topology: TopologyJson }
  | { op: 'lldp.set'; enabled: boolean; ids: string[]; topology: TopologyJson }
  | { op: 'liveness.set'; enabled: boolean; ids: string[]; topology: TopologyJson }
  | { op: 'liveness.get'; id?: string }
  | { op: 'liveness.pairs' };

/** The answer of a command: an HTTP status and body, as the route writes them. */
export interface CommandResult {
  status: number;
  body: unknown;
}

export const runCommand = defineAsk<{ command: Command }, CommandResult>()(OF_LLDP, 'of_lldp.command');

/** `POST v1/polling_time`, validated: told, not asked (the mailbox orders it before any later command). */
export interface SetPollingTime {
  type: 'lldp.polling_time';
  value: number;
}

/** A timer fell due: `round` (a new LLDP round) or `slot:<round>:<k>` (part of a round). */
export interface TimerEvent {
  type: 'lldp.timer';
  key: string;
}
export const timerEvent = (key: string): TimerEvent => ({ type: 'lldp.timer', key });

/** Topology's answer for a round (undefined when it could not be read). */
export interface TopologyRead {
  type: 'lldp.topology';
  round: number;
  topology?: TopologyJson;
}

/** The liveness documents are stored: the change may now apply. */
export interface LivenessStored {
  type: 'lldp.liveness.stored';
  enabled: boolean;
  ids: string[];
  replyTo?: Reply<CommandResult>;
  error?: string;
}

export type OfLldpEvent =
  | DeliveriesOf<typeof SUBSCRIPTIONS>
  | AskMessage<typeof runCommand>
  | AskMessage<typeof getLldpCounters>
  | TimerEvent
  | SetPollingTime
  | TopologyRead
  | LivenessStored;
