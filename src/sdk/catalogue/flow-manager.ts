/**
 * Contracts of kytos/flow_manager (kytos-api.md 2.4): stored flows, the
 * install/delete asks other NApps use instead of HTTP, and the flow events.
 */
import type { FlowStats } from '../../openflow/index.js';
import { defineAsk, defineEvent } from '../contract.js';

export const FLOW_MANAGER = 'kytos/flow_manager';

export type StoredFlowState = 'pending' | 'installed' | 'deleted';

/** A stored flow as `GET v2/stored_flows` returns it (`flow` is the request's flow, cookie exact). */
export interface StoredFlowDoc {
  switch: string;
  flow_id: string;
  id: string;
  state: StoredFlowState;
  flow: { table_id?: number; priority?: number; cookie?: bigint | number; match?: Record<string, unknown>; owner?: string; [field: string]: unknown };
  inserted_at: string;
  updated_at: string;
}

/** Stored flows by dpid (for topology's 409 "flow installed" checks, the UI, ...). */
export const getStoredFlows = defineAsk<{ dpids?: string[]; states?: StoredFlowState[] }, Record<string, StoredFlowDoc[]>>()(
  FLOW_MANAGER,
  'flow_manager.stored_flows.get',
);

/**
 * The outcome of an install or delete, as the REST API would answer it:
 * 202 sent (or stored for later with `force`), 201 confirmed by the switch
 * (`wait`), 400 invalid (nothing stored or sent), 424 not connected, 502/400
 * refused by the switch (`wait`), 504 not confirmed in time (`wait`).
 */
export interface FlowApplyResult {
  status: number;
  body: unknown;
}

/** What a NApp asks flow_manager to install or delete on one switch (Kytos flow dicts, same validation as REST). */
export interface FlowsRequest {
  dpid: string;
  flows: Record<string, unknown>[];
  /** The asking NApp (recorded as each flow's `owner` unless the flow names one). */
  owner: string;
  /** Store (and send later) even when the switch is not connected. */
  force?: boolean;
  /** Answer once the switch confirmed (BARRIER_REPLY) or refused the flows. */
  wait?: boolean;
}

export const installFlows = defineAsk<FlowsRequest, FlowApplyResult>()(FLOW_MANAGER, 'flow_manager.flows.install');
export const deleteFlows = defineAsk<FlowsRequest, FlowApplyResult>()(FLOW_MANAGER, 'flow_manager.flows.delete');

/** of_core's `Flow.as_dict()` fields: a flow as Kytos shows it, with its md5 `id`. */
interface KytosFlowDict {
  switch: string;
  table_id: number;
  match: Record<string, unknown>;
  priority: number;
  idle_timeout: number;
  hard_timeout: number;
  cookie: bigint | number;
  id: string;
  instructions: unknown[];
}

/** A flow as flow events carry it (of_core's `Flow.as_dict()` shape, plus its stored owner). */
export interface FlowEventFlow extends KytosFlowDict {
  cookie_mask: bigint | number;
  owner?: string;
}

export interface FlowEventContent {
  /** The switch's dpid (Kytos sends the Switch object). */
  datapath: string;
  flow: FlowEventFlow;
  error_command?: string;
  error_type?: number;
  error_code?: number;
  error_exception?: string;
}

/** Sent to the switch (after the durable write). */
export const flowPending = defineEvent<FlowEventContent>()('kytos/flow_manager.flow.pending');
/** Confirmed by the switch (BARRIER_REPLY or seen in flow stats). */
export const flowAdded = defineEvent<FlowEventContent>()('kytos/flow_manager.flow.added');
/** The switch removed a flow (OFPT_FLOW_REMOVED). */
export const flowRemoved = defineEvent<FlowEventContent>()('kytos/flow_manager.flow.removed');
/** The switch refused a FLOW_MOD (OFPT_ERROR); the stored flow is gone. */
export const flowError = defineEvent<FlowEventContent>()('kytos/flow_manager.flow.error');

/** A switch-reported flow as `GET v2/flows/{dpid}` shows it (of_core's `Flow.as_dict()`: Kytos match dict, md5 `id`, stats). */
export interface ReportedFlowJson extends KytosFlowDict {
  stats: { byte_count: bigint | number; duration_sec: number; duration_nsec: number; packet_count: bigint | number };
  cookie_mask: number;
}

/**
 * Flows from a flow-stats reply as Kytos dicts with their Kytos ids (the ids are
 * computed in flow_manager, which owns the canonical form); pure, in order.
 */
export const describeFlowStats = defineAsk<{ dpid: string; flows: readonly FlowStats[] }, ReportedFlowJson[]>()(FLOW_MANAGER, 'flow_manager.flow_stats.describe');
