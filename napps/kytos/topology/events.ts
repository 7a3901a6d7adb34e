/** Messages the topology machine takes: catalogue deliveries and asks, its own command ask, effect results. */
import {
  allocateLinkTags,
  allocateTags,
  releaseLinkTags,
  connectionLost,
  defineAsk,
  getInterfaceTags,
  getTopology,
  getTopologyLink,
  getTopologySwitch,
  handshakeCompleted,
  interfaceCreated,
  interfaceDeleted,
  interfaceIsNni,
  interfaceLinkDown,
  interfaceLinkUp,
  interfaceModified,
  interfacesCreated,
  interruptionEnd,
  interruptionStart,
  listInterruptions,
  livenessDisabled,
  livenessDown,
  livenessUp,
  lldpNetworkStatusUpdated,
  loopActionDisable,
  portCreated,
  releaseTags,
  switchNew,
  switchReconnected,
  TOPOLOGY,
  type AskMessage,
  type SwitchJson,
  type DeliveriesOf,
} from '#sdk';
import type { Command } from './commands.js';

/** What topology subscribes to. */
export const SUBSCRIPTIONS = [
  switchNew,
  switchReconnected,
  handshakeCompleted,
  connectionLost,
  interfaceCreated,
  interfaceModified,
  interfaceDeleted,
  interfaceLinkUp,
  interfaceLinkDown,
  interfacesCreated,
  portCreated,
  interfaceIsNni,
  interruptionStart,
  interruptionEnd,
  // of_lldp's: the `lldp` flag, link liveness, the loop `disable` action.
  lldpNetworkStatusUpdated,
  livenessUp,
  livenessDown,
  livenessDisabled,
  loopActionDisable,
] as const;

/** Topology's own ask (its routes use it): run an admin command; answered once durable. */
export const runCommand = defineAsk<{ command: Command }, unknown>()(TOPOLOGY, 'topology.command');

/** The `persist` effect of a command finished (error set when the store refused). */
export interface PersistedEvent {
  type: 'topology.persisted';
  ticket: number;
  error?: unknown;
  /** Positions of the commands whose claims were refused (nothing of the write was kept). */
  failed?: number[];
}

/** A timer started by the `startTimer` effect fell due. */
export interface TimerEvent {
  type: 'topology.timer';
  key: string;
}

/** Tags another holder claimed on an interface (read after a refused claim). */
export interface ClaimsFoundEvent {
  type: 'topology.claims';
  interfaceId: string;
  tags: number[];
}

export const claimsFound = (interfaceId: string, tags: number[]): ClaimsFoundEvent => ({ type: 'topology.claims', interfaceId, tags });
/** The switches of_core served when topology started (asked in setup). */
export interface ResyncEvent {
  type: 'topology.resync';
  switches: SwitchJson[];
}

export const persisted = (ticket: number, error?: unknown, failed?: number[]): PersistedEvent => ({
  type: 'topology.persisted',
  ticket,
  ...(error !== undefined ? { error } : {}),
  ...(failed !== undefined ? { failed } : {}),
});
export const timerEvent = (key: string): TimerEvent => ({ type: 'topology.timer', key });

export type TopologyEvent =
  | DeliveriesOf<typeof SUBSCRIPTIONS>
  | AskMessage<typeof runCommand>
  | AskMessage<typeof getTopologySwitch>
  | AskMessage<typeof getTopology>
  | AskMessage<typeof getTopologyLink>
  | AskMessage<typeof getInterfaceTags>
  | AskMessage<typeof listInterruptions>
  | AskMessage<typeof allocateTags>
  | AskMessage<typeof releaseTags>
  | AskMessage<typeof allocateLinkTags>
  | AskMessage<typeof releaseLinkTags>
  | PersistedEvent
  | ClaimsFoundEvent
  | ResyncEvent
  | TimerEvent;
