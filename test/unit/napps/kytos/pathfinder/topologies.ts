/** Seeded random topologies for pathfinder's tests (Kytos-shaped: switches, interfaces, links with metadata). */
import type { LinkLike, Status, SwitchLike, TopologyLike } from '../../../../../napps/kytos/pathfinder/graph.js';

import { prng } from '../../../../helpers/prng.js';

export { prng };

export const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
export const dpid = (n: number): string => `00:00:00:00:00:00:00:${n.toString(16).padStart(2, '0')}`;

const maybe = <T>(rand: () => number, values: readonly T[]): T | undefined => (rand() < 0.25 ? undefined : pick(rand, values));

export interface RandomTopology extends TopologyLike {
  switches: Record<string, SwitchLike>;
  links: Record<string, LinkLike>;
  /** Every switch and interface id (UP or not). */
  ids: string[];
}

/**
 * A topology of `nodes` nodes (switches plus interfaces, 5-30): parallel links
 * between the same switches and small metadata values make ties common; a few
 * entities are DOWN.
 */
export function randomTopology(rand: () => number, nodes: number): RandomTopology {
  const nSwitches = Math.max(2, Math.min(8, Math.round(nodes / 4)));
  const ports = new Map<number, number>();
  const switches: Record<string, SwitchLike & { interfaces: Record<string, { id: string; status: Status }> }> = {};
  for (let s = 1; s <= nSwitches; s++) {
    switches[dpid(s)] = { id: dpid(s), status: rand() < 0.05 ? 'DOWN' : 'UP', interfaces: {} };
    ports.set(s, 0);
  }
  const ids = Object.keys(switches);
  const newPort = (s: number): string => {
    const p = ports.get(s)! + 1;
    ports.set(s, p);
    const id = `${dpid(s)}:${p}`;
    switches[dpid(s)]!.interfaces[id] = { id, status: rand() < 0.04 ? 'DOWN' : 'UP' };
    ids.push(id);
    return id;
  };
  const links: Record<string, LinkLike> = {};
  let n = 0;
  while (ids.length + 2 <= nodes) {
    if (rand() < 0.15) {
      newPort(1 + Math.floor(rand() * nSwitches)); // a host port
      continue;
    }
    const a = 1 + Math.floor(rand() * nSwitches);
    let b = 1 + Math.floor(rand() * nSwitches);
    if (a === b) b = (b % nSwitches) + 1;
    const ia = newPort(a);
    const ib = newPort(b);
    const metadata: Record<string, unknown> = {};
    const put = (key: string, value: unknown) => value !== undefined && (metadata[key] = value);
    put('delay', maybe(rand, [0, 1, 2, 3, 5]));
    put('priority', maybe(rand, [1, 2, 3]));
    put('bandwidth', maybe(rand, [10, 50, 100]));
    put('utilization', maybe(rand, [10, 50, 90]));
    put('reliability', maybe(rand, [80, 95, 100]));
    put('ownership', maybe(rand, ['A', 'B', 'A B', ['A', 'C']]));
    if (rand() < 0.1) metadata.unrelated = 'x';
    const id = `link-${++n}`;
    links[id] = { id, endpoint_a: { id: ia }, endpoint_b: { id: ib }, metadata, status: rand() < 0.08 ? 'DOWN' : 'UP' };
  }
  while (ids.length < nodes) newPort(1 + Math.floor(rand() * nSwitches));
  return { switches, links, ids };
}

/** A ring of `n` switches: port 1 a host port, port 2 to the next switch, port 3 from the previous; link `ring-i` leaves switch i. */
export function ring(n: number, metadata: (i: number) => Record<string, unknown> = () => ({})): { switches: Record<string, SwitchLike>; links: Record<string, LinkLike> } {
  const switches: Record<string, SwitchLike> = {};
  const links: Record<string, LinkLike> = {};
  for (let i = 1; i <= n; i++) {
    const interfaces = Object.fromEntries([1, 2, 3].map((p) => [`${dpid(i)}:${p}`, { id: `${dpid(i)}:${p}`, switch: dpid(i), status: 'UP' as Status }]));
    switches[dpid(i)] = { id: dpid(i), status: 'UP', interfaces };
    const next = (i % n) + 1;
    links[`ring-${i}`] = { id: `ring-${i}`, endpoint_a: { id: `${dpid(i)}:2` }, endpoint_b: { id: `${dpid(next)}:3` }, metadata: metadata(i), status: 'UP' };
  }
  return { switches, links };
}

/** Two-byte dpids for grids of more than 255 switches. */
export const dpid2 = (n: number): string => `00:00:00:00:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;

/** An n x n grid of switches (ports 2-5: east, south, west, north; port 1 a host port), link delays 1-3. Switch 1 and n*n are opposite corners. */
export function grid(n: number): { switches: Record<string, SwitchLike>; links: Record<string, LinkLike> } {
  const switches: Record<string, SwitchLike> = {};
  const links: Record<string, LinkLike> = {};
  const id = (r: number, c: number) => dpid2(r * n + c + 1);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const d = id(r, c);
      switches[d] = { id: d, status: 'UP', interfaces: Object.fromEntries([1, 2, 3, 4, 5].map((p) => [`${d}:${p}`, { id: `${d}:${p}`, status: 'UP' as Status }])) };
    }
  }
  let k = 0;
  const link = (a: string, b: string) => {
    const lid = `grid-${++k}`;
    links[lid] = { id: lid, endpoint_a: { id: a }, endpoint_b: { id: b }, metadata: { delay: 1 + (k % 3) }, status: 'UP' };
  };
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (c + 1 < n) link(`${id(r, c)}:2`, `${id(r, c + 1)}:4`);
      if (r + 1 < n) link(`${id(r, c)}:3`, `${id(r + 1, c)}:5`);
    }
  }
  return { switches, links };
}
