/** Messages the flow_manager machine takes: its asks, effect results, timers and subscribed bus events. */
import {
  defineAsk,
  deleteFlows,
  flowRemovedIn,
  flowStatsReceived,
  describeFlowStats,
  getStoredFlows,
  installFlows,
  switchReady,
  type AskMessage,
  type DeliveriesOf,
  type FlowApplyResult,
  type FlowStats,
  type ReportedFlowJson,
  type StoredFlowDoc,
  type StoredFlowState,
} from '#sdk';
import type { Command, FlowSpec } from './flow.js';

/** A checked flow and its ids. */
export interface CheckedFlow {
  spec: FlowSpec;
  flow_id: string;
  id: string;
}

export const FM = 'kytos/flow_manager';

/** One request from the REST API: flows per target switch. */
export interface ApplyRequest {
  command: Command;
  /** Flows per switch; `checked`: already checked, with their ids (large requests are checked in slices by the route). */
  targets: { dpid: string; flows: unknown[]; checked?: CheckedFlow[] }[];
  force: boolean;
  wait: boolean;
  owner?: string;
}

/** Ask (from routes): validate, store, send; answered as the REST response. */
export const applyFlows = defineAsk<ApplyRequest, FlowApplyResult>()(FM, 'flow_manager.apply');

export interface StoredQuery {
  dpids?: string[];
  states?: StoredFlowState[];
  /** Inclusive [low, high] cookie ranges, OR'ed. */
  cookieRanges?: [bigint, bigint][];
}
/** Ask (from routes): GET v2/stored_flows. */
export const queryStored = defineAsk<StoredQuery, Record<string, StoredFlowDoc[]>>()(FM, 'flow_manager.stored.query');
/** Ask (from routes): GET v2/flows[/{dpid}], what switches last reported. */
export const queryReported = defineAsk<{ dpids: string[] }, Record<string, { flows: ReportedFlowJson[] }>>()(FM, 'flow_manager.reported.query');

/** The durable write of a group finished (connected: the switches connected at that moment). */
export interface PersistedEvent {
  type: 'fm.persisted';
  writeId: number;
  error?: string;
  connected: string[];
}

export interface BarrierFailure {
  code: string;
  index?: number;
  errType?: number;
  errCode?: number;
}

/** A batch's BARRIER_REPLY came (no failure) or the batch failed. */
export interface BarrierEvent {
  type: 'fm.barrier';
  batchId: number;
  failure?: BarrierFailure;
}

/** A flow-stats reply for a consistency pass (requestedAt: clock ms when asked). */
export interface StatsEvent {
  type: 'fm.stats';
  dpid: string;
  requestedAt: number;
  flows?: FlowStats[];
  error?: string;
}

/** The consistency pass on a switch's flow-stats reply goes on with its next slice. */
export interface CheckMoreEvent {
  type: 'fm.check_more';
  dpid: string;
}
/** A describeFlowStats answer goes on with its next slice. */
export interface DescribeMoreEvent {
  type: 'fm.describe_more';
  describeId: number;
}
/** What the machine sends itself once the event loop has turned (the `later` effect). */
export type LaterEvent = CheckMoreEvent | DescribeMoreEvent;

/** Timers: the periodic consistency pass, or a waiting request's deadline. */
export interface TickEvent {
  type: 'fm.tick';
}
/** Pacing: a switch's held FLOW_MODs may go out. */
export interface PaceEvent {
  type: 'fm.pace';
  dpid: string;
}
/** A connection-error retry fell due. */
export interface RetryEvent {
  type: 'fm.retry';
  retryId: number;
}
export interface WaitExpiredEvent {
  type: 'fm.wait_expired';
  jobId: number;
}

/** Kytos' event forms: `kytos.flow_manager.flows.(install|delete)` and `.flows.single.(install|delete)`. */
export const KYTOS_FLOW_EVENTS = 'kytos\\.flow_manager\\.flows\\.(single\\.)?(install|delete)';
export interface KytosFlowsContent {
  dpid: string;
  flow_dict: { flows: unknown[] };
  force?: boolean;
}

export const SUBSCRIPTIONS = [switchReady, flowStatsReceived, flowRemovedIn] as const;

export type FlowManagerEvent =
  | DeliveriesOf<typeof SUBSCRIPTIONS>
  | AskMessage<typeof applyFlows>
  | AskMessage<typeof installFlows>
  | AskMessage<typeof deleteFlows>
  | AskMessage<typeof getStoredFlows>
  | AskMessage<typeof describeFlowStats>
  | AskMessage<typeof queryStored>
  | AskMessage<typeof queryReported>
  | PersistedEvent
  | BarrierEvent
  | StatsEvent
  | CheckMoreEvent
  | DescribeMoreEvent
  | TickEvent
  | WaitExpiredEvent
  | RetryEvent
  | PaceEvent;
