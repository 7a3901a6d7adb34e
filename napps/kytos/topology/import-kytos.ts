/**
 * Kytos-ng's `switches`, `links` and `interface_details` into this NApp's
 * documents (`lattice import-kytos`): switches with their interfaces' admin
 * state, LLDP flag and metadata; links (keyed by the id both compute from the
 * endpoints); VLAN pools that differ from the default, with their used tags
 * held as claims. Everything else Kytos-ng stored (connection, ofp_version,
 * nni, link) is learnt again when the switches connect.
 */
import { kytosDocId, type ImportNote, type KytosDocument, type KytosImporter } from '#sdk';
import { claimKey, type ClaimDoc, type LinkDoc, type SwitchDoc, type TagDoc } from './docs.js';
import type { TopologySettings } from './settings.js';
import { linkId } from './state.js';
import { DEFAULT_SPECIAL_TAGS, DEFAULT_VLAN_RANGES, difference, normalize } from './tags.js';

const DPID = /^([0-9a-f]{2}:){7}[0-9a-f]{2}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function mapSwitch(d: KytosDocument): SwitchDoc | string {
  const id = d._id ?? d.id;
  if (typeof id !== 'string' || !DPID.test(id)) return `_id ${JSON.stringify(id)} is not a datapath id`;
  if (typeof d.enabled !== 'boolean') return 'enabled is not a boolean';
  if (d.metadata !== undefined && d.metadata !== null && !isObject(d.metadata)) return 'metadata is not a document';
  // Kytos-ng's model also reads interfaces kept as a {id: interface} document.
  const raw = Array.isArray(d.interfaces) ? d.interfaces : isObject(d.interfaces) ? Object.values(d.interfaces) : d.interfaces === undefined ? [] : undefined;
  if (!raw) return 'interfaces is not a list';
  const interfaces: SwitchDoc['interfaces'] = [];
  for (const [i, x] of raw.entries()) {
    if (!isObject(x)) return `interfaces[${i}] is not a document`;
    const port = x.port_number;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 0xffffffff) return `interfaces[${i}].port_number ${JSON.stringify(port)} is not a port number`;
    if (x.id !== `${id}:${port}`) return `interfaces[${i}].id ${JSON.stringify(x.id)} is not ${id}:${port}`;
    if (typeof x.enabled !== 'boolean') return `interfaces[${i}].enabled is not a boolean`;
    if (x.speed !== null && x.speed !== undefined && (typeof x.speed !== 'number' || !Number.isFinite(x.speed))) return `interfaces[${i}].speed is not a number`;
    if (x.metadata !== undefined && x.metadata !== null && !isObject(x.metadata)) return `interfaces[${i}].metadata is not a document`;
    interfaces.push({
      id: x.id,
      port_number: port,
      name: text(x.name),
      mac: text(x.mac),
      speed: typeof x.speed === 'number' ? x.speed : null,
      enabled: x.enabled,
      lldp: x.lldp !== false,
      metadata: { ...((x.metadata as Record<string, unknown>) ?? {}) },
    });
  }
  interfaces.sort((a, b) => a.port_number - b.port_number);
  return {
    id,
    enabled: d.enabled,
    metadata: { ...((d.metadata as Record<string, unknown>) ?? {}) },
    manufacturer: text(d.manufacturer),
    hardware: text(d.hardware),
    software: typeof d.software === 'string' ? d.software : null,
    serial: text(d.serial),
    data_path: text(d.data_path),
    interfaces,
  };
}

function mapLink(d: KytosDocument, interfaces: Set<string>): LinkDoc | { skip: string } | string {
  const id = d._id ?? d.id;
  if (typeof id !== 'string') return '_id is not a string';
  if (typeof d.enabled !== 'boolean') return 'enabled is not a boolean';
  if (d.metadata !== undefined && d.metadata !== null && !isObject(d.metadata)) return 'metadata is not a document';
  const ends = Array.isArray(d.endpoints) ? d.endpoints.map((e) => (isObject(e) ? e.id : undefined)) : [];
  if (ends.length !== 2 || !ends.every((e): e is string => typeof e === 'string')) return 'endpoints is not two {id} documents';
  const [a, b] = ends as [string, string];
  if (linkId(a, b) !== id) return `_id is not the id of the link between ${a} and ${b} (${linkId(a, b)})`;
  const missing = ends.find((e) => !interfaces.has(e));
  if (missing) return { skip: `endpoint ${missing} is on no imported switch: topology could not restore the link (Kytos-ng neither)` };
  return { id, enabled: d.enabled, metadata: { ...((d.metadata as Record<string, unknown>) ?? {}) }, endpoints: [{ id: a }, { id: b }] };
}

type Ranges = [number, number][];

function ranges(v: unknown, path: string): Ranges | string {
  if (!Array.isArray(v)) return `${path} is not a list of [first, last] ranges`;
  const out: Ranges = [];
  for (const r of v) {
    if (!Array.isArray(r) || r.length !== 2 || !r.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 4095) || r[0] > r[1]) {
      return `${path} holds ${JSON.stringify(r)}, not a [first, last] VLAN range`;
    }
    out.push([r[0], r[1]]);
  }
  return normalize(out);
}

