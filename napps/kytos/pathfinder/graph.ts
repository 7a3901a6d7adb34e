/**
 * Pathfinder's graph, as Kytos-ng models it (kytos-api.md 2.5): nodes are the
 * UP switches and their UP interfaces, an edge joins each such switch to each
 * such interface, and an UP link joins its two endpoint interfaces and carries
 * the link's accepted metadata. Undirected.
 *
 * A value: every change returns a new graph that shares what did not change
 * (copy on write per node), so the machine keeps it in its context and a
 * link event costs the size of the maps, never a rebuild from the topology.
 * Inputs are topology-shaped (`TopologyJson`, `LinkJson`, `SwitchJson` from
 * kytos/topology fit them), only the fields used here are required.
 */

export type Status = 'UP' | 'DOWN' | 'DISABLED';

export interface InterfaceLike {
  readonly id: string;
  readonly status: Status;
}

export interface SwitchLike {
  readonly id: string;
  readonly status: Status;
  readonly interfaces: Readonly<Record<string, InterfaceLike>>;
}

export interface LinkLike {
  readonly id: string;
  readonly endpoint_a: { readonly id: string };
  readonly endpoint_b: { readonly id: string };
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: Status;
}

export interface TopologyLike {
  readonly switches: Readonly<Record<string, SwitchLike>>;
  readonly links: Readonly<Record<string, LinkLike>>;
}

/** Link metadata keys copied onto the edge (the rest is ignored, as in Kytos-ng). */
export const EDGE_METADATA = ['ownership', 'bandwidth', 'reliability', 'priority', 'utilization', 'delay'] as const;

/** An edge's attributes: a link's accepted metadata, `{}` for a switch-interface edge. */
export type EdgeAttrs = Readonly<Record<string, unknown>>;

/** What the graph remembers of a switch: whether it is UP, and which of its interfaces are. */
export interface SwitchState {
  readonly up: boolean;
  readonly interfaces: ReadonlyMap<string, boolean>;
}

/** What the graph remembers of a link (DOWN links too: `undesired_links` and later changes name them). */
export interface LinkState {
  readonly a: string;
  readonly b: string;
  readonly up: boolean;
  readonly attrs: EdgeAttrs;
}

export interface PathGraph {
  readonly switches: ReadonlyMap<string, SwitchState>;
  readonly links: ReadonlyMap<string, LinkState>;
  /** node -> neighbour -> edge attributes; both directions hold the same object. */
  readonly adj: ReadonlyMap<string, ReadonlyMap<string, EdgeAttrs>>;
  /** Nodes with no edge that still exist: UP switches without UP interfaces. */
  readonly isolated: ReadonlySet<string>;
}

export const emptyGraph = (): PathGraph => ({ switches: new Map(), links: new Map(), adj: new Map(), isolated: new Set() });

const NO_ATTRS: EdgeAttrs = Object.freeze({});

/** The accepted metadata of a link, in a stable key order. */
export function edgeAttrs(metadata: Readonly<Record<string, unknown>>): EdgeAttrs {
  const out: Record<string, unknown> = {};
  for (const key of EDGE_METADATA) if (key in metadata) out[key] = metadata[key];
  return Object.freeze(out);
}

/** True when `node` is in the graph (an edge touches it, or it is an UP switch). */
export const hasNode = (g: PathGraph, node: string): boolean => (g.adj.get(node)?.size ?? 0) > 0 || g.isolated.has(node);

