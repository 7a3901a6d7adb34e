/**
 * topology's decisions as pure functions. A `Draft` copies the state, records
 * what changes, and at `finish()` returns the new state with what to store
 * (whole documents of what changed), what to publish, and which timers to
 * start. The live-model inputs (of_core, of_lldp, interruptions, timers) are
 * here; the admin commands are in commands.ts.
 */
import {
  emission,
  topologyInterfaceCreated,
  topologyInterfaceDown,
  topologyInterfaceUp,
  topologyLinkDown,
  topologyLinkUp,
  topologyPortCreated,
  topologySwitchEnabled,
  type Emission,
  type Interface,
  type InterfaceJson,
  type InterruptionContent,
  type PortCreatedContent,
  type Switch,
  type SwitchJson,
} from '#sdk';
import { claimKey, linkDoc, switchDoc, tagDoc, type Write } from './docs.js';
import type { TopologySettings } from './settings.js';
import {
  findInterface,
  interfaceActive,
  interfaceJson,
  linkId,
  linkIsUp,
  linkJson,
  sortEndpoints,
  splitInterfaceId,
  switchJson,
  type LinkState,
  type TagPool,
  type TopoState,
  type TopoView,
  DEFAULT_POOL,
} from './state.js';
import { fromTags, union } from './tags.js';

export interface Env {
  /** Clock time (ms) of the input. */
  now: number;
  settings: TopologySettings;
}

export interface TimerRequest {
  key: string;
  ms: number;
}

export interface Step {
  state: TopoState;
  writes: Write[];
  emits: Emission[];
  timers: TimerRequest[];
  /** Something a GET shows changed. */
  visible: boolean;
  /** The answer of a command. */
  value?: unknown;
}

export const linkTimerKey = (id: string, since: number) => `linkup:${id}:${since}`;

export class Draft implements TopoView {
  readonly switches: Map<string, Switch>;
  readonly links: Map<string, LinkState>;
  readonly tags: Map<string, TagPool>;
  readonly linkUp: Set<string>;
  readonly emits: Emission[] = [];
  readonly timers: TimerRequest[] = [];
  visible = false;
  private readonly dirty = { switches: new Set<string>(), links: new Set<string>(), tags: new Set<string>() };
  private readonly removed = { switches: new Set<string>(), links: new Set<string>(), tags: new Set<string>() };
  private readonly claims: { take: [string, number][]; give: [string, number][] } = { take: [], give: [] };

  constructor(
    private readonly base: TopoState,
    readonly env: Env,
  ) {
    this.switches = new Map(base.switches);
    this.links = new Map(base.links);
    this.tags = new Map(base.tags);
    this.linkUp = new Set(base.linkUp);
  }

  get settings(): TopologySettings {
    return this.env.settings;
  }

  /** Replace a switch; `persist` when a stored field changed. */
  putSwitch(sw: Switch, persist = true): void {
    this.switches.set(sw.dpid, sw);
    this.visible = true;
    if (persist) this.mark('switches', sw.dpid);
  }

  putInterface(sw: Switch, intf: Interface, persist = true): Switch {
    const m = new Map(sw.interfaces);
    m.set(intf.id, intf);
    const next = { ...sw, interfaces: m };
    this.putSwitch(next, persist);
    return next;
  }

  removeSwitch(dpid: string): void {
    const sw = this.switches.get(dpid);
    this.switches.delete(dpid);
    this.visible = true;
    this.unmark('switches', dpid);
    for (const id of sw?.interfaces.keys() ?? []) this.removeTags(id);
  }

  removeInterface(sw: Switch, id: string): Switch {
    const m = new Map(sw.interfaces);
    m.delete(id);
    const next = { ...sw, interfaces: m };
    this.putSwitch(next);
    this.removeTags(id);
    return next;
  }

  putLink(link: LinkState, persist = true): void {
    this.links.set(link.id, link);
    this.visible = true;
    if (persist) this.mark('links', link.id);
  }

  removeLink(id: string): void {
    this.links.delete(id);
    this.linkUp.delete(id);
    this.visible = true;
    this.unmark('links', id);
  }

  putTags(id: string, pool: TagPool): void {
    this.tags.set(id, pool);
    this.mark('tags', id);
  }

