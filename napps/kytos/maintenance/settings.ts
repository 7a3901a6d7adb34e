/** Settings of kytos/maintenance (times in seconds). Override with `napps.settings["kytos/maintenance"]`. */
export interface MaintenanceSettings {
  /** Seconds a finished window is kept after its last change before it leaves the store (0: kept forever, as Kytos-ng). */
  FINISHED_RETENTION: number;
  /** Seconds between two pruning passes (0: never). */
  PRUNE_INTERVAL: number;
  /** Most finished windows one pass removes (the rest go in the next passes). */
  PRUNE_BATCH: number;
}

export const defaults: MaintenanceSettings = {
  FINISHED_RETENTION: 90 * 86_400,
  PRUNE_INTERVAL: 3_600,
  PRUNE_BATCH: 500,
};
