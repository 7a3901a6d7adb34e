import { expect } from 'chai';
import type { FoundPath, PathMetrics, PathRequest } from '../../../../../src/sdk/index.js';
import { applyLinkChange, applyTopology, emptyGraph, type LinkLike, type TopologyLike } from '../../../../../napps/kytos/pathfinder/graph.js';
import { findPathsIn } from '../../../../../napps/kytos/pathfinder/logic.js';
import { pick, prng, randomTopology } from './topologies.js';

/**
 * The reference: every simple path between source and destination, enumerated
 * by brute force on an adjacency built here from the same rules (Kytos-ng's
 * graph), filtered and sorted by (cost, hop list). Written without the NApp's
 * code so a shared mistake cannot hide.
 */
type Attrs = Record<string, unknown>;

function referenceAdjacency(t: TopologyLike): Map<string, Map<string, Attrs>> {
  const adj = new Map<string, Map<string, Attrs>>();
  const add = (u: string, v: string, a: Attrs) => {
    if (!adj.has(u)) adj.set(u, new Map());
    if (!adj.has(v)) adj.set(v, new Map());
    adj.get(u)!.set(v, a);
    adj.get(v)!.set(u, a);
  };
  for (const sw of Object.values(t.switches)) {
    if (sw.status !== 'UP') continue;
    if (!adj.has(sw.id)) adj.set(sw.id, new Map());
    for (const i of Object.values(sw.interfaces)) if (i.status === 'UP') add(sw.id, i.id, {});
  }
  for (const l of Object.values(t.links)) if (l.status === 'UP') add(l.endpoint_a.id, l.endpoint_b.id, l.metadata);
  return adj;
}

function referenceMeets(metric: string, wanted: unknown, a: Attrs): boolean {
  const v = a[metric === 'not_ownership' ? 'ownership' : metric];
  if (v === undefined) return true;
  const owners = (x: unknown) => (typeof x === 'string' ? x.split(' ') : (x as string[]));
  switch (metric) {
    case 'bandwidth':
    case 'reliability':
      return (v as number) >= (wanted as number);
    case 'priority':
    case 'utilization':
    case 'delay':
      return (v as number) <= (wanted as number);
    case 'ownership':
      return owners(v).includes(wanted as string);
    case 'not_ownership':
      return !owners(v).some((o) => (wanted as string[]).includes(o));
    default:
      return true;
  }
}

function allSimplePaths(adj: Map<string, Map<string, Attrs>>, s: string, d: string): string[][] {
  const out: string[][] = [];
  if (!adj.has(s) || !adj.has(d)) return out;
  const path = [s];
  const on = new Set([s]);
  const walk = (u: string) => {
    if (u === d) return void out.push([...path]);
    for (const v of adj.get(u)!.keys()) {
      if (on.has(v)) continue;
      on.add(v);
      path.push(v);
      walk(v);
      path.pop();
      on.delete(v);
    }
  };
  walk(s);
  return out;
}

const byCostThenHops = (a: FoundPath, b: FoundPath): number => {
  if (a.cost !== b.cost) return a.cost - b.cost;
  for (let i = 0; i < Math.min(a.hops.length, b.hops.length); i++) if (a.hops[i] !== b.hops[i]) return a.hops[i]! < b.hops[i]! ? -1 : 1;
  return a.hops.length - b.hops.length;
};

