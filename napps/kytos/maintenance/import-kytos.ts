/**
 * Kytos-ng's `maintenance.windows` into this NApp's `windows`
 * (`lattice import-kytos`): dates (BSON datetimes, or text) as ISO 8601 in UTC,
 * the status as stored (a running window is judged again at start).
 */
import { kytosDocId, kytosInstant, type ImportNote, type KytosDocument, type KytosImporter, type MaintenanceWindowDoc } from '#sdk';
import { MAX_END } from './logic.js';

const STATUS = new Set(['pending', 'running', 'finished']);
const iso = (v: unknown): string | undefined => {
  const ms = kytosInstant(v);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};
const optional = (v: unknown): string | null | undefined => (v === undefined || v === null ? null : iso(v));
const names = (v: unknown): string[] | undefined => (v === undefined || v === null ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v] : undefined);

function mapWindow(d: KytosDocument): MaintenanceWindowDoc | string {
  if (typeof d.id !== 'string' || d.id === '') return 'id is not a string';
  const start = iso(d.start);
  if (start === undefined) return 'start is not a date';
  const end = d.end === undefined || d.end === null ? MAX_END : iso(d.end);
  if (end === undefined) return 'end is not a date';
  if (Date.parse(end) <= Date.parse(start)) return 'end is not after start';
  const [switches, interfaces, links] = [names(d.switches), names(d.interfaces), names(d.links)];
  if (!switches || !interfaces || !links) return 'switches, interfaces and links must be lists of ids';
  if (switches.length + interfaces.length + links.length === 0) return 'no switch, interface or link';
  if (typeof d.status !== 'string' || !STATUS.has(d.status)) return `status ${JSON.stringify(d.status)} is not pending, running or finished`;
  if (d.description !== undefined && d.description !== null && typeof d.description !== 'string') return 'description is not a string';
  const inserted_at = optional(d.inserted_at);
  const updated_at = optional(d.updated_at);
  const last_modified = optional(d.last_modified);
  if (inserted_at === undefined || updated_at === undefined || last_modified === undefined) return 'inserted_at, updated_at or last_modified is not a date';
  return {
    id: d.id,
    start,
    end,
    switches,
    interfaces,
    links,
    description: typeof d.description === 'string' ? d.description : '',
    status: d.status as MaintenanceWindowDoc['status'],
    inserted_at,
    updated_at,
    last_modified: last_modified ?? updated_at,
  };
}

export const importKytos: KytosImporter = {
  from: ['maintenance.windows'],
  map(input) {
    const refused: ImportNote[] = [];
    const docs = new Map<string, MaintenanceWindowDoc>();
    for (const d of input['maintenance.windows'] ?? []) {
      const m = mapWindow(d);
      if (typeof m === 'string') refused.push({ from: 'maintenance.windows', id: typeof d.id === 'string' ? d.id : kytosDocId(d), reason: m });
      else if (docs.has(m.id)) refused.push({ from: 'maintenance.windows', id: m.id, reason: 'a second window with this id' });
      else docs.set(m.id, m);
    }
    return { collections: [{ name: 'windows', spec: { key: 'id', indexes: ['status'] }, docs: [...docs.values()] }], skipped: [], refused };
  },
};
