/**
 * What topology stores (its own namespaced collections) and how the state
 * comes back from it after a restart: switches, interfaces and links return
 * inactive, with their admin state, metadata and tag pools, until their
 * switches reconnect; held interruptions come back with them.
 */
import { newSwitch, type HeldInterruption, type Interface, type Switch, type TagRanges } from '#sdk';
import { DEFAULT_POOL, sortEndpoints, type LinkState, type TagPool, type TopoState } from './state.js';
import { normalize } from './tags.js';

export interface InterfaceDoc {
  id: string;
  port_number: number;
  name: string;
  mac: string;
  speed: number | null;
  enabled: boolean;
  lldp: boolean;
  metadata: Record<string, unknown>;
}

export interface SwitchDoc {
  id: string;
  enabled: boolean;
  metadata: Record<string, unknown>;
  manufacturer: string;
  hardware: string;
  software: string | null;
  serial: string;
  data_path: string;
  interfaces: InterfaceDoc[];
}

export interface LinkDoc {
  id: string;
  enabled: boolean;
  metadata: Record<string, unknown>;
  endpoints: { id: string }[];
}

/**
 * A tag pool that differs from the default (`used` is what the allocate ask
 * took). Ranges are stored flat, `[first1, last1, first2, last2, ...]`: FerretDB
 * keeps no nested arrays.
 */
export interface TagDoc {
  id: string;
  tag_ranges: number[];
  special_tags: string[];
  used_tags: number[];
  special_used: string[];
}

const flat = (r: TagRanges): number[] => r.flatMap(([a, b]) => [a, b]);

/**
 * One tag held through the allocate ask. Created with the store's
 * create-if-absent, so two holders (two NApps, or two controller instances on
 * one database) can never both take it; deleted on release.
 */
export interface ClaimDoc {
  id: string;
  interface_id: string;
  tag_type: 'vlan';
  tag: number;
}

export const claimKey = (interfaceId: string, tag: number): string => `${interfaceId}|vlan|${tag}`;

/** An interruption topology holds (a running maintenance window), keyed as interruptions.ts keys it. */
export interface InterruptionDoc extends HeldInterruption {
  key: string;
}

export type Write =
  | { coll: 'switches'; doc: SwitchDoc }
  | { coll: 'links'; doc: LinkDoc }
  | { coll: 'tags'; doc: TagDoc }
  | { coll: 'claims'; create: ClaimDoc }
  | { coll: 'interruptions'; doc: InterruptionDoc }
  | { coll: 'switches' | 'links' | 'tags' | 'claims' | 'interruptions'; delete: string };

export function switchDoc(sw: Switch): SwitchDoc {
  return {
    id: sw.dpid,
    enabled: sw.enabled,
    metadata: { ...sw.metadata },
    manufacturer: sw.description.manufacturer,
    hardware: sw.description.hardware,
    software: sw.description.software,
    serial: sw.description.serial,
    data_path: sw.description.dataPath,
    interfaces: [...sw.interfaces.values()].map((i) => ({
      id: i.id,
      port_number: i.portNumber,
      name: i.name,
      mac: i.mac,
      speed: i.speed,
      enabled: i.enabled,
      lldp: i.lldp,
      metadata: { ...i.metadata },
    })),
  };
}

export const linkDoc = (l: LinkState): LinkDoc => ({ id: l.id, enabled: l.enabled, metadata: { ...l.metadata }, endpoints: [{ id: l.a }, { id: l.b }] });

export const tagDoc = (id: string, p: TagPool): TagDoc => ({
  id,
  tag_ranges: flat(p.tagRanges),
  special_tags: [...p.specialTags],
  used_tags: flat(p.used),
  special_used: [...p.specialUsed],
});

export interface StoredTopology {
  switches: SwitchDoc[];
  links: LinkDoc[];
  tags: TagDoc[];
  claims?: ClaimDoc[];
  interruptions?: InterruptionDoc[];
}