function reference(t: TopologyLike, r: PathRequest): FoundPath[] {
  const adj = referenceAdjacency(t);
  const attr = r.spf_attribute ?? 'hop';
  const k = r.spf_max_paths ?? 2;
  const mandatory = r.mandatory_metrics ?? {};
  const flexible = r.flexible_metrics ?? {};
  const flexKeys = Object.keys(flexible);
  const constrained = Object.keys(mandatory).length + flexKeys.length > 0;
  const bannedPairs = (r.undesired_links ?? []).flatMap((id) => (t.links[id] ? [[t.links[id].endpoint_a.id, t.links[id].endpoint_b.id]] : []));
  const banned = (u: string, v: string) => bannedPairs.some(([a, b]) => (a === u && b === v) || (a === v && b === u));
  const rows: { path: FoundPath; hits: string[] }[] = [];
  for (const hops of allSimplePaths(adj, r.source, r.destination)) {
    let ok = true;
    let cost = 0;
    let hits = flexKeys;
    for (let i = 1; i < hops.length; i++) {
      const [u, v] = [hops[i - 1]!, hops[i]!];
      const a = adj.get(u)!.get(v)!;
      if (banned(u, v) || !Object.entries(mandatory).every(([m, w]) => referenceMeets(m, w, a))) ok = false;
      hits = hits.filter((m) => referenceMeets(m, flexible[m], a));
      cost += attr === 'hop' || a[attr] === undefined ? 1 : (a[attr] as number);
    }
    if (ok) rows.push({ path: { hops, cost }, hits });
  }
  let chosen = rows;
  if (constrained) {
    const level = Math.max(-1, ...rows.map((x) => x.hits.length));
    const minimum = Math.min(flexKeys.length, Math.max(0, r.minimum_flexible_hits ?? 0));
    chosen = level < minimum ? [] : rows.filter((x) => x.hits.length === level);
  }
  return chosen
    .map(({ path, hits }) => (constrained ? { hops: path.hops, metrics: { ...mandatory, ...Object.fromEntries(hits.map((m) => [m, flexible[m]])) }, cost: path.cost } : path))
    .sort(byCostThenHops)
    .slice(0, k)
    .filter((p) => !r.spf_max_path_cost || p.cost <= r.spf_max_path_cost);
}

const METRIC_VALUES: Record<string, unknown[]> = {
  bandwidth: [10, 50, 100],
  utilization: [10, 50, 90],
  priority: [1, 2, 3],
  reliability: [80, 95, 100],
  delay: [1, 2, 3, 5],
  ownership: ['A', 'B', 'C'],
  not_ownership: [['A'], ['B', 'C']],
  custom: [1],
};

function randomMetrics(rand: () => number): PathMetrics {
  const out: PathMetrics = {};
  for (const key of Object.keys(METRIC_VALUES)) if (rand() < 0.3) out[key] = pick(rand, METRIC_VALUES[key]!);
  return out;
}

function randomRequest(rand: () => number, ids: string[], linkIds: string[]): PathRequest {
  const source = pick(rand, ids);
  let destination = pick(rand, ids);
  if (destination === source) destination = ids[(ids.indexOf(source) + 1) % ids.length]!;
  const r: PathRequest = { source, destination };
  if (rand() < 0.7) r.spf_attribute = pick(rand, ['hop', 'delay', 'priority'] as const);
  if (rand() < 0.8) r.spf_max_paths = 1 + Math.floor(rand() * 10);
  if (rand() < 0.3) r.spf_max_path_cost = 3 + Math.floor(rand() * 15);
  if (rand() < 0.4) r.undesired_links = [...linkIds.filter(() => rand() < 0.25), ...(rand() < 0.3 ? ['no-such-link'] : [])];
  if (rand() < 0.4) r.mandatory_metrics = randomMetrics(rand);
  if (rand() < 0.5) r.flexible_metrics = randomMetrics(rand);
  if (rand() < 0.5) r.minimum_flexible_hits = Math.floor(rand() * 7);
  return r;
}