  private removeTags(id: string): void {
    if (!this.tags.has(id) && !this.base.tags.has(id)) return;
    this.tags.delete(id);
    this.unmark('tags', id);
  }

  private mark(coll: 'switches' | 'links' | 'tags', key: string): void {
    this.dirty[coll].add(key);
    this.removed[coll].delete(key);
  }

  private unmark(coll: 'switches' | 'links' | 'tags', key: string): void {
    this.dirty[coll].delete(key);
    this.removed[coll].add(key);
  }

  /** Tags taken (stored with create-if-absent) or given back. */
  claim(interfaceId: string, tags: readonly number[]): void {
    for (const t of tags) this.claims.take.push([interfaceId, t]);
  }

  unclaim(interfaceId: string, tags: readonly number[]): void {
    for (const t of tags) this.claims.give.push([interfaceId, t]);
  }

  emit(e: Emission): void {
    this.emits.push(e);
  }

  /** Links whose endpoints became active start LINK_UP_TIMER; each link's UP / not UP edge is announced once. */
  settleLinks(reason: string): void {
    const now = this.env.now;
    for (const link of [...this.links.values()]) {
      const ea = findInterface(this, link.a);
      const eb = findInterface(this, link.b);
      const active = !!ea && !!eb && interfaceActive(ea.sw, ea.intf) && interfaceActive(eb.sw, eb.intf);
      let next = link;
      if (active && link.activeSince === null) {
        const ms = Math.max(0, this.settings.LINK_UP_TIMER * 1000);
        next = { ...link, activeSince: now, settled: ms === 0 };
        if (ms > 0) this.timers.push({ key: linkTimerKey(link.id, now), ms });
      } else if (!active && link.activeSince !== null) {
        next = { ...link, activeSince: null, settled: false };
      }
      if (next !== link) this.putLink(next, false);
      const up = linkIsUp(this, next);
      if (up && !this.linkUp.has(link.id)) {
        this.linkUp.add(link.id);
        this.emit(emission(topologyLinkUp, { link: linkJson(this, next), reason }));
      } else if (!up && this.linkUp.has(link.id)) {
        this.linkUp.delete(link.id);
        this.emit(emission(topologyLinkDown, { link: linkJson(this, next), reason }));
      }
    }
  }

  finish(value?: unknown): Step {
    // Claims first: a tag taken elsewhere stops the write before anything else changes.
    const writes: Write[] = this.claims.take.map(([id, tag]) => ({ coll: 'claims', create: { id: claimKey(id, tag), interface_id: id, tag_type: 'vlan', tag } }));
    for (const dpid of this.dirty.switches) {
      const sw = this.switches.get(dpid);
      if (sw) writes.push({ coll: 'switches', doc: switchDoc(sw) });
    }
    for (const id of this.dirty.links) {
      const l = this.links.get(id);
      if (l) writes.push({ coll: 'links', doc: linkDoc(l) });
    }
    for (const id of this.dirty.tags) {
      const p = this.tags.get(id);
      if (p) writes.push({ coll: 'tags', doc: tagDoc(id, p) });
    }
    for (const coll of ['switches', 'links', 'tags'] as const) for (const key of this.removed[coll]) writes.push({ coll, delete: key });
    for (const [id, tag] of this.claims.give) writes.push({ coll: 'claims', delete: claimKey(id, tag) });
    const state: TopoState = {
      switches: this.switches,
      links: this.links,
      tags: this.tags,
      linkUp: this.linkUp,
      version: this.visible ? this.base.version + 1 : this.base.version,
    };
    return { state, writes, emits: this.emits, timers: this.timers, visible: this.visible, value };
  }
}

/** An interface as of_core reports it, keeping what topology owns (admin state, metadata, link). */
export function mergeInterface(prev: Interface | undefined, j: InterfaceJson, enabledByDefault: boolean): Interface {
  return {
    id: j.id,
    name: j.name,
    portNumber: j.port_number,
    mac: j.mac,
    switch: j.switch,
    config: 0,
    state: j.active ? 4 : 1,
    speed: j.speed,
    nni: prev?.nni ?? false,
    lldp: prev?.lldp ?? j.lldp,
    active: j.active,
    enabled: prev?.enabled ?? enabledByDefault,
    extraReasons: prev?.extraReasons ?? [],
    link: prev?.link ?? '',
    metadata: prev?.metadata ?? {},
  };
}

