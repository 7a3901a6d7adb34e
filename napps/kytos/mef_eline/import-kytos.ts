/**
 * Kytos-ng's `evcs` into this NApp's `evcs` (`lattice import-kytos`): the
 * same fields, its BSON dates written as Kytos-ng shows them
 * (`%Y-%m-%dT%H:%M:%S`), UNI tags checked as a request's are, path links
 * kept with their S-VLANs. An active EVC comes back active on the flows
 * flow_manager imported; `last_removed_at` and `leftover_switch` are not kept.
 */
import { BadRequestError, kytosDocId, kytosInstant, type EvcPathLink, type EvcScheduleJson, type ImportNote, type KytosDocument, type KytosImporter, type UniJson } from '#sdk';
import { kytosDate, type EvcDoc } from './model.js';
import { scheduleFromRequest } from './schedule.js';
import { parseTag, tagListsEqual } from './uni.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

class Refused extends Error {}
const refuse = (why: string): never => {
  throw new Refused(why);
};

function uni(v: unknown, name: string): UniJson {
  if (!isObject(v) || typeof v.interface_id !== 'string' || !/^([0-9a-f]{2}:){7}[0-9a-f]{2}:\d+$/.test(v.interface_id)) return refuse(`${name}.interface_id is not an interface id`);
  try {
    const tag = parseTag(v.tag);
    return tag ? { interface_id: v.interface_id, tag } : { interface_id: v.interface_id };
  } catch (error) {
    if (error instanceof BadRequestError) return refuse(`${name}.tag: ${error.message}`);
    throw error;
  }
}

function path(v: unknown, name: string): EvcPathLink[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return refuse(`${name} is not a list of links`);
  return v.map((l, i) => {
    if (!isObject(l) || typeof l.id !== 'string' || !isObject(l.endpoint_a) || !isObject(l.endpoint_b) || typeof l.endpoint_a.id !== 'string' || typeof l.endpoint_b.id !== 'string') {
      return refuse(`${name}[${i}] is not a link with id, endpoint_a.id and endpoint_b.id`);
    }
    const metadata = isObject(l.metadata) ? { ...l.metadata } : {};
    const s = metadata.s_vlan;
    if (s !== undefined) {
      // Kytos-ng writes the S-VLAN as a TAG dict; older releases wrote tag_type 1 for vlan.
      if (!isObject(s) || (s.tag_type !== 'vlan' && s.tag_type !== 1) || typeof s.value !== 'number' || !Number.isInteger(s.value) || s.value < 1 || s.value > 4094) {
        return refuse(`${name}[${i}].metadata.s_vlan is not a VLAN tag`);
      }
      metadata.s_vlan = { tag_type: 'vlan', value: s.value };
    }
    return { ...l, metadata } as EvcPathLink;
  });
}

function schedules(v: unknown): EvcScheduleJson[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return refuse('circuit_scheduler is not a list');
  return v.map((s, i) => {
    if (!isObject(s) || typeof s.id !== 'string') return refuse(`circuit_scheduler[${i}] has no id`);
    const given = Object.fromEntries(Object.entries(s).filter(([, x]) => x !== null));
    try {
      return scheduleFromRequest(given, s.id);
    } catch (error) {
      if (error instanceof BadRequestError) return refuse(`circuit_scheduler[${i}]: ${error.message}`);
      throw error;
    }
  });
}

const date = (v: unknown, name: string): string | null => {
  if (v === undefined || v === null) return null;
  const ms = kytosInstant(v);
  return ms === undefined ? refuse(`${name} is not a date`) : kytosDate(ms);
};
const int = (v: unknown, name: string, dflt: number): number => {
  if (v === undefined || v === null) return dflt;
  return typeof v === 'number' && Number.isFinite(v) ? v : refuse(`${name} is not a number`);
};
const bool = (v: unknown, name: string, dflt?: boolean): boolean => {
  if ((v === undefined || v === null) && dflt !== undefined) return dflt;
  return typeof v === 'boolean' ? v : refuse(`${name} is not a boolean`);
};
const object = (v: unknown, name: string): Record<string, unknown> => {
  if (v === undefined || v === null) return {};
  return isObject(v) ? { ...v } : refuse(`${name} is not a document`);
};

export function mapEvc(d: KytosDocument): EvcDoc {
  const id = d._id ?? d.id;
  if (typeof id !== 'string' || id === '') return refuse('_id is not a string');
  if (typeof d.name !== 'string' || d.name === '') return refuse('name is empty');
  const uni_a = uni(d.uni_a, 'uni_a');
  const uni_z = uni(d.uni_z, 'uni_z');
  if (!tagListsEqual(uni_a, uni_z)) return refuse('UNI_A and UNI_Z tag lists differ');
  const creation = date(d.creation_time, 'creation_time') ?? date(d.inserted_at, 'inserted_at') ?? refuse('creation_time is missing');
  const sb = d.sb_priority ?? d.priority;
  return {
    id,
    name: d.name,
    uni_a,
    uni_z,
    bandwidth: int(d.bandwidth, 'bandwidth', 0),
    primary_path: path(d.primary_path, 'primary_path'),
    backup_path: path(d.backup_path, 'backup_path'),
    current_path: path(d.current_path, 'current_path'),
    failover_path: path(d.failover_path, 'failover_path'),
    primary_links: path(d.primary_links, 'primary_links'),
    backup_links: path(d.backup_links, 'backup_links'),
    dynamic_backup_path: bool(d.dynamic_backup_path, 'dynamic_backup_path', false),
    sb_priority: sb === undefined || sb === null ? null : int(sb, 'sb_priority', 0),
    service_level: int(d.service_level, 'service_level', 0),
    circuit_scheduler: schedules(d.circuit_scheduler),
    archived: bool(d.archived, 'archived', false),
    metadata: object(d.metadata, 'metadata'),
    active: bool(d.active, 'active', false),
    enabled: bool(d.enabled, 'enabled'),
    max_paths: int(d.max_paths, 'max_paths', 2),
    execution_rounds: int(d.execution_rounds, 'execution_rounds', 0),
    owner: typeof d.owner === 'string' ? d.owner : null,
    queue_id: int(d.queue_id, 'queue_id', -1),
    primary_constraints: object(d.primary_constraints, 'primary_constraints'),
    secondary_constraints: object(d.secondary_constraints, 'secondary_constraints'),
    table_group: { evpl: 0, epl: 0 },
    start_date: date(d.start_date, 'start_date') ?? creation,
    creation_time: creation,
    request_time: date(d.request_time, 'request_time') ?? creation,
    end_date: date(d.end_date, 'end_date'),
    flow_removed_at: date(d.flow_removed_at, 'flow_removed_at'),
    last_deployed_at: date(d.last_deployed_at, 'last_deployed_at'),
    updated_at: date(d.updated_at, 'updated_at') ?? creation,
    inserted_at: date(d.inserted_at, 'inserted_at') ?? creation,
  };
}

export const importKytos: KytosImporter = {
  from: ['evcs'],
  map(input) {
    const refused: ImportNote[] = [];
    const docs: EvcDoc[] = [];
    for (const d of input.evcs ?? []) {
      try {
        docs.push(mapEvc(d));
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refused.push({ from: 'evcs', id: kytosDocId(d), reason: error.message });
      }
    }
    return { collections: [{ name: 'evcs', spec: { key: 'id', indexes: ['archived'] }, docs }], skipped: [], refused };
  },
};
