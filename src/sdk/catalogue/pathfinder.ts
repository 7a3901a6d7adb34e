/**
 * Contracts of kytos/pathfinder (kytos-api.md 2.5): the typed ask other NApps
 * (mef_eline) use instead of POST v3/, with the same request and answer shapes.
 */
import { defineAsk } from '../contract.js';

export const PATHFINDER = 'kytos/pathfinder';

/** Link metadata a path can be constrained by; keys other than these are accepted and always met. */
export interface PathMetrics {
  /** Minimum `bandwidth` of every link. */
  bandwidth?: number;
  /** Maximum `utilization` of every link. */
  utilization?: number;
  /** Maximum `priority` of every link. */
  priority?: number;
  /** Minimum `reliability` of every link. */
  reliability?: number;
  /** Maximum `delay` of every link. */
  delay?: number;
  /** Every link is owned by this user (link `ownership`: a space-separated string, a list or an object's keys). */
  ownership?: string;
  /** No link is owned by any of these users (a list, or a comma-separated string). */
  not_ownership?: string[] | string;
  [metric: string]: unknown;
}

/** The attribute summed as a path's cost; a link without it costs 1, and so does every switch-interface edge. */
export type SpfAttribute = 'hop' | 'delay' | 'priority';

/** The body of `POST /api/kytos/pathfinder/v3/`. */
export interface PathRequest {
  /** A dpid or an interface id. */
  source: string;
  destination: string;
  /** Link ids no path may use (unknown ids are ignored, as in Kytos-ng). */
  undesired_links?: string[];
  /** Default `hop`. */
  spf_attribute?: SpfAttribute;
  /** How many paths at most, 1-10; default 2. */
  spf_max_paths?: number;
  /** Paths costing more are left out. */
  spf_max_path_cost?: number;
  /** Every link of a path meets all of these. */
  mandatory_metrics?: PathMetrics;
  /** Every link of a path meets at least `minimum_flexible_hits` of these (the same ones on every link). */
  flexible_metrics?: PathMetrics;
  minimum_flexible_hits?: number;
  /** Deprecated alias Kytos-ng still accepts in its schema; ignored (use `spf_attribute`). */
  parameter?: string;
}

/** One path: the hops (switches and interfaces, in order), the metrics it met (constrained requests only) and its cost. */
export interface FoundPath {
  hops: string[];
  metrics?: PathMetrics;
  cost: number;
}

export interface PathsAnswer {
  paths: FoundPath[];
}

/**
 * Ask: the k best paths, as `POST v3/` answers them (`{"paths": []}` for an
 * unknown node or no path). Rejects with a BadRequestError when a link's
 * metadata cannot be compared or summed.
 */
export const findPaths = defineAsk<PathRequest, PathsAnswer>()(PATHFINDER, 'pathfinder.paths.find');
