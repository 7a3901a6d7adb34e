/**
 * Pathfinder's answer to a request (POST v3/, the `findPaths` ask), computed
 * from the graph: pure, no I/O. Rules from Kytos-ng (kytos-api.md 2.5):
 * undesired links leave the graph (unknown ids are ignored); mandatory
 * metrics must hold on every link; with flexible metrics, the paths come from
 * the largest number of them (down to `minimum_flexible_hits`) that some path
 * meets on all its links; cost is the sum of `spf_attribute` with 1 for a
 * missing attribute; `spf_max_path_cost` drops dearer paths.
 */
import {
  BadRequestError,
  linkMetadataAdded,
  linkMetadataRemoved,
  topologyInterfaceDeleted,
  topologyLinkDeleted,
  topologyLinkDisabled,
  topologyLinkDown,
  topologyLinkEnabled,
  topologyLinkUp,
  topologyLoaded,
  topologySwitchDeleted,
  topologySwitchDisabled,
  topologySwitchEnabled,
  topologyUpdated,
  type FoundPath, type PathMetrics, type PathRequest, type PathsAnswer } from '#sdk';
import type { TopologyDelivery } from './events.js';
import {
  applyInterfaceChange,
  applyLinkChange,
  applySwitchChange,
  applySwitchDisabled,
  applyTopology,
  hasNode,
  linkEdges,
  type EdgeAttrs,
  type PathGraph,
} from './graph.js';
import { edgeCost, KNOWN_METRICS, meets } from './metrics.js';
import { comparePaths, finish, kShortestPathsSteps, type CostedPath, type SearchGraph } from './paths.js';

export const SPF_ATTRIBUTES = ['hop', 'delay', 'priority'] as const;
export const DEFAULT_MAX_PATHS = 2;

const edgeKey = (u: string, v: string): string => (u < v ? `${u}\u0000${v}` : `${v}\u0000${u}`);

/** The combinations of `items` of size `r`, in itertools order. */
export function combinations<T>(items: readonly T[], r: number): T[][] {
  const out: T[][] = [];
  const pick = (start: number, acc: T[]): void => {
    if (acc.length === r) {
      out.push(acc);
      return;
    }
    for (let i = start; i <= items.length - (r - acc.length); i++) pick(i + 1, [...acc, items[i]!]);
  };
  pick(0, []);
  return out;
}

/** What a request's constraints say of one edge. */
interface EdgeVerdict {
  /** Not undesired and every mandatory metric met. */
  allowed: boolean;
  /** Bit i: the i-th known flexible metric met. */
  hits: number;
  cost: number;
}

const nonEmpty = (m: PathMetrics | undefined): m is PathMetrics => m !== undefined && m !== null && Object.keys(m).length > 0;

/** The paths answering `request` on graph `g`. Throws a BadRequestError for unusable metadata. */
export function findPathsIn(g: PathGraph, request: PathRequest): PathsAnswer {
  return finish(findPathsSteps(g, request));
}

