/**
 * A `Draft` copies the topology state, records what changes, and at
 * `finish()` returns the new state with what to store (whole documents of what
 * changed, claims first), what to publish and which timers to start. Every
 * decision of logic.ts and commands.ts goes through one.
 */
import { emission, topologyLinkDown, topologyLinkUp, type Emission, type HeldInterruption, type Interface, type Switch } from '#sdk';
import { claimKey, linkDoc, switchDoc, tagDoc, type Write } from './docs.js';
import type { TopologySettings } from './settings.js';
import { findInterface, interfaceActive, linkIsUp, linkJson, type LinkState, type TagPool, type TopoState, type TopoView } from './state.js';

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
  readonly interruptions: Map<string, HeldInterruption>;
  readonly emits: Emission[] = [];
  readonly timers: TimerRequest[] = [];
  visible = false;
  private readonly dirty = { switches: new Set<string>(), links: new Set<string>(), tags: new Set<string>(), interruptions: new Set<string>() };
  private readonly removed = { switches: new Set<string>(), links: new Set<string>(), tags: new Set<string>(), interruptions: new Set<string>() };
  private readonly claims: { take: [string, number][]; give: [string, number][] } = { take: [], give: [] };

  constructor(
    private readonly base: TopoState,
    readonly env: Env,
  ) {
    this.switches = new Map(base.switches);
    this.links = new Map(base.links);
    this.tags = new Map(base.tags);
    this.linkUp = new Set(base.linkUp);
    this.interruptions = new Map(base.interruptions);
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

  /** Hold an interruption (stored) under `key`, or release it. */
  holdInterruption(key: string, held: HeldInterruption): void {
    this.interruptions.set(key, held);
    this.mark('interruptions', key);
  }

  releaseInterruption(key: string): void {
    if (!this.interruptions.delete(key)) return;
    this.unmark('interruptions', key);
  }

  private mark(coll: 'switches' | 'links' | 'tags' | 'interruptions', key: string): void {
    this.dirty[coll].add(key);
    this.removed[coll].delete(key);
  }

  private unmark(coll: 'switches' | 'links' | 'tags' | 'interruptions', key: string): void {
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
    for (const key of this.dirty.interruptions) {
      const held = this.interruptions.get(key);
      if (held) writes.push({ coll: 'interruptions', doc: { key, ...held } });
    }
    for (const coll of ['switches', 'links', 'tags', 'interruptions'] as const) for (const key of this.removed[coll]) writes.push({ coll, delete: key });
    for (const [id, tag] of this.claims.give) writes.push({ coll: 'claims', delete: claimKey(id, tag) });
    const state: TopoState = {
      switches: this.switches,
      links: this.links,
      tags: this.tags,
      linkUp: this.linkUp,
      interruptions: this.interruptions,
      version: this.visible ? this.base.version + 1 : this.base.version,
    };
    return { state, writes, emits: this.emits, timers: this.timers, visible: this.visible, value };
  }
}

