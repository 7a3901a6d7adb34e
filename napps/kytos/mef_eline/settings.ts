/** Settings of kytos/mef_eline; override with `napps.settings["kytos/mef_eline"]` in config. */
export interface MefElineSettings {
  /** Southbound priority of UNI flows matching one VLAN (and of every NNI and pop flow). */
  EVPL_SB_PRIORITY: number;
  /** Southbound priority of UNI flows matching the whole port (EPL, no tag). */
  EPL_SB_PRIORITY: number;
  /** Southbound priority of UNI flows matching `any` tagged frame. */
  ANY_SB_PRIORITY: number;
  /** Southbound priority of UNI flows matching untagged frames. */
  UNTAGGED_SB_PRIORITY: number;
  /** The cookie's top byte: cookie = prefix << 56 + the EVC id's 56 bits. */
  COOKIE_PREFIX: number;
  /** Milliseconds an ask to topology, pathfinder or flow_manager may take. */
  ASK_TIMEOUT_MS: number;
  /** How many paths to ask pathfinder for when placing a dynamic EVC. */
  MAX_PATHS: number;
  /** Seconds between checks that every flow of an active EVC is still in flow_manager's store (0: never). */
  CONSISTENCY_INTERVAL: number;
  /** Keep a pre-installed failover path for dynamic EVCs (Kytos-ng EP029). */
  FAILOVER: boolean;
  /**
   * Seconds a link of an active EVC's path may stay not UP while both its switches are UP before the
   * consistency check handles it like a link_down (one that was never announced, e.g. a link cut while
   * the controller was stopped).
   */
  DEAD_LINK_GRACE: number;
  /** Seconds an archived (deleted) EVC is kept before it leaves the store (0: kept forever, like Kytos-ng). */
  ARCHIVED_RETENTION: number;
  /** Seconds between two pruning passes (0: never). */
  PRUNE_INTERVAL: number;
  /** Most archived EVCs one pass removes (the rest go in the next passes). */
  PRUNE_BATCH: number;
}

export const defaults: MefElineSettings = {
  EVPL_SB_PRIORITY: 20000,
  EPL_SB_PRIORITY: 10000,
  ANY_SB_PRIORITY: 15000,
  UNTAGGED_SB_PRIORITY: 20000,
  COOKIE_PREFIX: 0xaa,
  ASK_TIMEOUT_MS: 10_000,
  MAX_PATHS: 2,
  FAILOVER: true,
  DEAD_LINK_GRACE: 30,
  CONSISTENCY_INTERVAL: 60,
  ARCHIVED_RETENTION: 30 * 86_400,
  PRUNE_INTERVAL: 3_600,
  PRUNE_BATCH: 500,
};
