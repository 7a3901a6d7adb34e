/**
 * Settings of amlight/kytos_stats (override with `napps.settings["amlight/kytos_stats"]`).
 * How often counters refresh is of_core's `STATS_INTERVAL`.
 */
export interface KytosStatsSettings {
  /** Milliseconds flow_manager may take to give a flow-stats reply its Kytos ids. */
  DESCRIBE_TIMEOUT_MS: number;
}

export const defaults: KytosStatsSettings = {
  DESCRIBE_TIMEOUT_MS: 10_000,
};
