/**
 * Pathfinder on an n x n grid of switches (5 ports each, delays 1-3): the
 * graph from a snapshot, one link change, and warm requests by hop and delay
 * for k = 2 and 10, plus a constrained one.
 *   node --conditions=lattice-source --import tsx scripts/bench-pathfinder.ts [n]
 */
import { applyLinkChange, applyTopology, emptyGraph, type LinkLike, type SwitchLike } from '../napps/kytos/pathfinder/graph.js';
import { findPathsIn } from '../napps/kytos/pathfinder/logic.js';

const n = Number(process.argv[2] ?? 10);
const dp = (i: number) => `00:00:00:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
const id = (r: number, c: number) => r * n + c + 1;
const switches: Record<string, SwitchLike> = {};
const links: Record<string, LinkLike> = {};
for (let r = 0; r < n; r++) {
  for (let c = 0; c < n; c++) {
    const d = dp(id(r, c));
    switches[d] = { id: d, status: 'UP', interfaces: Object.fromEntries([1, 2, 3, 4, 5].map((p) => [`${d}:${p}`, { id: `${d}:${p}`, status: 'UP' as const }])) };
  }
}
let k = 0;
const link = (a: string, b: string) => {
  const lid = `l${++k}`;
  links[lid] = { id: lid, endpoint_a: { id: a }, endpoint_b: { id: b }, metadata: { delay: 1 + (k % 3) }, status: 'UP' };
};
for (let r = 0; r < n; r++) {
  for (let c = 0; c < n; c++) {
    if (c + 1 < n) link(`${dp(id(r, c))}:2`, `${dp(id(r, c + 1))}:4`);
    if (r + 1 < n) link(`${dp(id(r, c))}:3`, `${dp(id(r + 1, c))}:5`);
  }
}
const ms = (t0: number) => (performance.now() - t0).toFixed(2);
let t0 = performance.now();
let g = applyTopology(emptyGraph(), { switches, links });
console.log(`${n}x${n} grid: ${g.adj.size} nodes, ${k} links; graph from a snapshot ${ms(t0)} ms`);
t0 = performance.now();
for (let i = 0; i < 100; i++) g = applyLinkChange(g, { ...links.l1!, status: i % 2 ? 'UP' : 'DOWN' });
console.log(`one link change: ${((performance.now() - t0) / 100).toFixed(3)} ms`);
const from = dp(1);
const to = dp(n * n);
for (let round = 0; round < 3; round++) {
  const line: string[] = [];
  for (const spf_attribute of ['hop', 'delay'] as const) {
    for (const spf_max_paths of [2, 10]) {
      t0 = performance.now();
      findPathsIn(g, { source: from, destination: to, spf_attribute, spf_max_paths });
      line.push(`${spf_attribute} k=${spf_max_paths} ${ms(t0)} ms`);
    }
  }
  t0 = performance.now();
  findPathsIn(g, { source: from, destination: to, flexible_metrics: { delay: 2, bandwidth: 10, utilization: 50 }, minimum_flexible_hits: 1 });
  line.push(`constrained ${ms(t0)} ms`);
  console.log(`${round === 0 ? 'cold' : 'warm'}: ${line.join(', ')}`);
}
