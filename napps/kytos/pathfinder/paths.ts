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

/** A spur search: the least path from a node to the fixed destination, avoiding nodes and edges. */
type SpurSearch = (from: string, blockedNodes: ReadonlySet<string>, blockedEdges: ReadonlySet<string>) => CostedPath | undefined;

/** A min-heap of (key, node index) pairs in parallel arrays. */
class NumberHeap {
  private readonly keys: number[] = [];
  private readonly vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, val: number): void {
    const { keys, vals } = this;
    let i = keys.length;
    keys.push(key);
    vals.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      keys[i] = keys[p]!;
      vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }
  /** Removes the least pair; its key and value are left in `key` and `val`. */
  pop(): void {
    const { keys, vals } = this;
    this.key = keys[0]!;
    this.val = vals[0]!;
    const k = keys.pop()!;
    const v = vals.pop()!;
    const n = keys.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && keys[l + 1]! < keys[l]! ? l + 1 : l;
      if (keys[c]! >= k) break;
      keys[i] = keys[c]!;
      vals[i] = vals[c]!;
      i = c;
    }
    keys[i] = k;
    vals[i] = v;
  }
  key = 0;
  val = 0;
}

/**
 * The spur search for positive costs, on integer indices: the part of the
 * graph reachable from `source` is numbered once per request (adjacency in
 * flat arrays, node names ranked), then each search computes distances to the
 * destination (Dijkstra, stopped once the spur node is settled) and walks from
 * the spur node to the least-ranked next hop on a shortest path, hop by hop;
 * distances strictly fall along them, so the walk is simple and ends there.
 */
function indexedSearch(g: SearchGraph, source: string, destination: string): SpurSearch {
  const index = new Map<string, number>([[source, 0]]);
  const names = [source];
  const start = [0];
  const to: number[] = [];
  const weight: number[] = [];
  for (let u = 0; u < names.length; u++) {
    for (const v of g.neighbours(names[u]!)) {
      const w = g.cost(names[u]!, v);
      if (w === undefined) continue;
      let j = index.get(v);
      if (j === undefined) {
        j = names.length;
        index.set(v, j);
        names.push(v);
      }
      to.push(j);
      weight.push(w);
    }
    start.push(to.length);
  }
  const n = names.length;
  const rank = new Int32Array(n);
  [...names.keys()].sort((a, b) => (names[a]! < names[b]! ? -1 : 1)).forEach((i, r) => (rank[i] = r));
  const dist = new Float64Array(n);
  const settled = new Uint8Array(n);
  const blockedNode = new Uint8Array(n);
  return (from, blockedNodes, blockedEdges) => {
    const f = index.get(from);
    const t = index.get(destination);
    if (f === undefined || t === undefined) return undefined;
    if (f === t) return { hops: [from], cost: 0 };
    const cut = new Set<number>();
    for (const key of blockedEdges) {
      const [a, b] = key.split('\u0000').map((x) => index.get(x));
      if (a !== undefined && b !== undefined) cut.add(a * n + b).add(b * n + a);
    }
    const marked = [...blockedNodes].map((x) => index.get(x)).filter((x): x is number => x !== undefined);
    for (const x of marked) blockedNode[x] = 1;
    dist.fill(Infinity);
    settled.fill(0);
    const heap = new NumberHeap();
    dist[t] = 0;
    heap.push(0, t);
    while (heap.size > 0) {
      heap.pop();
      const u = heap.val;
      if (settled[u] || heap.key > dist[u]!) continue;
      settled[u] = 1;
      if (u === f) break;
      for (let e = start[u]!; e < start[u + 1]!; e++) {
        const v = to[e]!;
        if (settled[v] || blockedNode[v] || (cut.size > 0 && cut.has(u * n + v))) continue;
        const nd = heap.key + weight[e]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          heap.push(nd, v);
        }
      }
    }
    let path: CostedPath | undefined;
    if (settled[f]) {
      const hops = [from];
      for (let here = f; here !== t; ) {
        let next = -1;
        for (let e = start[here]!; e < start[here + 1]!; e++) {
          const v = to[e]!;
          if (!settled[v] || blockedNode[v] || (cut.size > 0 && cut.has(here * n + v)) || (next >= 0 && rank[v]! >= rank[next]!)) continue;
          if (same(dist[v]! + weight[e]!, dist[here]!)) next = v;
        }
        hops.push(names[next]!);
        here = next;
      }
      path = { hops, cost: dist[f]! };
    }
    for (const x of marked) blockedNode[x] = 0;
    return path;
  };
}

/**
 * The same search when some edge costs 0: labels are whole paths, settled in
 * the path order (extending a path never makes it smaller, so Dijkstra holds).
 */
function exactSearch(g: SearchGraph, to: string): SpurSearch {
  return (from, blockedNodes, blockedEdges) => leastPathExact(g, from, to, blockedNodes, blockedEdges);
}

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
  return finish(kShortestPathsSteps(g, source, destination, k, maxCost));
}

/** Runs a stepwise search to its end at once. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The same search, one step at a time: it yields after each spur search (a
 * Dijkstra), so a caller can spread a search on a large graph over several
 * turns of the event loop; its return value is the paths.
 */
export function* kShortestPathsSteps(g: SearchGraph, source: string, destination: string, k: number, maxCost = Infinity): Generator<void, CostedPath[]> {
  if (k < 1 || !g.has(source) || !g.has(destination)) return [];
  const leastPath = g.positive ? indexedSearch(g, source, destination) : exactSearch(g, destination);
  const first = leastPath(source, new Set(), new Set());
  yield;
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
      const spur = leastPath(previous.hops[i]!, blockedNodes, blockedEdges);
      yield;
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
