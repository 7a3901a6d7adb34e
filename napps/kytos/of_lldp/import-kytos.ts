/**
 * Kytos-ng's `liveness` into this NApp's `liveness` (`lattice import-kytos`):
 * which interfaces have liveness enabled, dates as ISO 8601 in UTC. The
 * hello state itself is learnt again from LLDP.
 */
import { kytosDocId, kytosInstant, type ImportNote, type KytosImporter } from '#sdk';
import type { LivenessDoc } from './index.js';

const iso = (v: unknown): string | undefined => {
  const ms = kytosInstant(v);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

export const importKytos: KytosImporter = {
  from: ['liveness'],
  map(input) {
    const refused: ImportNote[] = [];
    const docs: LivenessDoc[] = [];
    for (const d of input.liveness ?? []) {
      const id = d._id ?? d.id;
      const inserted = iso(d.inserted_at);
      const updated = iso(d.updated_at) ?? inserted;
      if (typeof id !== 'string' || !/^([0-9a-f]{2}:){7}[0-9a-f]{2}:\d+$/.test(id)) refused.push({ from: 'liveness', id: kytosDocId(d), reason: '_id is not an interface id' });
      else if (typeof d.enabled !== 'boolean') refused.push({ from: 'liveness', id, reason: 'enabled is not a boolean' });
      else if (inserted === undefined || updated === undefined) refused.push({ from: 'liveness', id, reason: 'inserted_at is not a date' });
      else docs.push({ id, enabled: d.enabled, inserted_at: inserted, updated_at: updated });
    }
    return { collections: [{ name: 'liveness', spec: { key: 'id', indexes: ['enabled'] }, docs }], skipped: [], refused };
  },
};