/** A batch of edge changes applied with one copy of the top-level maps. */
class Edit {
  private readonly adj: Map<string, ReadonlyMap<string, EdgeAttrs>>;
  private readonly copied = new Set<string>();
  constructor(g: PathGraph) {
    this.adj = new Map(g.adj);
  }
  private row(node: string): Map<string, EdgeAttrs> {
    const r = this.adj.get(node) as Map<string, EdgeAttrs> | undefined;
    if (r && this.copied.has(node)) return r;
    const fresh = new Map(r ?? []);
    this.adj.set(node, fresh);
    this.copied.add(node);
    return fresh;
  }
  set(u: string, v: string, attrs: EdgeAttrs): void {
    if (u === v) return;
    this.row(u).set(v, attrs);
    this.row(v).set(u, attrs);
  }
  delete(u: string, v: string): void {
    if (!this.adj.get(u)?.has(v)) return;
    this.row(u).delete(v);
    this.row(v).delete(u);
    if (this.adj.get(u)!.size === 0) this.adj.delete(u);
    if (this.adj.get(v)?.size === 0) this.adj.delete(v);
  }
  done(switches: ReadonlyMap<string, SwitchState>, links: ReadonlyMap<string, LinkState>): PathGraph {
    const isolated = new Set<string>();
    for (const [dpid, s] of switches) if (s.up && !this.adj.has(dpid)) isolated.add(dpid);
    return { switches, links, adj: this.adj, isolated };
  }
}

/** The attributes an edge u-v must have because of a switch-interface pair, or undefined. */
function switchEdge(switches: ReadonlyMap<string, SwitchState>, dpid: string, intf: string): EdgeAttrs | undefined {
  const s = switches.get(dpid);
  return s?.up && s.interfaces.get(intf) === true ? NO_ATTRS : undefined;
}

/** The attributes an edge u-v must have because of an UP link, or undefined. */
function linkEdge(links: ReadonlyMap<string, LinkState>, u: string, v: string): EdgeAttrs | undefined {
  for (const l of links.values()) if (l.up && ((l.a === u && l.b === v) || (l.a === v && l.b === u))) return l.attrs;
  return undefined;
}

/**
 * The graph of a whole topology snapshot (`kytos/topology.updated`, the
 * topology ask), reached from `previous` by changing only the edges of the
 * switches and links that differ: rows of untouched nodes are shared.
 */
export function applyTopology(previous: PathGraph, snapshot: TopologyLike): PathGraph {
  const switches = new Map<string, SwitchState>();
  for (const sw of Object.values(snapshot.switches)) {
    const next = switchState(sw);
    const before = previous.switches.get(sw.id);
    switches.set(sw.id, before && sameSwitch(before, next) ? before : next);
  }
  const links = new Map<string, LinkState>();
  for (const l of Object.values(snapshot.links)) {
    const next = linkState(l);
    const before = previous.links.get(l.id);
    links.set(l.id, before && sameLink(before, next) ? before : next);
  }
  const upLinks = new Map<string, EdgeAttrs>();
  for (const l of links.values()) if (l.up) upLinks.set(pairKey(l.a, l.b), l.attrs);
  const edit = new Edit(previous);
  for (const dpid of new Set([...previous.switches.keys(), ...switches.keys()])) {
    const before = previous.switches.get(dpid);
    const after = switches.get(dpid);
    if (before === after) continue;
    for (const intf of new Set([...(before?.interfaces.keys() ?? []), ...(after?.interfaces.keys() ?? [])])) {
      const want = switchEdge(switches, dpid, intf);
      if (want) edit.set(dpid, intf, want);
      else edit.delete(dpid, intf);
    }
  }
  for (const id of new Set([...previous.links.keys(), ...links.keys()])) {
    const before = previous.links.get(id);
    const after = links.get(id);
    if (before === after) continue;
    for (const [u, v] of pairs(before, after)) {
      const want = upLinks.get(pairKey(u, v));
      if (want) edit.set(u, v, want);
      else edit.delete(u, v);
    }
  }
  return edit.done(switches, links);
}

const pairKey = (u: string, v: string): string => (u < v ? `${u}\u0000${v}` : `${v}\u0000${u}`);

const sameSwitch = (a: SwitchState, b: SwitchState): boolean =>
  a.up === b.up && a.interfaces.size === b.interfaces.size && [...a.interfaces].every(([id, up]) => b.interfaces.get(id) === up);

const sameLink = (a: LinkState, b: LinkState): boolean => a.a === b.a && a.b === b.b && a.up === b.up && JSON.stringify(a.attrs) === JSON.stringify(b.attrs);

