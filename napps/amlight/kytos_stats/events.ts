/**
 * Messages the kytos_stats machine takes: of_core's three stats events,
 * topology's switch deletion, its own asks (the routes' queries) and the flows
 * flow_manager described.
 */
import {
  defineAsk,
  flowStatsReceived,
  portStatsReceived,
  tableStatsReceived,
  topologySwitchDeleted,
  type AskMessage,
  type DeliveriesOf,
  type ReportedFlowJson,
} from '#sdk';
import type { FlowStatsView, PortStatsView, TableStatsView } from './logic.js';

const NAPP = 'amlight/kytos_stats';

export const SUBSCRIPTIONS = [flowStatsReceived, portStatsReceived, tableStatsReceived, topologySwitchDeleted] as const;

/** GET v1/flow/stats: the flows of these switches (all known when empty). */
export const queryFlowStats = defineAsk<{ dpids: string[] }, FlowStatsView>()(NAPP, 'kytos_stats.flow_stats.query');
/** GET v1/table/stats. */
export const queryTableStats = defineAsk<{ dpids: string[]; tables: number[] }, TableStatsView>()(NAPP, 'kytos_stats.table_stats.query');
/** GET v1/port/stats. */
export const queryPortStats = defineAsk<{ dpids: string[]; ports: number[] }, PortStatsView>()(NAPP, 'kytos_stats.port_stats.query');
/** GET v1/packet_count/{flow_id}, v1/bytes_count/{flow_id}: one flow's counters, wherever it is. */
export const queryFlow = defineAsk<{ flowId: string }, { packet_count: bigint | number; byte_count: bigint | number; duration_sec: number } | undefined>()(
  NAPP,
  'kytos_stats.flow.query',
);
/** GET v1/{packet,bytes}_count/per_flow/{dpid}: every flow of one switch. */
export const querySwitchFlows = defineAsk<{ dpid: string }, { flow_id: string; packet_count: bigint | number; byte_count: bigint | number; duration_sec: number }[]>()(
  NAPP,
  'kytos_stats.switch_flows.query',
);

/** flow_manager gave the flows of one reply their Kytos ids (or failed: no flows). */
export interface FlowsDescribed {
  type: 'kytos_stats.flows.described';
  dpid: string;
  seq: number;
  flows?: ReportedFlowJson[];
}

export const flowsDescribed = (dpid: string, seq: number, flows?: ReportedFlowJson[]): FlowsDescribed => ({ type: 'kytos_stats.flows.described', dpid, seq, flows });

export type KytosStatsEvent =
  | DeliveriesOf<typeof SUBSCRIPTIONS>
  | FlowsDescribed
  | AskMessage<typeof queryFlowStats>
  | AskMessage<typeof queryTableStats>
  | AskMessage<typeof queryPortStats>
  | AskMessage<typeof queryFlow>
  | AskMessage<typeof querySwitchFlows>;