/** The switch as of_core reports it, keeping what topology owns. */
function switchUp(d: Draft, j: SwitchJson): void {
  const prev = d.switches.get(j.dpid);
  const enabledByDefault = d.settings.ENABLE_NEW_ENTITIES;
  const interfaces = new Map(prev?.interfaces ?? []);
  for (const ij of Object.values(j.interfaces)) interfaces.set(ij.id, mergeInterface(interfaces.get(ij.id), ij, enabledByDefault));
  const sw: Switch = {
    dpid: j.dpid,
    name: j.name,
    connection: j.connection,
    ofpVersion: j.ofp_version,
    description: { manufacturer: j.manufacturer, hardware: j.hardware, software: j.software, serial: j.serial, dataPath: j.data_path },
    nBuffers: prev?.nBuffers ?? 0,
    nTables: prev?.nTables ?? 0,
    capabilities: prev?.capabilities ?? 0,
    interfaces,
    metadata: prev?.metadata ?? {},
    active: j.active,
    enabled: prev?.enabled ?? enabledByDefault,
    extraReasons: prev?.extraReasons ?? [],
  };
  d.putSwitch(sw);
  if (sw.enabled && sw.active) d.emit(emission(topologySwitchEnabled, { dpid: sw.dpid }));
}

/** `switch.new` / `switch.reconnected`: the switch is active, its interfaces as of_core sees them. */
export function onSwitchUp(state: TopoState, j: SwitchJson, env: Env): Step {
  const d = new Draft(state, env);
  switchUp(d, { ...j, active: true });
  d.settleLinks('link up');
  return d.finish();
}

/**
 * At start: the switches of_core already serves (they connected before topology listened, or
 * topology restarted). Only those topology does not already see active are taken.
 */
export function onResync(state: TopoState, switches: readonly SwitchJson[], env: Env): Step | undefined {
  const missed = switches.filter((j) => j.active && !state.switches.get(j.dpid)?.active);
  if (missed.length === 0) return undefined;
  const d = new Draft(state, env);
  for (const j of missed) switchUp(d, j);
  d.settleLinks('link up');
  return d.finish();
}

/** The switch's connection closed: it stays, inactive, and so do its interfaces and links. */
export function onSwitchLost(state: TopoState, dpid: string, env: Env): Step | undefined {
  const sw = state.switches.get(dpid);
  if (!sw || !sw.active) return undefined;
  const d = new Draft(state, env);
  d.putSwitch({ ...sw, active: false, connection: '' }, false);
  d.settleLinks('link down');
  return d.finish();
}

export type InterfaceChange = 'created' | 'modified' | 'link_up' | 'link_down' | 'deleted';

/** True when nothing but the live port refers to the interface (no link, admin state, metadata or tags of its own). */
function unused(d: Draft, intf: Interface): boolean {
  const pool = d.tags.get(intf.id);
  return !intf.link && Object.keys(intf.metadata).length === 0 && intf.enabled === d.settings.ENABLE_NEW_ENTITIES && !pool;
}

/** A port update from of_core. A deleted port goes when unused, else stays inactive. */
export function onInterface(state: TopoState, j: InterfaceJson, change: InterfaceChange, env: Env): Step | undefined {
  const sw = state.switches.get(j.switch);
  if (!sw) return undefined;
  const d = new Draft(state, env);
  const prev = sw.interfaces.get(j.id);
  const intf = mergeInterface(prev, change === 'deleted' ? { ...j, active: false } : j, env.settings.ENABLE_NEW_ENTITIES);
  if (change === 'deleted' && unused(d, intf)) d.removeInterface(sw, intf.id);
  else d.putInterface(sw, intf, !prev || change === 'deleted');
  d.settleLinks(change === 'link_down' || change === 'deleted' ? 'link down' : 'link up');
  return d.finish();
}

