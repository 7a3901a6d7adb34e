/**
 * Kytos-ng's `flows` into this NApp's `flows` (`lattice import-kytos`). Each
 * flow is checked as a request flow would be (a flow Lattice could not send
 * is refused), keyed by the ids Lattice computes (Kytos-ng's, except where a
 * switch rewrites the match), its cookie exact; `flow_checks` is Kytos-ng's
 * consistency-check throttle, which Lattice keeps in memory: skipped.
 */
import { kytosDocId, kytosInstant, type ImportNote, type KytosDocument, type KytosImporter } from '#sdk';
import { idsOf, parseFlow } from './flow.js';
import { toDocument, storedFlow, type FlowDocument } from './table.js';
import { FlowFieldError } from './match.js';

const STATES = new Set(['pending', 'installed', 'deleted']);
const DPID = /^([0-9a-f]{2}:){7}[0-9a-f]{2}$/;

export const FLOWS_SPEC = { key: 'id' } as const;

function mapFlow(d: KytosDocument): FlowDocument | string {
  if (typeof d.switch !== 'string' || !DPID.test(d.switch)) return `switch ${JSON.stringify(d.switch)} is not a datapath id`;
  if (typeof d.state !== 'string' || !STATES.has(d.state)) return `state ${JSON.stringify(d.state)} is not pending, installed or deleted`;
  const raw = d.flow;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'flow is not a document';
  const flow = raw as Record<string, unknown>;
  if (typeof flow.cookie === 'string') return `flow.cookie ${flow.cookie} is not an integer`;
  let spec;
  try {
    spec = parseFlow(flow, 'add');
  } catch (error) {
    if (error instanceof FlowFieldError) return `flow: ${error.message}`;
    throw error;
  }
  const inserted = kytosInstant(d.inserted_at);
  const updated = kytosInstant(d.updated_at) ?? inserted;
  if (inserted === undefined || updated === undefined) return 'inserted_at is not a date';
  const ids = idsOf(d.switch, spec);
  return toDocument({
    ...ids,
    switch: d.switch,
    state: d.state as FlowDocument['state'],
    flow: storedFlow(flow, spec),
    spec,
    inserted_at: inserted,
    updated_at: updated,
  });
}

export const importKytos: KytosImporter = {
  from: ['flows', 'flow_checks'],
  map(input) {
    const refused: ImportNote[] = [];
    const skipped: ImportNote[] = [];
    const docs = new Map<string, FlowDocument>();
    for (const d of input.flows ?? []) {
      const id = kytosDocId(d);
      const mapped = mapFlow(d);
      if (typeof mapped === 'string') {
        refused.push({ from: 'flows', id, reason: mapped });
        continue;
      }
      const twin = docs.get(mapped.id);
      if (twin) {
        refused.push({ from: 'flows', id, reason: `same switch, table, match and priority as flow ${twin.flow_id}` });
        continue;
      }
      docs.set(mapped.id, mapped);
    }
    for (const d of input.flow_checks ?? []) {
      skipped.push({ from: 'flow_checks', id: kytosDocId(d), reason: 'consistency-check throttle state: Lattice keeps it in memory and checks each switch after it connects' });
    }
    return { collections: [{ name: 'flows', spec: FLOWS_SPEC, docs: [...docs.values()] }], skipped, refused };
  },
};
