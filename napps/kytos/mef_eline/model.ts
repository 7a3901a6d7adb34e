/**
 * The EVC document (pure): built from a create request, changed by an update
 * request, checked as Kytos-ng checks it (same 400 messages), and the event
 * content every mef_eline event carries.
 */
import { randomBytes } from 'node:crypto';
import { BadRequestError, type EvcEventContent, type EvcJson, type EvcPathLink, type LinkJson, type UniJson } from '#sdk';
import { dpidOf, isValidPath, pathLink } from './paths.js';
import { scheduleFromRequest } from './schedule.js';
import { parseTag, tagListsEqual } from './uni.js';

/** The stored document: the EVC JSON plus when it was first written. */
export type EvcDoc = EvcJson & { inserted_at: string };

/** Kytos' date format, `%Y-%m-%dT%H:%M:%S` (UTC). */
export const kytosDate = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/** `uuid4().hex[:14]`: 14 hex digits. */
export const newEvcId = (): string => randomBytes(7).toString('hex');

/** What a create or update needs to know of the topology. */
export interface TopologyFacts {
  interfaceExists(id: string): boolean;
  link(id: string): LinkJson | undefined;
}

const READ_ONLY = ['creation_time', 'active', 'current_path', 'failover_path', '_id', 'id', 'archived', 'request_time'];

function uniOf(raw: unknown, topo: TopologyFacts): UniJson {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadRequestError(`Error creating UNI: Invalid value`);
  const r = raw as { interface_id?: unknown; tag?: unknown };
  if (typeof r.interface_id !== 'string' || !topo.interfaceExists(r.interface_id)) {
    throw new BadRequestError('Error creating UNI: Invalid value');
  }
  const tag = parseTag(r.tag);
  return tag ? { interface_id: r.interface_id, tag } : { interface_id: r.interface_id };
}

function pathOf(raw: unknown, topo: TopologyFacts, name: string): EvcPathLink[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new BadRequestError(`${name} is not a valid path: not a list of links`);
  return raw.map((l) => {
    const x = l as { id?: string; endpoint_a?: { id?: string }; endpoint_b?: { id?: string } };
    const a = x?.endpoint_a?.id;
    const b = x?.endpoint_b?.id;
    const found = (x?.id ? topo.link(x.id) : undefined) ?? findLinkByEnds(topo, a, b);
    if (!found) throw new BadRequestError(`${name} is not a valid path: link between ${a} and ${b} not found`);
    return pathLink(found);
  });
}

/** Facts can look a link up by its endpoints too (`ends:<a>|<b>`). */
const findLinkByEnds = (topo: TopologyFacts, a?: string, b?: string): LinkJson | undefined => (a && b ? topo.link(`ends:${a}|${b}`) : undefined);

function checkPath(path: EvcPathLink[], a: UniJson, z: UniJson, name: string): void {
  if (path.length > 0 && !isValidPath(path, a.interface_id, z.interface_id)) throw new BadRequestError(`${name} is not a valid path: the links do not join the UNIs`);
}

const objectOf = (v: unknown, name: string): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadRequestError(`${name} must be an object`);
  return v as Record<string, unknown>;
};

const int = (v: unknown, name: string, dflt: number): number => {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadRequestError(`${name} must be a number`);
  return v;
};

function checkCommon(evc: EvcJson): void {
  if (!tagListsEqual(evc.uni_a, evc.uni_z)) throw new BadRequestError('UNI_A and UNI_Z tag lists should be the same.');
  const sameSwitch = dpidOf(evc.uni_a.interface_id) === dpidOf(evc.uni_z.interface_id);
  if (evc.primary_path.length === 0 && !evc.dynamic_backup_path && !sameSwitch) throw new BadRequestError('The EVC must have a primary path or allow dynamic paths.');
  if (evc.uni_a.interface_id === evc.uni_z.interface_id) throw new BadRequestError('The UNIs of an EVC must be on different interfaces.');
}

