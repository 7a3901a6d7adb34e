/**
 * Settings of kytos/of_core (Kytos names; times in seconds, fractions allowed).
 * Override with `napps.settings["kytos/of_core"]` in config.
 */
export interface OfCoreSettings {
  /** Seconds between port (and table) stats rounds per switch. */
  STATS_INTERVAL: number;
  /**
   * Seconds between flow-stats requests per switch (flow_manager's consistency check runs on
   * each reply, so this is its interval). Kytos-ng polls flows with the rest every STATS_INTERVAL.
   */
  FLOW_STATS_INTERVAL: number;
  /** A stats request still pending when the next is due is skipped, at most this many times in a row. */
  STATS_REQ_SKIP: number;
  /** Stagger step: the n-th switch seen waits (n x step) mod span seconds before its first round. */
  STATS_STAGGER_STEP: number;
  /** Stagger span (seconds); capped at STATS_INTERVAL. */
  STATS_STAGGER_SPAN: number;
  /** Seconds a stats request may take before it counts as failed. */
  STATS_TIMEOUT: number;
  /** Ignore port updates older than the state already applied (per-connection sequence numbers). */
  SKIP_INTF_STATE_LATE_UPDATES: boolean;
}

export const defaults: OfCoreSettings = {
  STATS_INTERVAL: 60,
  FLOW_STATS_INTERVAL: 10,
  STATS_REQ_SKIP: 5,
  STATS_STAGGER_STEP: 3,
  STATS_STAGGER_SPAN: 30,
  STATS_TIMEOUT: 30,
  SKIP_INTF_STATE_LATE_UPDATES: true,
};
