/**
 * k shortest simple paths (Yen, 1971) over an undirected graph with
 * non-negative edge costs, in one total order: by cost, then by the hop list
 * (element by element, as strings). The order is what makes the answer
 * deterministic with ties, and Yen stays exact under it because the spur
 * search (Dijkstra) settles nodes by the same order: extending a path never
 * makes it smaller, and two paths to a node keep their order when extended.
 */

/** The graph a search runs on: neighbours of a node and the cost of an edge (undefined: not usable). */
export interface SearchGraph {
  /** Every usable edge costs more than 0 (the fast spur search needs it; otherwise the exact one runs). */
  readonly positive?: boolean;
  has(node: string): boolean;
  neighbours(node: string): Iterable<string>;
  cost(u: string, v: string): number | undefined;
}

export interface CostedPath {
  hops: string[];
  cost: number;
}

/** Hop lists element by element; a prefix comes first. */
export function compareHops(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/** The total order of paths: cost, then hops. */
export const comparePaths = (a: CostedPath, b: CostedPath): number => (a.cost !== b.cost ? (a.cost < b.cost ? -1 : 1) : compareHops(a.hops, b.hops));

/** The cost of a path, summed from its first hop (the order the reference test sums in too). */
export function pathCost(g: Pick<SearchGraph, 'cost'>, hops: readonly string[]): number {
  let cost = 0;
  for (let i = 1; i < hops.length; i++) cost += g.cost(hops[i - 1]!, hops[i]!) ?? Number.NaN;
  return cost;
}

/** A binary min-heap under a comparator. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const edgeKey = (u: string, v: string): string => (u < v ? `${u}\u0000${v}` : `${v}\u0000${u}`);

const blocked = (v: string, u: string, nodes: ReadonlySet<string>, edges: ReadonlySet<string>): boolean =>
  nodes.has(v) || (edges.size > 0 && edges.has(edgeKey(u, v)));

/** Equal costs, allowing for the rounding of sums taken in another order. */
const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The least path from `from` to `to` in the path order, avoiding `blockedNodes`
 * and `blockedEdges` (undirected keys). With positive costs: distances to `to`
 * (Dijkstra, stopped once `from` is settled), then from `from` the least next
 * hop among the edges on a shortest path, hop by hop; distances strictly fall
 * along them, so the walk is simple and ends at `to`.
 */
function leastPath(g: SearchGraph, from: string, to: string, blockedNodes: ReadonlySet<string>, blockedEdges: ReadonlySet<string>): CostedPath | undefined {
  if (!g.positive) return leastPathExact(g, from, to, blockedNodes, blockedEdges);
  if (from === to) return { hops: [from], cost: 0 };
  const dist = new Map<string, number>([[to, 0]]);
  const settled = new Set<string>();
  const heap = new Heap<[number, string]>((a, b) => a[0] - b[0]);
  heap.push([0, to]);
  while (heap.size > 0) {
    const [d, u] = heap.pop()!;
    if (settled.has(u) || d > dist.get(u)!) continue;
    settled.add(u);
    if (u === from) break;
    for (const v of g.neighbours(u)) {
      if (settled.has(v) || blocked(v, u, blockedNodes, blockedEdges)) continue;
      const w = g.cost(u, v);
      if (w === undefined) continue;
      const nd = d + w;
      if (nd < (dist.get(v) ?? Infinity)) {
        dist.set(v, nd);
        heap.push([nd, v]);
      }
    }
  }
  if (!settled.has(from)) return undefined;
  const hops = [from];
  let here = from;
  while (here !== to) {
    const left = dist.get(here)!;
    let next: string | undefined;
    for (const v of g.neighbours(here)) {
      if (!settled.has(v) || blocked(v, here, blockedNodes, blockedEdges) || (next !== undefined && v >= next)) continue;
      const w = g.cost(here, v);
      if (w !== undefined && same(dist.get(v)! + w, left)) next = v;
    }
    hops.push(next!);
    here = next!;
  }
  return { hops, cost: dist.get(from)! };
}

/**
 * The same search when some edge costs 0: labels are whole paths, settled in
 * the path order (extending a path never makes it smaller, so Dijkstra holds).
 */
function leastPathExact(g: SearchGraph, from: string, to: string, blockedNodes: ReadonlySet<string>, blockedEdges: ReadonlySet<string>): CostedPath | undefined {
  const best = new Map<string, CostedPath>();
  const settled = new Set<string>();
  const heap = new Heap<CostedPath>(comparePaths);
  const start = { hops: [from], cost: 0 };
  best.set(from, start);
  heap.push(start);
  while (heap.size > 0) {
    const label = heap.pop()!;
    const node = label.hops[label.hops.length - 1]!;
    if (settled.has(node) || best.get(node) !== label) continue;
    settled.add(node);
    if (node === to) return label;
    for (const next of g.neighbours(node)) {
      if (settled.has(next) || blocked(next, node, blockedNodes, blockedEdges)) continue;
      const w = g.cost(node, next);
      if (w === undefined) continue;
      const candidate = { hops: [...label.hops, next], cost: label.cost + w };
      const known = best.get(next);
      if (!known || comparePaths(candidate, known) < 0) {
        best.set(next, candidate);
        heap.push(candidate);
      }
    }
  }
  return undefined;
}

/**
 * Up to `k` simple paths from `source` to `destination`, least first in the
 * path order; paths costing more than `maxCost` are not produced. A source
 * equal to the destination gives the one-hop path `[source]` at cost 0 (as
 * networkx does). An unknown node gives none.
 */
export function kShortestPaths(g: SearchGraph, source: string, destination: string, k: number, maxCost = Infinity): CostedPath[] {
  if (k < 1 || !g.has(source) || !g.has(destination)) return [];
  const first = leastPath(g, source, destination, new Set(), new Set());
  if (!first) return [];
  first.cost = pathCost(g, first.hops);
  if (first.cost > maxCost) return [];
  // Each path remembers where it left its parent: spurs before that index were searched for the parent already (Lawler).
  const found: (CostedPath & { deviation: number })[] = [{ ...first, deviation: 0 }];
  const seen = new Set<string>([first.hops.join('\u0000')]);
  const candidates = new Heap<CostedPath & { deviation: number }>(comparePaths);
  while (found.length < k) {
    const previous = found[found.length - 1]!;
    const shared = found.map((p) => commonPrefix(p.hops, previous.hops));
    for (let i = previous.deviation; i < previous.hops.length - 1; i++) {
      const blockedEdges = new Set<string>();
      found.forEach((p, j) => {
        if (shared[j]! > i && p.hops.length > i + 1) blockedEdges.add(edgeKey(p.hops[i]!, p.hops[i + 1]!));
      });
      const blockedNodes = new Set(previous.hops.slice(0, i));
      const spur = leastPath(g, previous.hops[i]!, destination, blockedNodes, blockedEdges);
      if (!spur) continue;
      const hops = [...previous.hops.slice(0, i), ...spur.hops];
      const key = hops.join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ hops, cost: pathCost(g, hops), deviation: i });
    }
    const next = candidates.pop();
    if (!next || next.cost > maxCost) break;
    found.push(next);
  }
  return found.map(({ hops, cost }) => ({ hops, cost }));
}

/** How many leading hops two paths share. */
function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