/** `interfaces.created`: one `switch.interface.created` per interface, as topology has it. */
export function onInterfacesCreated(state: TopoState, dpid: string, ids: string[], env: Env): Step {
  const d = new Draft(state, env);
  const sw = state.switches.get(dpid);
  for (const id of ids) {
    const intf = sw?.interfaces.get(id);
    if (sw && intf) d.emit(emission(topologyInterfaceCreated, { interface: interfaceJson(sw, intf) }));
  }
  return d.finish();
}

export function onPortCreated(state: TopoState, c: PortCreatedContent, env: Env): Step {
  const d = new Draft(state, env);
  d.emit(emission(topologyPortCreated, c));
  return d.finish();
}

/** of_lldp saw two interfaces connected: the link between them (new ones enabled by default), UP after LINK_UP_TIMER. */
export function onNni(state: TopoState, x: string, y: string, env: Env): Step | undefined {
  if (x === y) return undefined;
  const ex = findInterface(state, x);
  const ey = findInterface(state, y);
  if (!ex || !ey) return undefined;
  const id = linkId(x, y);
  const d = new Draft(state, env);
  if (!d.links.has(id)) {
    const [a, b] = sortEndpoints(x, y);
    d.putLink({ id, a, b, enabled: env.settings.ENABLE_NEW_ENTITIES, metadata: {}, extraReasons: [], activeSince: null, settled: false });
  }
  for (const iid of [x, y]) {
    const e = findInterface(d, iid)!;
    if (e.intf.link !== id || !e.intf.nni) d.putInterface(e.sw, { ...e.intf, nni: true, link: id });
  }
  d.settleLinks('link up');
  return d.finish();
}

/** LINK_UP_TIMER ran out for a link activated at `since`. */
export function onLinkTimer(state: TopoState, id: string, since: number, env: Env): Step | undefined {
  const link = state.links.get(id);
  if (!link || link.activeSince !== since || link.settled) return undefined;
  const d = new Draft(state, env);
  d.putLink({ ...link, settled: true }, false);
  d.settleLinks('link up');
  return d.finish();
}

const withReason = (reasons: readonly string[], r: string, on: boolean): readonly string[] =>
  on ? (reasons.includes(r) ? reasons : [...reasons, r]) : reasons.filter((x) => x !== r);

/** `topology.interruption.start|end`: the named entities go DOWN with the interruption type as reason, and come back. */
export function onInterruption(state: TopoState, c: InterruptionContent, start: boolean, env: Env): Step {
  const d = new Draft(state, env);
  const reason = c.type || 'maintenance';
  for (const dpid of c.switches ?? []) {
    const sw = d.switches.get(dpid);
    if (!sw) continue;
    const m = new Map<string, Interface>();
    for (const [id, intf] of sw.interfaces) m.set(id, { ...intf, extraReasons: withReason(intf.extraReasons, reason, start) });
    d.putSwitch({ ...sw, interfaces: m, extraReasons: withReason(sw.extraReasons, reason, start) }, false);
  }
  for (const id of c.interfaces ?? []) {
    const e = findInterface(d, id);
    if (!e) continue;
    const intf = { ...e.intf, extraReasons: withReason(e.intf.extraReasons, reason, start) };
    const sw = d.putInterface(e.sw, intf, false);
    d.emit(emission(start ? topologyInterfaceDown : topologyInterfaceUp, { interface: interfaceJson(sw, intf), reason }));
  }
  for (const id of c.links ?? []) {
    const link = d.links.get(id);
    if (link) d.putLink({ ...link, extraReasons: withReason(link.extraReasons, reason, start) }, false);
  }
  d.settleLinks(reason);
  return d.finish();
}

/** Claims found in the store (another holder took tags): the pool counts them as used. */
export function onClaims(state: TopoState, interfaceId: string, held: number[], env: Env): Step | undefined {
  if (!findInterface(state, interfaceId)) return undefined;
  const d = new Draft(state, env);
  const pool = d.tags.get(interfaceId) ?? DEFAULT_POOL;
  d.putTags(interfaceId, { ...pool, used: union(pool.used, fromTags(held)) });
  d.visible = true;
  return d.finish();
}

/** Helper for commands and asks: the switch of an interface id, or undefined. */
export const switchOf = (view: TopoView, interfaceId: string): Switch | undefined => {
  const split = splitInterfaceId(interfaceId);
  return split ? view.switches.get(split[0]) : undefined;
};

export { switchJson };
