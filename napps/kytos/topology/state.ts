/**
 * The topology as topology keeps it (immutable values) and its Kytos JSON
 * (kytos-api.md section 3: same keys, same order). Links get Kytos' id: the
 * sha256 of the two endpoint ids, sorted by (dpid, port number), joined by ":".
 */
import { createHash } from 'node:crypto';
import {
  interfaceToJson,
  switchToJson,
  type InterfaceJson,
  type HeldInterruption,
  type InterfaceTagsJson,
  type Interface,
  type LinkJson,
  type Switch,
  type SwitchJson,
  type TagRanges,
  type TopologyJson,
} from '#sdk';
import { contains, DEFAULT_SPECIAL_TAGS, DEFAULT_VLAN_RANGES, difference, single } from './tags.js';

export interface LinkState {
  readonly id: string;
  /** Endpoint ids, `a` first in Kytos' order. */
  readonly a: string;
  readonly b: string;
  readonly enabled: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Reasons of its own (interruptions). */
  readonly extraReasons: readonly string[];
  /** When the link last became active (clock ms); null while inactive. */
  readonly activeSince: number | null;
  /** LINK_UP_TIMER has run out since `activeSince`. */
  readonly settled: boolean;
}

export interface TagPool {
  readonly tagRanges: TagRanges;
  readonly specialTags: readonly string[];
  /** Tags taken through the allocate ask (the LLDP VLAN reservation is not in here). */
  readonly used: TagRanges;
  readonly specialUsed: readonly string[];
}

export const DEFAULT_POOL: TagPool = { tagRanges: DEFAULT_VLAN_RANGES, specialTags: DEFAULT_SPECIAL_TAGS, used: [], specialUsed: [] };

/** What the JSON builders read. */
export interface TopoView {
  readonly switches: ReadonlyMap<string, Switch>;
  readonly links: ReadonlyMap<string, LinkState>;
  readonly tags: ReadonlyMap<string, TagPool>;
}

export interface TopoState extends TopoView {
  /** Links announced UP (`link_up` sent, `link_down` not yet). */
  readonly linkUp: ReadonlySet<string>;
  /** Interruptions held, by key (interruptions.ts): stored, so a restart begins with them. */
  readonly interruptions: ReadonlyMap<string, HeldInterruption>;
  /** Bumped on every change a GET can see. */
  readonly version: number;
}

export const emptyState = (): TopoState => ({ switches: new Map(), links: new Map(), tags: new Map(), linkUp: new Set(), interruptions: new Map(), version: 0 });

/** `dpid:port` -> [dpid, port]; undefined when the port part is not a number. */
export function splitInterfaceId(id: string): [string, number] | undefined {
  const cut = id.lastIndexOf(':');
  if (cut <= 0) return undefined;
  const port = id.slice(cut + 1);
  if (!/^\d+$/.test(port)) return undefined;
  return [id.slice(0, cut), Number(port)];
}

/** Kytos' order of two endpoints: by dpid, then by port number. */
export function sortEndpoints(x: string, y: string): [string, string] {
  const a = splitInterfaceId(x) ?? [x, 0];
  const b = splitInterfaceId(y) ?? [y, 0];
  if (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])) return [x, y];
  return [y, x];
}

export function linkId(x: string, y: string): string {
  const [a, b] = sortEndpoints(x, y);
  return createHash('sha256').update(`${a}:${b}`).digest('hex');
}

export function findInterface(view: TopoView, id: string): { sw: Switch; intf: Interface } | undefined {
  const split = splitInterfaceId(id);
  const sw = split && view.switches.get(split[0]);
  const intf = sw?.interfaces.get(id);
  return sw && intf ? { sw, intf } : undefined;
}

/** An interface is active when its port is and its switch is connected. */
export const interfaceActive = (sw: Switch, intf: Interface): boolean => intf.active && sw.active;

const sortedReasons = <J extends { status_reason: string[] }>(j: J): J => {
  j.status_reason.sort();
  return j;
};

export function interfaceJson(sw: Switch, intf: Interface): InterfaceJson {
  return sortedReasons(interfaceToJson(intf.active && !sw.active ? { ...intf, active: false } : intf));
}

export function switchJson(sw: Switch): SwitchJson {
  return sortedReasons(switchToJson(sw, (intf) => interfaceJson(sw, intf)));
}

export interface LinkStatus {
  enabled: boolean;
  active: boolean;
  reasons: string[];
  status: 'UP' | 'DOWN' | 'DISABLED';
}

/** A link is enabled when it and both endpoints are, active when both endpoints are; DOWN until LINK_UP_TIMER ran out. */
export function linkStatus(view: TopoView, link: LinkState): LinkStatus {
  const ea = findInterface(view, link.a);
  const eb = findInterface(view, link.b);
  const enabled = link.enabled && !!ea?.intf.enabled && !!eb?.intf.enabled && !!ea?.sw.enabled && !!eb?.sw.enabled;
  const active = !!ea && !!eb && interfaceActive(ea.sw, ea.intf) && interfaceActive(eb.sw, eb.intf);
  const reasons = new Set<string>();
  if (!enabled) reasons.add('disabled');
  if (!active) reasons.add('deactivated');
  for (const r of link.extraReasons) reasons.add(r);
  for (const e of [ea, eb]) for (const r of e?.intf.extraReasons ?? []) reasons.add(r);
  const sorted = [...reasons].sort();
  const status = !enabled ? 'DISABLED' : !active || sorted.length > 0 || !link.settled ? 'DOWN' : 'UP';
  return { enabled, active, reasons: sorted, status };
}

