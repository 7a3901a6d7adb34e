/** Settings of kytos/pathfinder; override with `napps.settings["kytos/pathfinder"]` in config. */
export interface PathfinderSettings {
  /** Milliseconds to wait for kytos/topology's snapshot at start (without topology, the graph starts empty). */
  TOPOLOGY_ASK_TIMEOUT_MS: number;
  /** Milliseconds a search runs before it lets other work run (it goes on in the next turn of the event loop). */
  SEARCH_SLICE_MS: number;
  /** Spur searches (one Dijkstra each) one request may take; past it the request is a 400. */
  MAX_SEARCH_STEPS: number;
}

export const defaults: PathfinderSettings = { TOPOLOGY_ASK_TIMEOUT_MS: 2000, SEARCH_SLICE_MS: 10, MAX_SEARCH_STEPS: 200_000 };
