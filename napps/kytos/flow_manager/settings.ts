/**
 * Settings of kytos/flow_manager (Kytos names where Kytos has one; times in
 * seconds, fractions allowed). Override with `napps.settings["kytos/flow_manager"]`.
 */
export interface FlowManagerSettings {
  /** Run the consistency check (reinstall missing stored flows, remove alien ones). */
  ENABLE_CONSISTENCY_CHECK: boolean;
  /**
   * Seconds between the periodic bookkeeping ticks (confirmed states written, soft-deleted flows
   * pruned). The consistency pass itself runs on each flow-stats reply: right after each
   * handshake (asked here) and every of_core `FLOW_STATS_INTERVAL`.
   */
  CONSISTENCY_INTERVAL: number;
  /**
   * Grace window (Kytos' verdict interval): an alien flow whose match is stored and
   * was changed, or that was soft-deleted, less than this many seconds ago is left alone.
   */
  CONSISTENCY_MIN_VERDICT_INTERVAL: number;
  /** Cookies the check ignores: values or [low, high] pairs (inclusive). */
  CONSISTENCY_COOKIE_IGNORED_RANGE: Array<number | string | [number | string, number | string]>;
  /** Tables the check ignores: values or [low, high] pairs (inclusive). */
  CONSISTENCY_TABLE_ID_IGNORED_RANGE: Array<number | [number, number]>;
  /** Kytos-ng's retries of a FLOW_MOD whose send failed on a connection error: how many. */
  CONN_ERR_MAX_RETRIES: number;
  /** Seconds before the first retry. */
  CONN_ERR_MIN_WAIT: number;
  /** Each further retry waits this many times longer. */
  CONN_ERR_MULTIPLIER: number;
  /** Seconds a batch's BARRIER_REPLY may take. */
  BARRIER_TIMEOUT: number;
  /** Seconds `?wait=installed` waits for the switch before answering 504. */
  WAIT_TIMEOUT: number;
  /** Seconds a flow-stats request may take. */
  STATS_TIMEOUT: number;
  /** Most flows one request may carry (counted over every switch it names). */
  MAX_FLOWS_PER_REQUEST: number;
  /** Seconds a soft-deleted flow is kept before it is pruned from the store. */
  DELETED_RETENTION: number;
  /** Most soft-deleted flows one pruning pass (every CONSISTENCY_INTERVAL) removes. */
  PRUNE_BATCH: number;
  /**
   * FLOW_MODs per second per switch, by flow owner (Kytos' ACTION_PACES, fixed window):
   * `no_owner` for flows without one, `alien` for removals of alien flows. An owner not
   * listed is not paced. Empty by default (Kytos-ng's 1000/s would cap the benchmark).
   */
  ACTION_PACES: Record<string, number>;
}

export const defaults: FlowManagerSettings = {
  ENABLE_CONSISTENCY_CHECK: true,
  CONSISTENCY_INTERVAL: 10,
  CONSISTENCY_MIN_VERDICT_INTERVAL: 30,
  CONSISTENCY_COOKIE_IGNORED_RANGE: [],
  CONSISTENCY_TABLE_ID_IGNORED_RANGE: [],
  CONN_ERR_MAX_RETRIES: 3,
  CONN_ERR_MIN_WAIT: 1,
  CONN_ERR_MULTIPLIER: 2,
  BARRIER_TIMEOUT: 10,
  WAIT_TIMEOUT: 10,
  STATS_TIMEOUT: 10,
  MAX_FLOWS_PER_REQUEST: 10_000,
  DELETED_RETENTION: 86_400,
  PRUNE_BATCH: 1_000,
  ACTION_PACES: {},
};