/** The same, one step (spur search) at a time: see `kShortestPathsSteps`. */
export function* findPathsSteps(g: PathGraph, request: PathRequest): Generator<void, PathsAnswer> {
  const attribute = request.spf_attribute ?? 'hop';
  if (!(SPF_ATTRIBUTES as readonly string[]).includes(attribute)) throw new BadRequestError(`Invalid spf_attribute: ${String(attribute)}`);
  const k = Math.max(1, Math.floor(request.spf_max_paths ?? DEFAULT_MAX_PATHS));
  const maxCost = request.spf_max_path_cost ? request.spf_max_path_cost : Infinity;
  const undesired = request.undesired_links ?? [];
  const mandatory = request.mandatory_metrics ?? {};
  const flexible = request.flexible_metrics ?? {};
  const constrained = nonEmpty(mandatory) || nonEmpty(flexible);
  const flexKeys = Object.keys(flexible);
  // A flexible metric no link can fail is met by every path: only the others are combined (no blow-up on many unknown names).
  const known = flexKeys.filter((key) => KNOWN_METRICS.has(key));

  // Every edge judged once, in a stable order, so a bad attribute is a 400 whatever the search visits.
  const banned = new Set(linkEdges(g, undesired).map(([a, b]) => edgeKey(a, b)));
  const verdicts = new Map<string, EdgeVerdict>();
  for (const [u, row] of g.adj) {
    for (const [v, attrs] of row) {
      if (v < u) continue;
      verdicts.set(edgeKey(u, v), judge(attrs, u, v));
    }
  }
  function judge(attrs: EdgeAttrs, u: string, v: string): EdgeVerdict {
    let allowed = !banned.has(edgeKey(u, v));
    for (const [metric, wanted] of Object.entries(mandatory)) allowed = meets(metric, wanted, attrs, u, v) && allowed;
    let hits = 0;
    known.forEach((metric, i) => {
      if (meets(metric, flexible[metric], attrs, u, v)) hits |= 1 << i;
    });
    return { allowed, hits, cost: allowed ? edgeCost(attribute, attrs, u, v) : 1 };
  }

  // Kytos-ng searches an edge subgraph whenever it filters: a node left without edges is gone.
  const filtered = undesired.length > 0 || constrained;
  const positive = ![...verdicts.values()].some((e) => e.allowed && e.cost === 0);
  const view = (mask: number): SearchGraph => {
    const usable = (u: string, v: string): EdgeVerdict | undefined => {
      const e = verdicts.get(edgeKey(u, v));
      return e && e.allowed && (e.hits & mask) === mask ? e : undefined;
    };
    return {
      positive,
      has: (node) => (filtered ? [...(g.adj.get(node)?.keys() ?? [])].some((n) => usable(node, n)) : hasNode(g, node)),
      neighbours: (node) => g.adj.get(node)?.keys() ?? [],
      cost: (u, v) => usable(u, v)?.cost,
    };
  };

  if (!constrained) {
    return { paths: (yield* kShortestPathsSteps(view(0), request.source, request.destination, k, maxCost)).map(({ hops, cost }) => ({ hops, cost })) };
  }

  const alwaysMet = flexKeys.length - known.length;
  const minimum = Math.min(flexKeys.length, Math.max(0, request.minimum_flexible_hits ?? 0));
  for (let level = known.length; level + alwaysMet >= minimum && level >= 0; level--) {
    const found = new Map<string, { path: CostedPath; combo: string[] }>();
    for (const combo of combinations(known, level)) {
      const mask = combo.reduce((m, key) => m | (1 << known.indexOf(key)), 0);
      for (const path of yield* kShortestPathsSteps(view(mask), request.source, request.destination, k)) {
        const key = path.hops.join('\u0000');
        if (!found.has(key)) found.set(key, { path, combo });
      }
    }
    if (found.size === 0) continue;
    const best = [...found.values()].sort((a, b) => comparePaths(a.path, b.path)).slice(0, k);
    const met = (combo: string[]) => flexKeys.filter((key) => !KNOWN_METRICS.has(key) || combo.includes(key));
    const paths: FoundPath[] = best
      .filter(({ path }) => path.cost <= maxCost)
      .map(({ path, combo }) => ({ hops: path.hops, metrics: { ...mandatory, ...Object.fromEntries(met(combo).map((key) => [key, flexible[key]])) }, cost: path.cost }));
    return { paths };
  }
  return { paths: [] };
}

/** The graph after one topology event: a snapshot replaces it, any other event changes one entity. */
export function graphAfter(g: PathGraph, e: TopologyDelivery): PathGraph {
  switch (e.type) {
    case topologyLoaded.type:
    case topologyUpdated.type:
      return applyTopology(g, e.content.topology);
    case topologyLinkDeleted.type:
      return applyLinkChange(g, e.content.link, true);
    case topologyLinkUp.type:
    case topologyLinkDown.type:
    case topologyLinkEnabled.type:
    case topologyLinkDisabled.type:
    case linkMetadataAdded.type:
    case linkMetadataRemoved.type:
      return applyLinkChange(g, e.content.link);
    case topologySwitchDisabled.type:
      return applySwitchDisabled(g, e.content.dpid);
    case topologySwitchEnabled.type:
      return g; // whether it is UP again is not in the event: the machine fetches the switch
    case topologySwitchDeleted.type:
      return applySwitchChange(g, e.content.switch, true);
    case topologyInterfaceDeleted.type:
      return applyInterfaceChange(g, e.content.interface, true);
    default:
      return applyInterfaceChange(g, e.content.interface);
  }
}
