/**
 * The stored flows: one record per (switch, match id) as Kytos keys them
 * (`_id` = match id), kept in memory by the machine and mirrored to the
 * `flows` collection. Documents keep the flow as JSON text with exact 64-bit
 * integers, plus a fixed-width cookie for range queries, so both store
 * adapters hold cookies up to 2^64-1 exactly.
 */
import type { StoredFlowDoc, StoredFlowState } from '#sdk';
import { parseFlow, type FlowSpec } from './flow.js';
import { jsonInt } from './match.js';

export interface FlowRecord {
  /** Match id (the document key). */
  id: string;
  switch: string;
  flow_id: string;
  state: StoredFlowState;
  /** The flow as stored (the request's fields with Kytos' defaults; cookie exact). */
  flow: Record<string, unknown>;
  spec: FlowSpec;
  inserted_at: number;
  updated_at: number;
}

/** The document in the store. */
export interface FlowDocument {
  id: string;
  switch: string;
  flow_id: string;
  state: StoredFlowState;
  /** The stored flow as JSON text (integers beyond 2^53 exact). */
  flow: string;
  /** The cookie, 20 digits zero-padded (sortable). */
  cookie: string;
  inserted_at: Date;
  updated_at: Date;
}

const BIG = '\u0000big:';

export function encodeFlow(flow: Record<string, unknown>): string {
  try {
    // Most flows hold no integer beyond 2^53: no replacer call per key.
    return JSON.stringify(flow);
  } catch {
    return JSON.stringify(flow, (_k, v) => (typeof v === 'bigint' ? `${BIG}${v}` : v));
  }
}

/** A record's flow as JSON text, encoded once (a flow is written pending, then installed: the text is the same). */
const encoded = new WeakMap<Record<string, unknown>, string>();
function flowText(flow: Record<string, unknown>): string {
  let t = encoded.get(flow);
  if (t === undefined) encoded.set(flow, (t = encodeFlow(flow)));
  return t;
}

export const decodeFlow = (text: string): Record<string, unknown> =>
  JSON.parse(text, (_k, v) => (typeof v === 'string' && v.startsWith(BIG) ? BigInt(v.slice(BIG.length)) : v)) as Record<string, unknown>;

export const cookieKey = (c: bigint): string => c.toString().padStart(20, '0');

export const toDocument = (r: FlowRecord): FlowDocument => ({
  id: r.id,
  switch: r.switch,
  flow_id: r.flow_id,
  state: r.state,
  flow: flowText(r.flow),
  cookie: cookieKey(r.spec.cookie),
  inserted_at: new Date(r.inserted_at),
  updated_at: new Date(r.updated_at),
});

export function fromDocument(d: FlowDocument): FlowRecord {
  const flow = decodeFlow(d.flow);
  return {
    id: d.id,
    switch: d.switch,
    flow_id: d.flow_id,
    state: d.state,
    flow,
    spec: parseFlow(flow, 'add'),
    inserted_at: new Date(d.inserted_at).getTime(),
    updated_at: new Date(d.updated_at).getTime(),
  };
}

const KNOWN = new Set(['table_id', 'owner', 'table_group', 'priority', 'cookie', 'idle_timeout', 'hard_timeout', 'match', 'actions', 'instructions']);

/** The flow as Kytos stores it: given fields with defaults, in Kytos' order; extra fields kept after. */
export function storedFlow(raw: Record<string, unknown>, spec: FlowSpec, owner?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { table_id: spec.table_id };
  const own = raw.owner ?? owner;
  if (own !== undefined && own !== null) out.owner = own;
  out.table_group = raw.table_group ?? 'base';
  out.priority = spec.priority;
  out.cookie = jsonInt(spec.cookie);
  out.idle_timeout = spec.idle_timeout;
  out.hard_timeout = spec.hard_timeout;
  if (raw.match !== undefined && raw.match !== null) out.match = raw.match;
  if (raw.actions !== undefined && raw.actions !== null) out.actions = raw.actions;
  if (raw.instructions !== undefined && raw.instructions !== null) out.instructions = raw.instructions;
  for (const [k, v] of Object.entries(raw)) if (!KNOWN.has(k) && k !== 'cookie_mask') out[k] = v;
  return out;
}

/** Python's `datetime.isoformat()` of a UTC time (microseconds only when not zero), as Kytos returns it. */
export function isoformat(ms: number): string {
  const iso = new Date(ms).toISOString();
  const frac = ms % 1000;
  return frac === 0 ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${String(frac).padStart(3, '0')}000`;
}

export const toStoredDoc = (r: FlowRecord): StoredFlowDoc => ({
  switch: r.switch,
  flow_id: r.flow_id,
  id: r.id,
  state: r.state,
  flow: r.flow as StoredFlowDoc['flow'],
  inserted_at: isoformat(r.inserted_at),
  updated_at: isoformat(r.updated_at),
});

/**
 * Records by switch, then by match id, and how many are in each state (kept as
 * records change, so the `lattice_flows` gauge never scans). Owned by the
 * flow_manager machine: only its transitions change it, and a record's state
 * only through `setState`.
 */
export class FlowTable {
  private readonly bySwitch = new Map<string, Map<string, FlowRecord>>();
  private readonly byState: Record<StoredFlowState, number> = { pending: 0, installed: 0, deleted: 0 };
  /** Bumped whenever a count changes. */
  private changes = 0;

  get(dpid: string, id: string): FlowRecord | undefined {
    return this.bySwitch.get(dpid)?.get(id);
  }

  set(r: FlowRecord): void {
    let m = this.bySwitch.get(r.switch);
    if (!m) this.bySwitch.set(r.switch, (m = new Map()));
    const prev = m.get(r.id);
    if (prev) this.count(prev.state, -1);
    m.set(r.id, r);
    this.count(r.state, 1);
  }

  delete(dpid: string, id: string): void {
    const m = this.bySwitch.get(dpid);
    const prev = m?.get(id);
    if (!prev) return;
    m!.delete(id);
    this.count(prev.state, -1);
  }

  /** Changes a stored record's state (in place, as the pipeline's undo log expects). */
  setState(r: FlowRecord, state: StoredFlowState): void {
    const held = this.get(r.switch, r.id) === r;
    if (held) this.count(r.state, -1);
    r.state = state;
    if (held) this.count(state, 1);
  }

  /** Records per state, kept as they change. */
  counts(): Readonly<Record<StoredFlowState, number>> {
    return { ...this.byState };
  }

  /** A number that changes whenever `counts()` does. */
  get version(): number {
    return this.changes;
  }

  private count(state: StoredFlowState, by: number): void {
    this.byState[state] += by;
    this.changes++;
  }

  records(dpid: string): Iterable<FlowRecord> {
    return this.bySwitch.get(dpid)?.values() ?? [];
  }

  switches(): string[] {
    return [...this.bySwitch.keys()];
  }

  *all(): Iterable<FlowRecord> {
    for (const m of this.bySwitch.values()) yield* m.values();
  }
}

/** One store operation of a group write (the store port's batch operation for this collection). */
export type DocOp = { op: 'put'; doc: FlowDocument } | { op: 'delete'; key: string };
