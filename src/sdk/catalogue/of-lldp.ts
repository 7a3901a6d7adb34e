/**
 * Contracts of kytos/of_lldp (kytos-api.md 2.3): the events it publishes
 * (link discovery itself, `kytos/of_lldp.interface.is.nni`, is declared in
 * topology.ts, its consumer) and its status ask.
 */
import type { InterfaceJson } from '../../model/index.js';
import { defineAsk, defineEvent } from '../contract.js';

export const OF_LLDP = 'kytos/of_lldp';

/** `kytos/of_lldp.network_status.updated`: LLDP was enabled or disabled on interfaces (topology keeps their `lldp` flag). */
export const lldpNetworkStatusUpdated = defineEvent<{ attribute: 'LLDP'; state: 'enabled' | 'disabled'; interface_ids: string[] }>()(
  'kytos/of_lldp.network_status.updated',
);

/** `kytos/of_lldp.messages.out.ofpt_packet_out`: an LLDP PACKET_OUT went to a switch (one event per cycle and switch in Lattice). */
export const lldpPacketOut = defineEvent<{ dpid: string; port_numbers: number[] }>()('kytos/of_lldp.messages.out.ofpt_packet_out');

/** An interface as liveness and loop events carry it (its id at least). */
export type LldpInterfaceRef = Pick<InterfaceJson, 'id'> & Partial<InterfaceJson>;

/** Liveness of a pair changed: `kytos/of_lldp.liveness.up|down`. */
export interface LivenessPairContent {
  interface_a: LldpInterfaceRef;
  interface_b: LldpInterfaceRef;
}
export const livenessUp = defineEvent<LivenessPairContent>()('kytos/of_lldp.liveness.up');
export const livenessDown = defineEvent<LivenessPairContent>()('kytos/of_lldp.liveness.down');
/** Liveness admin state changed on interfaces: `kytos/of_lldp.liveness.enabled|disabled`. */
export const livenessEnabled = defineEvent<{ interfaces: LldpInterfaceRef[] }>()('kytos/of_lldp.liveness.enabled');
export const livenessDisabled = defineEvent<{ interfaces: LldpInterfaceRef[] }>()('kytos/of_lldp.liveness.disabled');

/** A loop between two ports of one switch: `kytos/of_lldp.loop.detected|stopped`. */
export interface LoopStateContent {
  interface_id: string;
  dpid: string;
  port_numbers: [number, number];
}
export const loopDetected = defineEvent<LoopStateContent>()('kytos/of_lldp.loop.detected');
export const loopStopped = defineEvent<LoopStateContent>()('kytos/of_lldp.loop.stopped');
/** The configured loop actions, one event each: `kytos/of_lldp.loop.action.log|disable`. */
export const loopActionLog = defineEvent<LivenessPairContent>()('kytos/of_lldp.loop.action.log');
export const loopActionDisable = defineEvent<LivenessPairContent>()('kytos/of_lldp.loop.action.disable');

/** `kytos/of_lldp.enable_table` (the answer to of_multi_table's): the table each of its flow groups lives in, Kytos-ng's `group_table` key. */
export const lldpEnableTable = defineEvent<{ group_table: Record<string, number> }>()('kytos/of_lldp.enable_table');
/** `kytos/of_multi_table.enable_table`: per NApp (`of_lldp`, `mef_eline`, ...), the table of each of its flow groups (`{"base": 2}`). */
export const multiTableEnableTable = defineEvent<Record<string, Record<string, number> | undefined>>()('kytos/of_multi_table.enable_table');

/** Frames counted and dropped, by reason (also shown under `core/status`). */
export interface LldpCounters {
  /** LLDP frames sent. */
  sent: number;
  /** Authenticated, fresh LLDP frames accepted. */
  accepted: number;
  /** Rejected LLDP frames, by reason: `no_tlv`, `bad_mac`, `stale`, `malformed`, `unknown_interface`. */
  rejected: Record<string, number>;
  /** Accepted frames still waiting for the other direction (relay defence). */
  one_way: number;
}

/** of_lldp's counters. */
export const getLldpCounters = defineAsk<Record<never, never>, LldpCounters>()(OF_LLDP, 'of_lldp.counters.get');