const switchState = (sw: SwitchLike): SwitchState => ({
  up: sw.status === 'UP',
  interfaces: new Map(Object.values(sw.interfaces).map((i) => [i.id, i.status === 'UP'] as const)),
});

const linkState = (l: LinkLike): LinkState => ({ a: l.endpoint_a.id, b: l.endpoint_b.id, up: l.status === 'UP', attrs: edgeAttrs(l.metadata) });

/**
 * One link changed (up, down, enabled, disabled, metadata): its edge follows
 * the link's status and metadata. `removed` drops the link (`link.deleted`).
 */
export function applyLinkChange(g: PathGraph, link: LinkLike, removed = false): PathGraph {
  const before = g.links.get(link.id);
  const links = new Map(g.links);
  if (removed) links.delete(link.id);
  else links.set(link.id, linkState(link));
  const edit = new Edit(g);
  for (const [u, v] of pairs(before, links.get(link.id))) {
    const want = linkEdge(links, u, v);
    if (want) edit.set(u, v, want);
    else edit.delete(u, v);
  }
  return edit.done(g.switches, links);
}

/** A link's metadata changed: the link as topology now has it, or its metadata alone. */
export function applyLinkMetadata(g: PathGraph, linkId: string, metadata: Readonly<Record<string, unknown>>): PathGraph {
  const l = g.links.get(linkId);
  if (!l) return g;
  return applyLinkChange(g, { id: linkId, endpoint_a: { id: l.a }, endpoint_b: { id: l.b }, metadata, status: l.up ? 'UP' : 'DOWN' });
}

/** One switch changed (status, interfaces); `removed` drops it. */
export function applySwitchChange(g: PathGraph, sw: SwitchLike, removed = false): PathGraph {
  const before = g.switches.get(sw.id);
  const switches = new Map(g.switches);
  if (removed) switches.delete(sw.id);
  else switches.set(sw.id, switchState(sw));
  return reconcileSwitch(g, sw.id, before, switches);
}

/** One interface changed (status); `removed` drops it. Its switch is the dpid part of its id unless given. */
export function applyInterfaceChange(g: PathGraph, intf: InterfaceLike & { switch?: string }, removed = false): PathGraph {
  const dpid = intf.switch ?? intf.id.slice(0, intf.id.lastIndexOf(':'));
  const before = g.switches.get(dpid);
  if (!before) return g;
  const interfaces = new Map(before.interfaces);
  if (removed) interfaces.delete(intf.id);
  else interfaces.set(intf.id, intf.status === 'UP');
  const switches = new Map(g.switches);
  switches.set(dpid, { up: before.up, interfaces });
  return reconcileSwitch(g, dpid, before, switches);
}

function reconcileSwitch(g: PathGraph, dpid: string, before: SwitchState | undefined, switches: Map<string, SwitchState>): PathGraph {
  const after = switches.get(dpid);
  const intfs = new Set([...(before?.interfaces.keys() ?? []), ...(after?.interfaces.keys() ?? [])]);
  const edit = new Edit(g);
  for (const intf of intfs) {
    const want = switchEdge(switches, dpid, intf);
    if (want) edit.set(dpid, intf, want);
    else edit.delete(dpid, intf);
  }
  return edit.done(switches, g.links);
}

function pairs(...states: (LinkState | undefined)[]): [string, string][] {
  return states.filter((s): s is LinkState => s !== undefined).map((s) => [s.a, s.b]);
}

/** The endpoint pairs of links, for `undesired_links` (unknown ids are ignored, as in Kytos-ng). */
export function linkEdges(g: PathGraph, ids: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const id of ids) {
    const l = g.links.get(id);
    if (l) out.push([l.a, l.b]);
  }
  return out;
}

/** A switch went DISABLED (`switch.disabled` carries only its dpid): its interface edges go. */
export function applySwitchDisabled(g: PathGraph, dpid: string): PathGraph {
  const before = g.switches.get(dpid);
  if (!before || !before.up) return g;
  const switches = new Map(g.switches);
  switches.set(dpid, { up: false, interfaces: before.interfaces });
  return reconcileSwitch(g, dpid, before, switches);
}
