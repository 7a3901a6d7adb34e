/** Settings of kytos/pathfinder; override with `napps.settings["kytos/pathfinder"]` in config. */
export interface PathfinderSettings {
  /** Milliseconds to wait for kytos/topology's snapshot at start (without topology, the graph starts empty). */
  TOPOLOGY_ASK_TIMEOUT_MS: number;
}

export const defaults: PathfinderSettings = { TOPOLOGY_ASK_TIMEOUT_MS: 2000 };
