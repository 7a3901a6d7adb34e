/**
 * Contracts of kytos/mef_eline (kytos-api.md 2.6): the EVC JSON shape, its
 * bus events (content as Kytos-ng's `map_evc_event_content`) and the asks
 * other NApps (and tests) use instead of the v2 REST API.
 */
import { defineAsk, defineEvent } from '../contract.js';

export const MEF_ELINE = 'kytos/mef_eline';

/** A UNI tag: a VLAN id, `any`, `untagged`, or inclusive ranges (`[[a, b], ...]`, with `mask_list`). */
export interface UniTagJson {
  tag_type: 'vlan';
  value: number | 'any' | 'untagged' | [number, number][];
  mask_list?: (string | number)[];
}

export interface UniJson {
  interface_id: string;
  tag?: UniTagJson;
}

/** One link of a path as the EVC shows it: Kytos `Link.as_dict()` with `metadata.s_vlan` set while the EVC holds it. */
export interface EvcPathLink {
  id: string;
  endpoint_a: { id: string; [field: string]: unknown };
  endpoint_b: { id: string; [field: string]: unknown };
  metadata: { s_vlan?: { tag_type: 'vlan'; value: number }; [key: string]: unknown };
  [field: string]: unknown;
}

/** A schedule of an EVC (`circuit_scheduler` entries). */
export interface EvcScheduleJson {
  id: string;
  action: 'create' | 'remove';
  date?: string;
  interval?: Record<string, number>;
  frequency?: string;
}

/** An EVC as `GET v2/evc/{id}` answers it (and as stored, with `inserted_at`). */
export interface EvcJson {
  id: string;
  name: string;
  uni_a: UniJson;
  uni_z: UniJson;
  bandwidth: number;
  primary_path: EvcPathLink[];
  backup_path: EvcPathLink[];
  current_path: EvcPathLink[];
  failover_path: EvcPathLink[];
  primary_links: EvcPathLink[];
  backup_links: EvcPathLink[];
  dynamic_backup_path: boolean;
  sb_priority: number | null;
  service_level: number;
  circuit_scheduler: EvcScheduleJson[];
  archived: boolean;
  metadata: Record<string, unknown>;
  active: boolean;
  enabled: boolean;
  max_paths: number;
  execution_rounds: number;
  owner: string | null;
  queue_id: number;
  primary_constraints: Record<string, unknown>;
  secondary_constraints: Record<string, unknown>;
  table_group: Record<string, number>;
  start_date: string;
  creation_time: string;
  request_time: string;
  end_date: string | null;
  flow_removed_at: string | null;
  last_deployed_at: string | null;
  updated_at: string;
}

/** Content of every mef_eline event. */
export interface EvcEventContent {
  evc_id: string;
  id: string;
  name: string;
  metadata: Record<string, unknown>;
  active: boolean;
  enabled: boolean;
  uni_a: UniJson;
  uni_z: UniJson;
}

const ev = (subject: string) => defineEvent<EvcEventContent>()(`kytos/mef_eline.${subject}`);
export const evcCreated = ev('created');
export const evcUpdated = ev('updated');
export const evcDeleted = ev('deleted');
export const evcDeployed = ev('deployed');
export const evcUndeployed = ev('undeployed');
export const evcRedeployedLinkDown = ev('redeployed_link_down');
export const evcRedeployedLinkUp = ev('redeployed_link_up');
export const evcErrorRedeployLinkDown = ev('error_redeploy_link_down');
export const evcFailoverLinkDown = ev('failover_link_down');
export const evcFailoverDeployed = ev('failover_deployed');
export const evcUniActiveUpdated = ev('uni_active_updated');
export const evcsLoaded = defineEvent<Record<string, EvcJson>>()('kytos/mef_eline.evcs_loaded');

/** Ask: the live (not archived) EVCs, by id. */
export const getEvcs = defineAsk<{ archived?: boolean }, Record<string, EvcJson>>()(MEF_ELINE, 'mef_eline.evcs.get');

/** Ask: check now that every flow of every active EVC is in flow_manager's store; answers the EVCs redeployed. */
export const checkEvcFlows = defineAsk<Record<never, never>, string[]>()(MEF_ELINE, 'mef_eline.flows.check');