function pairs(r: unknown): TagRanges {
  if (!Array.isArray(r)) return [];
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < r.length; i += 2) out.push([Number(r[i]), Number(r[i + 1])]);
  return normalize(out);
}

/** The state a restart begins with: everything inactive; links on their interfaces. Failures are listed, not fatal. */
export function restore(stored: StoredTopology): { state: TopoState; failedSwitches: Record<string, string>; failedLinks: Record<string, string> } {
  const switches = new Map<string, Switch>();
  const failedSwitches: Record<string, string> = {};
  for (const d of stored.switches) {
    try {
      const interfaces = new Map<string, Interface>();
      for (const i of d.interfaces) {
        interfaces.set(i.id, {
          id: i.id,
          name: i.name,
          portNumber: i.port_number,
          mac: i.mac,
          switch: d.id,
          config: 0,
          state: 0,
          speed: i.speed,
          nni: false,
          lldp: i.lldp,
          active: false,
          enabled: i.enabled,
          extraReasons: [],
          link: '',
          metadata: { ...i.metadata },
        });
      }
      switches.set(
        d.id,
        newSwitch(d.id, {
          description: { manufacturer: d.manufacturer, hardware: d.hardware, software: d.software, serial: d.serial, dataPath: d.data_path },
          interfaces,
          metadata: { ...d.metadata },
          enabled: d.enabled,
          active: false,
        }),
      );
    } catch (e) {
      failedSwitches[d.id] = String(e);
    }
  }
  const links = new Map<string, LinkState>();
  const failedLinks: Record<string, string> = {};
  for (const d of stored.links) {
    const [x, y] = [d.endpoints[0]?.id, d.endpoints[1]?.id];
    const owners = [x, y].map((id) => (id ? [...switches.values()].find((s) => s.interfaces.has(id)) : undefined));
    if (!x || !y || !owners[0] || !owners[1]) {
      failedLinks[d.id] = `endpoints of link ${d.id} not found`;
      continue;
    }
    const [a, b] = sortEndpoints(x, y);
    links.set(d.id, { id: d.id, a, b, enabled: d.enabled, metadata: { ...d.metadata }, extraReasons: [], activeSince: null, settled: false });
    for (const [id, owner] of [
      [x, owners[0]],
      [y, owners[1]],
    ] as const) {
      const sw = switches.get(owner.dpid)!;
      const m = new Map(sw.interfaces);
      m.set(id, { ...sw.interfaces.get(id)!, nni: true, link: d.id });
      switches.set(sw.dpid, { ...sw, interfaces: m });
    }
  }
  const tags = new Map<string, TagPool>();
  for (const d of stored.tags) {
    tags.set(d.id, {
      tagRanges: d.tag_ranges ? pairs(d.tag_ranges) : DEFAULT_POOL.tagRanges,
      specialTags: d.special_tags ?? DEFAULT_POOL.specialTags,
      used: pairs(d.used_tags),
      specialUsed: d.special_used ?? [],
    });
  }
  // Claims are the authority on what is held: a pool's `used` covers them all.
  const claimed = new Map<string, number[]>();
  for (const c of stored.claims ?? []) claimed.set(c.interface_id, [...(claimed.get(c.interface_id) ?? []), c.tag]);
  for (const [id, held] of claimed) {
    const pool = tags.get(id) ?? DEFAULT_POOL;
    tags.set(id, { ...pool, used: normalize([...pool.used, ...held.map((t) => [t, t] as [number, number])]) });
  }
  // Held interruptions come back as stored; interruptions.ts puts their reasons on the entities.
  const interruptions = new Map<string, HeldInterruption>();
  for (const d of stored.interruptions ?? []) {
    const { key, ...held } = d;
    interruptions.set(key, { type: held.type, id: held.id ?? null, switches: [...(held.switches ?? [])], interfaces: [...(held.interfaces ?? [])], links: [...(held.links ?? [])] });
  }
  return { state: { switches, links, tags, linkUp: new Set(), interruptions, version: 1 }, failedSwitches, failedLinks };
}