describe('kytos/pathfinder reference', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => 1000 + i * 7919);

  for (const [n, seed] of seeds.entries()) {
    it(`should equal a brute-force enumeration sorted by (cost, hops) on random graph ${n + 1} (seed ${seed})`, () => {
      const rand = prng(seed);
      const t = randomTopology(rand, 5 + Math.floor(rand() * 26));
      const g = applyTopology(emptyGraph(), t);
      const linkIds = Object.keys(t.links);
      let nonEmpty = 0;
      let constrainedNonEmpty = 0;
      for (let i = 0; i < 150; i++) {
        const r = randomRequest(rand, t.ids, linkIds);
        const got = findPathsIn(g, r).paths;
        expect(got, JSON.stringify(r)).to.deep.equal(reference(t, r));
        if (got.length > 0) nonEmpty++;
        if (got.length > 0 && got[0]!.metrics) constrainedNonEmpty++;
      }
      expect(nonEmpty, 'requests with paths').to.be.greaterThan(10);
      expect(constrainedNonEmpty, 'constrained requests with paths').to.be.greaterThan(0);
    });
  }

  it('should build the same graph incrementally from link changes as from the whole snapshot', () => {
    for (const seed of seeds) {
      const rand = prng(seed);
      const t = randomTopology(rand, 5 + Math.floor(rand() * 26));
      const noLinks: TopologyLike = { switches: t.switches, links: {} };
      let g = applyTopology(emptyGraph(), noLinks);
      // Each link comes up, some flap, metadata changes, then the final state.
      const links = Object.values(t.links);
      for (const l of links) g = applyLinkChange(g, { ...l, status: 'UP' });
      for (const l of links.filter(() => rand() < 0.3)) g = applyLinkChange(g, { ...l, status: 'DOWN', metadata: {} });
      for (const l of links) g = applyLinkChange(g, l as LinkLike);
      const whole = applyTopology(emptyGraph(), t);
      const dump = (x: typeof g) => [...x.adj].map(([u, row]) => [u, [...row].sort()] as const).sort();
      expect(dump(g)).to.deep.equal(dump(whole));
      expect([...g.isolated].sort()).to.deep.equal([...whole.isolated].sort());
    }
  });

  it('should answer the same whatever order the topology lists its switches, interfaces and links in', () => {
    for (const seed of seeds.slice(0, 5)) {
      const rand = prng(seed);
      const t = randomTopology(rand, 30);
      const shuffle = <T>(xs: T[]): T[] => xs.map((x) => [rand(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
      const reordered: TopologyLike = {
        switches: Object.fromEntries(shuffle(Object.entries(t.switches)).map(([id, sw]) => [id, { ...sw, interfaces: Object.fromEntries(shuffle(Object.entries(sw.interfaces))) }])),
        links: Object.fromEntries(shuffle(Object.entries(t.links))),
      };
      const [g1, g2] = [applyTopology(emptyGraph(), t), applyTopology(emptyGraph(), reordered)];
      for (let i = 0; i < 50; i++) {
        const r = randomRequest(rand, t.ids, Object.keys(t.links));
        expect(findPathsIn(g2, r), JSON.stringify(r)).to.deep.equal(findPathsIn(g1, r));
      }
    }
  });

  it('should reach the same graph from any previous one when a snapshot replaces it', () => {
    const dump = (x: ReturnType<typeof emptyGraph>) => ({
      adj: [...x.adj].map(([u, row]) => [u, [...row].sort()] as const).sort(),
      isolated: [...x.isolated].sort(),
    });
    for (const seed of seeds) {
      const rand = prng(seed);
      const before = randomTopology(rand, 5 + Math.floor(rand() * 26));
      const after = randomTopology(rand, 5 + Math.floor(rand() * 26));
      expect(dump(applyTopology(applyTopology(emptyGraph(), before), after))).to.deep.equal(dump(applyTopology(emptyGraph(), after)));
      // The same topology with statuses flipped and metadata changed, then back.
      const flipped: TopologyLike = {
        switches: Object.fromEntries(Object.entries(after.switches).map(([id, sw]) => [id, { ...sw, status: rand() < 0.3 ? 'DOWN' : sw.status }])),
        links: Object.fromEntries(Object.entries(after.links).map(([id, l]) => [id, { ...l, status: rand() < 0.3 ? 'DOWN' : l.status, metadata: { delay: 7 } }])),
      };
      const g1 = applyTopology(applyTopology(emptyGraph(), after), flipped);
      expect(dump(g1)).to.deep.equal(dump(applyTopology(emptyGraph(), flipped)));
      expect(dump(applyTopology(g1, after))).to.deep.equal(dump(applyTopology(emptyGraph(), after)));
    }
  });
});