/** The link is UP with no reason: what `link_up` announces. */
export const linkIsUp = (view: TopoView, link: LinkState): boolean => {
  const s = linkStatus(view, link);
  return s.status === 'UP' && s.reasons.length === 0;
};

const endpointJson = (view: TopoView, id: string): InterfaceJson => {
  const e = findInterface(view, id);
  if (e) return interfaceJson(e.sw, e.intf);
  const [dpid, port] = splitInterfaceId(id) ?? [id, 0];
  return interfaceToJson({
    id,
    name: '',
    portNumber: port,
    mac: '',
    switch: dpid,
    config: 0,
    state: 0,
    speed: null,
    nni: true,
    lldp: true,
    active: false,
    enabled: false,
    extraReasons: [],
    link: '',
    metadata: {},
  });
};

export function linkJson(view: TopoView, link: LinkState): LinkJson {
  const s = linkStatus(view, link);
  return {
    id: link.id,
    endpoint_a: endpointJson(view, link.a),
    endpoint_b: endpointJson(view, link.b),
    metadata: { ...link.metadata },
    active: s.active,
    enabled: s.enabled,
    status: s.status,
    status_reason: s.reasons,
  };
}

export function topologyJson(view: TopoView): TopologyJson {
  const switches: Record<string, SwitchJson> = {};
  for (const [dpid, sw] of view.switches) switches[dpid] = switchJson(sw);
  const links: Record<string, LinkJson> = {};
  for (const [id, link] of view.links) links[id] = linkJson(view, link);
  return { switches, links };
}

/** Freezes a JSON value and everything in it (values already frozen are left as they are). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * `getTopology`'s answer, made once per visible version (`TopoState.version`) and, within it, once
 * per switch value and per link value with the two switches it joins (state values are immutable:
 * a change makes new values of what it touches). Every asker shares it, as `topology.updated`
 * subscribers share theirs, so it is frozen: a NApp that changes it gets a TypeError, not another
 * NApp's topology changed. Per machine instance: a restart (versions counted again) starts empty.
 */
export class TopologyJsonCache {
  private version = -1;
  private value: TopologyJson | undefined;
  private readonly switchJsons = new WeakMap<Switch, SwitchJson>();
  private readonly linkJsons = new WeakMap<LinkState, { a: Switch | undefined; b: Switch | undefined; json: LinkJson }>();
  /** Switches and links made (not found in the cache) so far: what the tests count. */
  made = 0;

  of(state: TopoView & { readonly version: number }): TopologyJson {
    if (this.value === undefined || this.version !== state.version) {
      const switches: Record<string, SwitchJson> = {};
      for (const [dpid, sw] of state.switches) switches[dpid] = this.switchJson(sw);
      const links: Record<string, LinkJson> = {};
      for (const [id, link] of state.links) links[id] = this.linkJson(state, link);
      this.value = Object.freeze({ switches: Object.freeze(switches), links: Object.freeze(links) });
      this.version = state.version;
    }
    return this.value;
  }

  /** One switch's JSON (shared, frozen). */
  switchJson(sw: Switch): SwitchJson {
    let json = this.switchJsons.get(sw);
    if (json === undefined) {
      json = deepFreeze(switchJson(sw));
      this.switchJsons.set(sw, json);
      this.made++;
    }
    return json;
  }

  /** One link's JSON in `state` (shared, frozen): made again when the link or one of its two switches changed. */
  linkJson(state: TopoView, link: LinkState): LinkJson {
    const owner = (id: string) => state.switches.get(splitInterfaceId(id)?.[0] ?? '');
    const a = owner(link.a);
    const b = owner(link.b);
    const cached = this.linkJsons.get(link);
    if (cached !== undefined && cached.a === a && cached.b === b) return cached.json;
    const json = deepFreeze(linkJson(state, link));
    this.linkJsons.set(link, { a, b, json });
    this.made++;
    return json;
  }
}

/** Tags the pool shows available: its ranges, less those taken, less the LLDP VLAN on an enabled switch. */
export function availableTags(pool: TagPool, reserved: number | null): TagRanges {
  const free = difference(pool.tagRanges, pool.used);
  return reserved !== null && contains(free, reserved) ? difference(free, single(reserved)) : free;
}

/** The LLDP VLAN held on this interface now (its switch is enabled), or null. */
export const reservedVlan = (sw: Switch, lldpVlan: number | null): number | null => (sw.enabled ? lldpVlan : null);

export function tagsJson(view: TopoView, id: string, lldpVlan: number | null): InterfaceTagsJson | undefined {
  const e = findInterface(view, id);
  if (!e) return undefined;
  const pool = view.tags.get(id) ?? DEFAULT_POOL;
  return {
    default_tag_ranges: { vlan: DEFAULT_VLAN_RANGES.map(([a, b]) => [a, b]) },
    available_tags: { vlan: availableTags(pool, reservedVlan(e.sw, lldpVlan)) },
    tag_ranges: { vlan: pool.tagRanges.map(([a, b]) => [a, b]) },
    default_special_tags: { vlan: [...DEFAULT_SPECIAL_TAGS] },
    special_tags: { vlan: [...pool.specialTags] },
    special_available_tags: { vlan: pool.specialTags.filter((t) => !pool.specialUsed.includes(t)) },
  };
}