/** A new EVC from a create body (already checked against openapi.yml). */
export function evcFromRequest(body: Record<string, unknown>, topo: TopologyFacts, now: number, id = newEvcId()): EvcDoc {
  if (typeof body.name !== 'string' || body.name === '') throw new BadRequestError("name can't be empty");
  const uni_a = uniOf(body.uni_a, topo);
  const uni_z = uniOf(body.uni_z, topo);
  const date = kytosDate(now);
  const evc: EvcDoc = {
    id,
    name: body.name,
    uni_a,
    uni_z,
    bandwidth: int(body.bandwidth, 'bandwidth', 0),
    primary_path: pathOf(body.primary_path, topo, 'primary_path'),
    backup_path: pathOf(body.backup_path, topo, 'backup_path'),
    current_path: [],
    failover_path: [],
    primary_links: pathOf(body.primary_links, topo, 'primary_links'),
    backup_links: pathOf(body.backup_links, topo, 'backup_links'),
    dynamic_backup_path: body.dynamic_backup_path === true,
    sb_priority: body.sb_priority === undefined || body.sb_priority === null ? null : int(body.sb_priority, 'sb_priority', 0),
    service_level: int(body.service_level, 'service_level', 0),
    circuit_scheduler: Array.isArray(body.circuit_scheduler) ? body.circuit_scheduler.map((x) => scheduleFromRequest(x)) : [],
    archived: false,
    metadata: (body.metadata as Record<string, unknown>) ?? {},
    active: false,
    enabled: body.enabled === undefined ? false : body.enabled === true,
    max_paths: int(body.max_paths, 'max_paths', 2),
    execution_rounds: 0,
    owner: typeof body.owner === 'string' ? body.owner : null,
    queue_id: int(body.queue_id, 'queue_id', -1),
    primary_constraints: (body.primary_constraints as Record<string, unknown>) ?? {},
    secondary_constraints: (body.secondary_constraints as Record<string, unknown>) ?? {},
    table_group: { evpl: 0, epl: 0, ...((body.table_group as Record<string, number>) ?? {}) },
    start_date: typeof body.start_date === 'string' ? body.start_date : date,
    creation_time: date,
    request_time: date,
    end_date: typeof body.end_date === 'string' ? body.end_date : null,
    flow_removed_at: null,
    last_deployed_at: null,
    updated_at: date,
    inserted_at: date,
  };
  checkPath(evc.primary_path, uni_a, uni_z, 'primary_path');
  checkPath(evc.backup_path, uni_a, uni_z, 'backup_path');
  checkCommon(evc);
  return evc;
}

/** What an update changes, and whether the EVC must be redeployed or (en|dis)abled. */
export interface Update {
  evc: EvcDoc;
  redeploy: boolean;
  enable?: boolean;
}

const REDEPLOY_FIELDS = new Set(['uni_a', 'uni_z', 'primary_path', 'backup_path', 'dynamic_backup_path', 'primary_constraints', 'secondary_constraints', 'sb_priority', 'queue_id', 'primary_links', 'backup_links']);

export function evcUpdated(old: EvcDoc, body: Record<string, unknown>, topo: TopologyFacts, now: number): Update {
  for (const k of READ_ONLY) if (k in body) throw new BadRequestError(`${k} can't be updated.`);
  const evc: EvcDoc = { ...old, updated_at: kytosDate(now) };
  let redeploy = false;
  let enable: boolean | undefined;
  for (const [k, v] of Object.entries(body)) {
    if (REDEPLOY_FIELDS.has(k)) redeploy = true;
    switch (k) {
      case 'uni_a':
      case 'uni_z':
        evc[k] = uniOf(v, topo);
        break;
      case 'primary_path':
      case 'backup_path':
      case 'primary_links':
      case 'backup_links':
        evc[k] = pathOf(v, topo, k);
        break;
      case 'enabled':
        if (typeof v !== 'boolean') throw new BadRequestError('enabled must be a boolean');
        if (v !== old.enabled) enable = v;
        evc.enabled = v;
        break;
      case 'dynamic_backup_path':
        evc.dynamic_backup_path = v === true;
        break;
      case 'name':
        if (typeof v !== 'string' || v === '') throw new BadRequestError("name can't be empty");
        evc.name = v;
        break;
      case 'metadata':
      case 'primary_constraints':
      case 'secondary_constraints':
        evc[k] = objectOf(v, k);
        break;
      case 'table_group':
        evc.table_group = { ...old.table_group, ...(objectOf(v, k) as Record<string, number>) };
        break;
      case 'bandwidth':
      case 'service_level':
      case 'queue_id':
      case 'max_paths':
        evc[k] = int(v, k, evc[k]);
        break;
      case 'sb_priority':
        evc.sb_priority = v === null ? null : int(v, k, 0);
        break;
      case 'owner':
        evc.owner = typeof v === 'string' ? v : null;
        break;
      case 'start_date':
      case 'end_date':
        if (typeof v !== 'string') throw new BadRequestError(`${k} must be a date`);
        evc[k] = v;
        break;
      case 'circuit_scheduler':
        if (!Array.isArray(v)) throw new BadRequestError('circuit_scheduler must be a list');
        evc.circuit_scheduler = v.map((x) => scheduleFromRequest(x));
        break;
      default:
        throw new BadRequestError(`${k} is not a valid attribute of an EVC`);
    }
  }
  checkPath(evc.primary_path, evc.uni_a, evc.uni_z, 'primary_path');
  checkPath(evc.backup_path, evc.uni_a, evc.uni_z, 'backup_path');
  checkCommon(evc);
  return { evc, redeploy, ...(enable === undefined ? {} : { enable }) };
}

/** Content of every mef_eline event (Kytos-ng's `map_evc_event_content`). */
export const eventContent = (evc: EvcJson): EvcEventContent => ({
  evc_id: evc.id,
  id: evc.id,
  name: evc.name,
  metadata: evc.metadata,
  active: evc.active,
  enabled: evc.enabled,
  uni_a: evc.uni_a,
  uni_z: evc.uni_z,
});

/** The EVC as the API shows it (the stored document without `inserted_at`). */
export function evcJson(doc: EvcDoc): EvcJson {
  const { inserted_at: _i, ...json } = doc;
  return json;
}
