/**
 * Contracts of kytos/flow_manager (kytos-api.md 2.4). The flow_manager NApp
 * adds its install/delete asks, events and flow types here as it lands.
 */
import { defineAsk } from '../contract.js';

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