function strings(v: unknown, path: string): string[] | string {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return `${path} is not a list of strings`;
  return v;
}

/** A pool as topology stores it, its used tags (to claim), or why it cannot be mapped; undefined when it is the default. */
function mapPool(d: KytosDocument, lldpVlan: number | null): { doc: TagDoc; used: number[] } | { skip: string } | string {
  const id = d._id ?? d.id;
  if (typeof id !== 'string' || !/^([0-9a-f]{2}:){7}[0-9a-f]{2}:\d+$/.test(id)) return `_id ${JSON.stringify(id)} is not an interface id`;
  for (const field of ['tag_ranges', 'available_tags', 'special_tags', 'special_available_tags']) {
    const v = d[field];
    if (!isObject(v)) return `${field} is not a document`;
    const other = Object.entries(v).find(([k, x]) => k !== 'vlan' && Array.isArray(x) && x.length > 0);
    if (other) return `${field}.${other[0]}: Lattice keeps VLAN pools only`;
  }
  const field = (name: string) => (d[name] as Record<string, unknown>).vlan;
  const tagRanges = ranges(field('tag_ranges') ?? [], 'tag_ranges.vlan');
  const available = ranges(field('available_tags') ?? [], 'available_tags.vlan');
  const special = strings(field('special_tags') ?? [], 'special_tags.vlan');
  const specialAvailable = strings(field('special_available_tags') ?? [], 'special_available_tags.vlan');
  for (const r of [tagRanges, available, special, specialAvailable]) if (typeof r === 'string') return r;
  const [tr, av, sp, spa] = [tagRanges, available, special, specialAvailable] as [Ranges, Ranges, string[], string[]];
  if (difference(av, tr).length > 0) return `available_tags.vlan ${JSON.stringify(difference(av, tr))} lie outside tag_ranges.vlan`;
  // Kytos-ng's of_lldp takes its VLAN out of every pool; topology holds it apart from the pool.
  const used = difference(difference(tr, av), lldpVlan === null ? [] : [[lldpVlan, lldpVlan]]);
  const specialUsed = sp.filter((s) => !spa.includes(s));
  const isDefault =
    JSON.stringify(tr) === JSON.stringify(DEFAULT_VLAN_RANGES) && used.length === 0 && specialUsed.length === 0 && JSON.stringify([...sp].sort()) === JSON.stringify([...DEFAULT_SPECIAL_TAGS].sort());
  if (isDefault) return { skip: 'the default VLAN pool with nothing used: topology gives every interface that' };
  return {
    doc: { id, tag_ranges: tr.flat(), special_tags: [...sp], used_tags: used.flat(), special_used: specialUsed },
    used: used.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)),
  };
}

export const SWITCHES_SPEC = { key: 'id' } as const;
export const LINKS_SPEC = { key: 'id' } as const;
export const TAGS_SPEC = { key: 'id' } as const;
export const CLAIMS_SPEC = { key: 'id', indexes: ['interface_id'] } as const;

export const importKytos: KytosImporter<TopologySettings> = {
  from: ['switches', 'links', 'interface_details'],
  map(input, settings) {
    const refused: ImportNote[] = [];
    const skipped: ImportNote[] = [];
    const switches: SwitchDoc[] = [];
    const links: LinkDoc[] = [];
    const tags: TagDoc[] = [];
    const claims: ClaimDoc[] = [];
    for (const d of input.switches ?? []) {
      const m = mapSwitch(d);
      if (typeof m === 'string') refused.push({ from: 'switches', id: kytosDocId(d), reason: m });
      else switches.push(m);
    }
    const interfaces = new Set(switches.flatMap((s) => s.interfaces.map((i) => i.id)));
    for (const d of input.links ?? []) {
      const m = mapLink(d, interfaces);
      if (typeof m === 'string') refused.push({ from: 'links', id: kytosDocId(d), reason: m });
      else if ('skip' in m) skipped.push({ from: 'links', id: kytosDocId(d), reason: m.skip });
      else links.push(m);
    }
    for (const d of input.interface_details ?? []) {
      const m = mapPool(d, settings.LLDP_VLAN);
      if (typeof m === 'string') refused.push({ from: 'interface_details', id: kytosDocId(d), reason: m });
      else if ('skip' in m) skipped.push({ from: 'interface_details', id: kytosDocId(d), reason: m.skip });
      else {
        tags.push(m.doc);
        for (const tag of m.used) claims.push({ id: claimKey(m.doc.id, tag), interface_id: m.doc.id, tag_type: 'vlan', tag });
      }
    }
    return {
      collections: [
        { name: 'switches', spec: SWITCHES_SPEC, docs: switches },
        { name: 'links', spec: LINKS_SPEC, docs: links },
        { name: 'interface_details', spec: TAGS_SPEC, docs: tags },
        { name: 'tag_claims', spec: { key: 'id', indexes: [...CLAIMS_SPEC.indexes] }, docs: claims },
      ],
      skipped,
      refused,
    };
  },
};
