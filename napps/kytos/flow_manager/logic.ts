/**
 * flow_manager's decisions. Each function takes the machine's state and one
 * input and returns the effects to run, in order: store (one durable write per
 * group), then send (FLOW_MODs + one BARRIER per switch per group), then emit
 * and answer. The state's flow table and bookkeeping belong to the machine:
 * only these functions, called from its transitions, change them.
 *
 * The pipeline: a request is checked whole (a bad flow refuses it all), applied
 * to the table, and queued; while one write is in flight, every request that
 * arrives joins the next write (group commit). When a write is durable, each
 * switch's FLOW_MODs of that group go out in arrival order with one barrier.
 */
import { emission, type Emission, type FlowApplyResult, type FlowEventContent, type FlowModMessage, type FlowRemovedMessage, type Reply, flowAdded, flowError, flowPending } from '#sdk';
import type { ApplyRequest, BarrierFailure, CheckedFlow, LaterEvent, StoredQuery } from './events.js';
import { flowMod, idsOf, parseFlow, specFromStats, type Command, type FlowSpec } from './flow.js';
import { jsonInt, FlowFieldError } from './match.js';
import { flowId, matchId } from './ids.js';
import { FlowTable, storedFlow, toDocument, toStoredDoc, type DocOp, type FlowRecord } from './table.js';
import type { FlowManagerSettings } from './settings.js';
import type { CheckJob, DescribeJob } from './consistency.js';
import type { StoredFlowDoc } from '#sdk';

export const FLOWMODS_SENT = { response: 'FlowMod Messages Sent' } as const;
export const FLOWMODS_INSTALLED = { response: 'FlowMod Messages Installed' } as const;

/** Kytos' error body. */
export const errorResult = (status: number, description: unknown): FlowApplyResult => ({ status, body: { description, code: status } });

/** One FLOW_MOD of a batch and what it is for. */
export interface Entry {
  command: Command | 'delete_strict';
  spec: FlowSpec;
  flow_id: string;
  id: string;
  /** The request and the flow's index in it (none for consistency repairs). */
  jobId?: number;
  index?: number;
  /** Retries already made after connection errors. */
  tries?: number;
}

/** Kytos-ng's retries on connection errors (its CONN_ERR_* settings): tries, first wait, multiplier. */
export interface RetryPolicy {
  max: number;
  minWaitMs: number;
  multiplier: number;
}
export const KYTOS_RETRIES: RetryPolicy = { max: 3, minWaitMs: 1000, multiplier: 2 };

export interface Job {
  id: number;
  force: boolean;
  wait: boolean;
  replyTo?: Reply<FlowApplyResult>;
  /** Switches whose part is not settled yet. */
  open: Set<string>;
  /** Waiting requests: FLOW_MODs not yet confirmed or refused, per switch. */
  outstanding: Map<string, number>;
  notConnected: string[];
  refused: { index: number; error_type: number; error_code: number }[];
  answered: boolean;
}

interface Part {
  dpid: string;
  jobId: number;
  entries: Entry[];
}

/** A request's change to one record: the record before, and the record it left (taken back only if still so). */
interface Undo {
  dpid: string;
  id: string;
  prev?: FlowRecord;
  after: FlowRecord;
  updatedAt: number;
}

export interface Batch {
  id: number;
  dpid: string;
  entries: Entry[];
}

export interface FmState {
  table: FlowTable;
  jobs: Map<number, Job>;
  nextId: number;
  /**
   * Store operations waiting for the next write, by document key (the last one
   * wins; a record is encoded when the write starts, so a flow stored and
   * confirmed in one window is written once).
   */
  queuedOps: Map<string, { op: 'put'; rec: FlowRecord } | { op: 'delete'; key: string }>;
  /** Sends waiting for the next write. */
  queuedParts: Part[];
  /** How to take back the requests' changes of the next write if it fails. */
  queuedUndo: Undo[];
  /** The write in flight: its operations, the sends waiting for it, and its undo log. */
  writing: { id: number; ops: FmState['queuedOps']; parts: Part[]; undo: Undo[] } | null;
  batches: Map<number, Batch>;
  /** flow_ids with a FLOW_MOD in flight, per switch (the consistency check leaves them alone). */
  inflight: Map<string, Map<string, number>>;
  /** FLOW_MODs per second per switch, by owner (`no_owner`, `alien`); absent = unpaced. */
  paces: Readonly<Record<string, number>>;
  /** This second's count per `owner|dpid`. */
  paceCounts: Map<string, { window: number; count: number }>;
  /** Entries waiting for the next second because of pacing, per switch (in order). */
  held: Map<string, Entry[]>;
  /** Ids of the flows each switch reported last, by fingerprint (consistency.ts). */
  reportedIds: Map<string, Map<string, { flow_id: string; spec: FlowSpec }>>;
  /** Consistency passes being identified slice by slice, per switch (consistency.ts). */
  checks: Map<string, CheckJob>;
  /** describeFlowStats answers being built slice by slice, by id (consistency.ts). */
  describes: Map<number, { job: DescribeJob; replyTo?: Reply<never> }>;
  nextDescribe: number;
  /** FLOW_MODs whose send failed on a connection error, waiting for their retry timer (still in flight). */
  retries: Map<number, { dpid: string; entries: Entry[] }>;
}

export const initialState = (paces: Readonly<Record<string, number>> = {}): FmState => ({
  paces,
  paceCounts: new Map(),
  held: new Map(),
  table: new FlowTable(),
  jobs: new Map(),
  nextId: 1,
  queuedOps: new Map(),
  queuedParts: [],
  queuedUndo: [],
  writing: null,
  batches: new Map(),
  inflight: new Map(),
  reportedIds: new Map(),
  checks: new Map(),
  describes: new Map(),
  nextDescribe: 1,
  retries: new Map(),
});

export type Effect =
  | { type: 'persist'; params: { writeId: number; ops: DocOp[] } }
  | { type: 'sendBatch'; params: { dpid: string; batchId: number; messages: FlowModMessage[] } }
  | { type: 'emit'; params: Emission }
  | { type: 'answer'; params: { replyTo?: Reply<never>; value: unknown } }
  | { type: 'waitTimer'; params: { jobId: number } }
  | { type: 'paceTimer'; params: { dpid: string; ms: number } }
  | { type: 'retryTimer'; params: { retryId: number; ms: number } }
  | { type: 'later'; params: LaterEvent };

const key = (dpid: string, id: string) => `${dpid}|${id}`;

/**
 * The flows of `dpid` a request changed and the store does not have yet (queued for a write, or in
 * the one in flight), by id: nothing may send them before that write succeeds, and its failure
 * takes them back.
 */
export function notYetDurable(s: FmState, dpid: string): Set<string> {
  const ids = new Set<string>();
  for (const u of s.queuedUndo) if (u.dpid === dpid) ids.add(u.id);
  if (s.writing) for (const u of s.writing.undo) if (u.dpid === dpid) ids.add(u.id);
  return ids;
}

export function queuePut(s: FmState, r: FlowRecord): void {
  s.queuedOps.set(key(r.switch, r.id), { op: 'put', rec: r });
}

function queueDelete(s: FmState, r: FlowRecord): void {
  s.queuedOps.set(key(r.switch, r.id), { op: 'delete', key: r.id });
}

/** The flow events' `flow`: of_core's `Flow.as_dict()` of the canonical flow. */
export function eventContent(dpid: string, spec: FlowSpec, flowIdValue: string, owner?: string, extra: Partial<FlowEventContent> = {}): FlowEventContent {
  return {
    datapath: dpid,
    flow: {
      switch: dpid,
      table_id: spec.table_id,
      match: spec.match,
      priority: spec.priority,
      idle_timeout: spec.idle_timeout,
      hard_timeout: spec.hard_timeout,
      cookie: jsonInt(spec.cookie),
      id: flowIdValue,
      cookie_mask: jsonInt(spec.cookie_mask),
      instructions: spec.instructions,
      ...(owner ? { owner } : {}),
    },
    ...extra,
  };
}

/**
 * `.flow.removed`'s content for an OFPT_FLOW_REMOVED: the stored flow with that match,
 * priority and table (its id, instructions and owner) when there is one, else the flow as
 * the message describes it (no instructions: FLOW_REMOVED carries none).
 */
export function removedContent(s: FmState, dpid: string, m: FlowRemovedMessage): FlowEventContent {
  const spec = specFromStats({ ...m, flags: 0, instructions: [] });
  // The match id finds a stored flow, whose own flow_id is kept: only an unknown flow needs its flow_id hashed.
  const r = s.table.get(dpid, matchId(dpid, spec));
  if (r && r.spec.cookie === spec.cookie) return eventContent(dpid, r.spec, r.flow_id, r.spec.owner);
  return eventContent(dpid, spec, flowId(dpid, spec));
}

/** Kytos' `match13_no_strict` on canonical flows, with OpenFlow's cookie semantics and the delete's table (0 by default, 255 all). */
export function deleteMatches(del: FlowSpec, stored: FlowSpec): boolean {
  if ((stored.cookie & del.cookie_mask) !== (del.cookie & del.cookie_mask)) return false;
  if (del.table_id !== 255 && del.table_id !== stored.table_id) return false;
  for (const [k, v] of Object.entries(del.match)) {
    if (!(k in stored.match) || stored.match[k] !== v) return false;
  }
  return true;
}

/** One flow checked, with its ids; a FlowFieldError becomes Kytos' 400 with the flow's index and field. */
export function checkFlow(dpid: string, raw: unknown, index: number, command: Command): CheckedFlow | { error: FlowApplyResult } {
  try {
    const spec = parseFlow(raw, command);
    return { spec, ...idsOf(dpid, spec) };
  } catch (err) {
    const field = err instanceof FlowFieldError ? err.field : '';
    const msg = err instanceof Error ? err.message : String(err);
    return { error: errorResult(400, `It couldn't serialize flow_dict at index ${index}${field ? ` (field ${field})` : ''}: ${msg}`) };
  }
}

/** The flows-per-request limit. */
export function checkCount(req: Pick<ApplyRequest, 'targets'>, max: number): FlowApplyResult | undefined {
  let count = 0;
  for (const t of req.targets) count += t.flows.length;
  return count > max ? errorResult(400, `Too many flows in one request: ${count} (at most ${max})`) : undefined;
}

/** Checks every flow of every target before anything changes: the first bad flow refuses the whole request. */
export function checkRequest(req: ApplyRequest, max: number): { checked: CheckedFlow[][] } | { error: FlowApplyResult } {
  const tooMany = checkCount(req, max);
  if (tooMany) return { error: tooMany };
  const checked: CheckedFlow[][] = [];
  for (const t of req.targets) {
    if (t.checked && t.checked.length === t.flows.length) {
      checked.push(t.checked);
      continue;
    }
    const list: CheckedFlow[] = [];
    for (let i = 0; i < t.flows.length; i++) {
      const c = checkFlow(t.dpid, t.flows[i], i, req.command);
      if ('error' in c) return c;
      list.push(c);
    }
    checked.push(list);
  }
  return { checked };
}

/**
 * Starts the next write when none is in flight and requests wait for one (or
 * `force`, from the periodic tick). Confirmations (pending -> installed) and
 * removals of refused flows ride along with the next write: until then the
 * store says `pending`, which the consistency check settles after a crash.
 */
export function flush(s: FmState, force = false): Effect[] {
  if (s.writing || (s.queuedParts.length === 0 && !(force && s.queuedOps.size > 0))) return [];
  const writeId = s.nextId++;
  s.writing = { id: writeId, ops: s.queuedOps, parts: s.queuedParts, undo: s.queuedUndo };
  const ops: DocOp[] = [];
  for (const o of s.queuedOps.values()) ops.push(o.op === 'put' ? { op: 'put', doc: toDocument(o.rec) } : o);
  s.queuedOps = new Map();
  s.queuedParts = [];
  s.queuedUndo = [];
  return [{ type: 'persist', params: { writeId, ops } }];
}

/** A request: checked, applied to the table, queued for the next write. */
export function onApply(s: FmState, req: ApplyRequest, replyTo: Reply<FlowApplyResult> | undefined, now: number, settings: FlowManagerSettings): Effect[] {
  const checked = checkRequest(req, settings.MAX_FLOWS_PER_REQUEST);
  if ('error' in checked) return [{ type: 'answer', params: { replyTo: replyTo as Reply<never>, value: checked.error } }];
  const job: Job = {
    id: s.nextId++,
    force: req.force,
    wait: req.wait,
    replyTo,
    open: new Set(),
    outstanding: new Map(),
    notConnected: [],
    refused: [],
    answered: false,
  };
  s.jobs.set(job.id, job);
  const effects: Effect[] = [];
  req.targets.forEach((t, ti) => {
    const entries: Entry[] = [];
    checked.checked[ti].forEach(({ spec: given, ...ids }, index) => {
      const raw = t.flows[index] as Record<string, unknown>;
      // The asking NApp owns the flows that name no owner (pacing and events use it).
      const spec = req.owner && !given.owner ? { ...given, owner: req.owner } : given;
      if (req.command === 'add') {
        const prev = s.table.get(t.dpid, ids.id);
        const rec: FlowRecord = {
          id: ids.id,
          switch: t.dpid,
          flow_id: ids.flow_id,
          state: 'pending',
          flow: storedFlow(raw, spec, req.owner),
          spec,
          inserted_at: prev?.inserted_at ?? now,
          updated_at: now,
        };
        s.table.set(rec);
        s.queuedUndo.push({ dpid: t.dpid, id: rec.id, prev, after: rec, updatedAt: now });
        queuePut(s, rec);
      } else {
        for (const r of s.table.records(t.dpid)) {
          if (r.state === 'deleted' || !deleteMatches(spec, r.spec)) continue;
          s.queuedUndo.push({ dpid: t.dpid, id: r.id, prev: { ...r }, after: r, updatedAt: now });
          s.table.setState(r, 'deleted');
          r.updated_at = now;
          queuePut(s, r);
        }
      }
      entries.push({ command: req.command, spec, flow_id: ids.flow_id, id: ids.id, jobId: job.id, index });
    });
    job.open.add(t.dpid);
    s.queuedParts.push({ dpid: t.dpid, jobId: job.id, entries });
  });
  if (job.open.size === 0) effects.push(...finishJob(s, job));
  else if (job.wait) effects.push({ type: 'waitTimer', params: { jobId: job.id } });
  effects.push(...flush(s));
  return effects;
}

function track(s: FmState, b: Batch, delta: 1 | -1): void {
  let m = s.inflight.get(b.dpid);
  if (!m) s.inflight.set(b.dpid, (m = new Map()));
  for (const e of b.entries) {
    const n = (m.get(e.flow_id) ?? 0) + delta;
    if (n <= 0) m.delete(e.flow_id);
    else m.set(e.flow_id, n);
  }
}

/** The pacing key of an entry (Kytos' `send_flow_mod.<owner>`). */
const paceOwner = (e: Entry): string => (e.command === 'delete_strict' ? 'alien' : (e.spec.owner ?? 'no_owner'));

/** The entries pacing lets out now (a prefix: order is kept) and the rest. */
function paced(s: FmState, dpid: string, entries: Entry[], now: number): [Entry[], Entry[]] {
  if (Object.keys(s.paces).length === 0) return [entries, []];
  const window = Math.floor(now / 1000);
  for (let i = 0; i < entries.length; i++) {
    const owner = paceOwner(entries[i]);
    const limit = s.paces[owner];
    if (limit === undefined) continue;
    const k = `${owner}|${dpid}`;
    let c = s.paceCounts.get(k);
    if (!c || c.window !== window) s.paceCounts.set(k, (c = { window, count: 0 }));
    if (c.count >= limit) return [entries.slice(0, i), entries.slice(i)];
    c.count++;
  }
  return [entries, []];
}

/**
 * Sends entries to a switch: its FLOW_MODs and one barrier, in order behind
 * any entries pacing holds back; what pacing holds waits for the next second.
 */
export function sendBatch(s: FmState, dpid: string, entries: Entry[], now = 0): Effect[] {
  const held = s.held.get(dpid);
  if (held) {
    held.push(...entries);
    track(s, { id: 0, dpid, entries }, 1);
    return [];
  }
  const [out, later] = paced(s, dpid, entries, now);
  const effects = out.length > 0 ? startBatch(s, dpid, out) : [];
  if (later.length > 0) {
    s.held.set(dpid, later);
    track(s, { id: 0, dpid, entries: later }, 1);
    effects.push({ type: 'paceTimer', params: { dpid, ms: 1000 - (now % 1000) } });
  }
  return effects;
}

/** The next second began: what pacing held for a switch goes out (as much as the pace allows). */
export function onPaceTimer(s: FmState, dpid: string, now: number): Effect[] {
  const held = s.held.get(dpid);
  if (!held) return [];
  s.held.delete(dpid);
  track(s, { id: 0, dpid, entries: held }, -1);
  return sendBatch(s, dpid, held, now);
}

function startBatch(s: FmState, dpid: string, entries: Entry[]): Effect[] {
  const b: Batch = { id: s.nextId++, dpid, entries };
  s.batches.set(b.id, b);
  track(s, b, 1);
  const effects: Effect[] = [{ type: 'sendBatch', params: { dpid, batchId: b.id, messages: entries.map((e) => flowMod(e.spec, e.command)) } }];
  for (const e of entries) {
    // As Kytos-ng: every FLOW_MOD of a request, add or delete (consistency repairs drop these).
    if (e.command !== 'delete_strict') effects.push({ type: 'emit', params: emission(flowPending, eventContent(dpid, e.spec, e.flow_id, e.spec.owner)) });
  }
  return effects;
}

/** The answer of a finished request. */
function resultOf(job: Job): FlowApplyResult {
  if (job.notConnected.length > 0 && (job.wait || !job.force)) return errorResult(424, `switch ${job.notConnected[0]} isn't connected`);
  if (!job.wait) return { status: 202, body: FLOWMODS_SENT };
  if (job.refused.length > 0) {
    // OFPET_BAD_ACTION (2), BAD_INSTRUCTION (3), BAD_MATCH (4): the request was wrong.
    const requestClass = job.refused.every((r) => r.error_type >= 2 && r.error_type <= 4);
    return errorResult(requestClass ? 400 : 502, { response: `${job.refused.length} flow(s) refused by the switch`, errors: job.refused });
  }
  return { status: 201, body: FLOWMODS_INSTALLED };
}

function finishJob(s: FmState, job: Job, result?: FlowApplyResult): Effect[] {
  if (job.answered) return [];
  job.answered = true;
  s.jobs.delete(job.id);
  return [{ type: 'answer', params: { replyTo: job.replyTo as Reply<never>, value: result ?? resultOf(job) } }];
}

function settlePart(s: FmState, job: Job | undefined, dpid: string): Effect[] {
  if (!job || job.answered) return [];
  job.open.delete(dpid);
  return job.open.size === 0 ? finishJob(s, job) : [];
}

/** A write is durable: send each switch's FLOW_MODs of the group, answer requests that do not wait, start the next write. */
export function onPersisted(s: FmState, writeId: number, error: string | undefined, connected: ReadonlySet<string>, now = 0): Effect[] {
  if (!s.writing || s.writing.id !== writeId) return [];
  const { ops, parts, undo } = s.writing;
  s.writing = null;
  const effects: Effect[] = [];
  if (error) {
    // Nothing of this write is durable: take the requests' changes back (unless changed since).
    const undone = new Set<string>();
    for (const u of undo.reverse()) {
      const cur = s.table.get(u.dpid, u.id);
      if (cur !== u.after || cur.updated_at !== u.updatedAt) continue;
      if (u.prev) s.table.set(u.prev);
      else s.table.delete(u.dpid, u.id);
      undone.add(key(u.dpid, u.id));
    }
    // The rest of it (states confirmed by a barrier or a pass, deletions, pruning) still has to
    // reach the store: queued again as the table has it now, unless queued anew since.
    for (const [k, o] of ops) {
      if (undone.has(k) || s.queuedOps.has(k)) continue;
      if (o.op === 'delete') s.queuedOps.set(k, o);
      else {
        const cur = s.table.get(o.rec.switch, o.rec.id);
        if (cur) queuePut(s, cur);
      }
    }
    for (const p of parts) {
      const job = s.jobs.get(p.jobId);
      if (job) effects.push(...finishJob(s, job, errorResult(503, `The flow store is unavailable: ${error}`)));
    }
    return [...effects, ...flush(s)];
  }
  const byDpid = new Map<string, Part[]>();
  for (const p of parts) {
    const list = byDpid.get(p.dpid);
    if (list) list.push(p);
    else byDpid.set(p.dpid, [p]);
  }
  for (const [dpid, list] of byDpid) {
    if (!connected.has(dpid)) {
      for (const p of list) {
        const job = s.jobs.get(p.jobId);
        if (!job) continue;
        job.notConnected.push(dpid);
        effects.push(...settlePart(s, job, dpid));
      }
      continue;
    }
    const entries = list.flatMap((p) => p.entries);
    if (entries.length > 0) effects.push(...sendBatch(s, dpid, entries, now));
    for (const p of list) {
      const job = s.jobs.get(p.jobId);
      if (!job) continue;
      if (job.wait && p.entries.length > 0) job.outstanding.set(dpid, (job.outstanding.get(dpid) ?? 0) + p.entries.length);
      else effects.push(...settlePart(s, job, dpid));
    }
  }
  return [...effects, ...flush(s)];
}

function countDone(s: FmState, e: Entry, dpid: string): Effect[] {
  const job = e.jobId === undefined ? undefined : s.jobs.get(e.jobId);
  if (!job || !job.wait) return [];
  const left = (job.outstanding.get(dpid) ?? 1) - 1;
  job.outstanding.set(dpid, left);
  return left <= 0 ? settlePart(s, job, dpid) : [];
}

function confirm(s: FmState, dpid: string, entries: Entry[], now: number): Effect[] {
  const effects: Effect[] = [];
  for (const e of entries) {
    if (e.command === 'add') {
      const r = s.table.get(dpid, e.id);
      if (r && r.flow_id === e.flow_id && r.state === 'pending') {
        s.table.setState(r, 'installed');
        r.updated_at = now;
        queuePut(s, r);
        effects.push({ type: 'emit', params: emission(flowAdded, eventContent(dpid, r.spec, r.flow_id, r.spec.owner)) });
      }
    }
    effects.push(...countDone(s, e, dpid));
  }
  return effects;
}

function refuse(s: FmState, dpid: string, e: Entry, f: BarrierFailure): Effect[] {
  const effects: Effect[] = [];
  if (e.command === 'add') {
    const r = s.table.get(dpid, e.id);
    if (r && r.flow_id === e.flow_id) {
      s.table.delete(dpid, e.id);
      queueDelete(s, r);
    }
  }
  effects.push({
    type: 'emit',
    params: emission(flowError, eventContent(dpid, e.spec, e.flow_id, e.spec.owner, { error_command: e.command, error_type: f.errType, error_code: f.errCode })),
  });
  const job = e.jobId === undefined ? undefined : s.jobs.get(e.jobId);
  if (job && e.index !== undefined) job.refused.push({ index: e.index, error_type: f.errType ?? 0, error_code: f.errCode ?? 0 });
  return [...effects, ...countDone(s, e, dpid)];
}

/**
 * A batch ended. At its BARRIER_REPLY every add still pending with the same
 * flow_id becomes `installed`. An OFPT_ERROR names one FLOW_MOD (index): the
 * ones before it were applied, it is refused (its stored flow removed), the
 * ones after it are sent again. A timeout leaves the flows `pending` for the
 * consistency check; a connection error sends them again later (retryLater).
 */
export function onBarrier(s: FmState, batchId: number, failure: BarrierFailure | undefined, now: number, retry: RetryPolicy = KYTOS_RETRIES): Effect[] {
  const b = s.batches.get(batchId);
  if (!b) return [];
  s.batches.delete(batchId);
  track(s, b, -1);
  const effects: Effect[] = [];
  if (!failure) effects.push(...confirm(s, b.dpid, b.entries, now));
  else if ((failure.code === 'SWITCH_ERROR' || failure.code === 'SWITCH_INVALID_REQUEST') && failure.index !== undefined && failure.index < b.entries.length) {
    effects.push(...confirm(s, b.dpid, b.entries.slice(0, failure.index), now));
    effects.push(...refuse(s, b.dpid, b.entries[failure.index], failure));
    const rest = b.entries.slice(failure.index + 1);
    if (rest.length > 0) {
      const again = sendBatch(s, b.dpid, rest, now);
      // Resending: no second `pending` event.
      effects.push(...again.filter((x) => x.type !== 'emit'));
    }
  } else if (failure.code === 'SWITCH_DISCONNECTED' || failure.code === 'SWITCH_NOT_CONNECTED') {
    for (const e of b.entries) {
      const job = e.jobId === undefined ? undefined : s.jobs.get(e.jobId);
      if (job && job.wait && !job.answered) {
        if (!job.notConnected.includes(b.dpid)) job.notConnected.push(b.dpid);
        effects.push(...settlePart(s, job, b.dpid));
      }
    }
    effects.push(...retryLater(s, b.dpid, b.entries, retry));
  }
  return [...effects, ...flush(s)];
}

/**
 * A connection error: as Kytos-ng, each FLOW_MOD is sent again up to `max` times, after
 * `minWaitMs`, then x `multiplier` each time (1 s, 2 s, 4 s); the flows stay `pending` and in
 * flight meanwhile. When the tries run out, `.flow.error` with `error_command` and
 * `error_exception`, and the flow stays `pending` for the consistency check.
 */
function retryLater(s: FmState, dpid: string, entries: Entry[], r: RetryPolicy): Effect[] {
  const effects: Effect[] = [];
  const byTries = new Map<number, Entry[]>();
  for (const e of entries) {
    const n = e.tries ?? 0;
    const list = byTries.get(n);
    if (list) list.push(e);
    else byTries.set(n, [e]);
  }
  for (const [n, list] of byTries) {
    if (n >= r.max) {
      for (const e of list) {
        const extra = { error_command: e.command, error_exception: `switch ${dpid} isn't connected (after ${n} retries)` };
        effects.push({ type: 'emit', params: emission(flowError, eventContent(dpid, e.spec, e.flow_id, e.spec.owner, extra)) });
      }
      continue;
    }
    const retryId = s.nextId++;
    const again = list.map((e) => ({ ...e, tries: n + 1 }));
    s.retries.set(retryId, { dpid, entries: again });
    track(s, { id: retryId, dpid, entries: again }, 1);
    effects.push({ type: 'retryTimer', params: { retryId, ms: r.minWaitMs * r.multiplier ** n } });
  }
  return effects;
}

/** Whether a FLOW_MOD waiting for its retry still says what the store wants. */
function stillWanted(s: FmState, dpid: string, e: Entry): boolean {
  if (e.command === 'add') {
    const r = s.table.get(dpid, e.id);
    return r !== undefined && r.flow_id === e.flow_id && r.state === 'pending';
  }
  // A delete is dropped when a flow it would remove was stored again since.
  if (e.command === 'delete_strict') {
    const r = s.table.get(dpid, e.id);
    return r === undefined || r.state === 'deleted';
  }
  for (const r of s.table.records(dpid)) if (r.state !== 'deleted' && deleteMatches(e.spec, r.spec)) return false;
  return true;
}

/** A retry timer fell due: its FLOW_MODs still wanted go out again (one barrier). */
export function onRetry(s: FmState, retryId: number, now: number): Effect[] {
  const r = s.retries.get(retryId);
  if (!r) return [];
  s.retries.delete(retryId);
  track(s, { id: retryId, dpid: r.dpid, entries: r.entries }, -1);
  const live = r.entries.filter((e) => stillWanted(s, r.dpid, e));
  if (live.length === 0) return flush(s);
  // Sent again: no second `pending` event.
  return [...sendBatch(s, r.dpid, live, now).filter((x) => x.type !== 'emit'), ...flush(s)];
}

/** A waiting request's deadline passed: 504 (its flows stay as they are). */
export function onWaitExpired(s: FmState, jobId: number): Effect[] {
  const job = s.jobs.get(jobId);
  if (!job) return [];
  return finishJob(s, job, errorResult(504, 'The switch did not confirm the flows in time'));
}

/** GET v2/stored_flows: by dpid, sorted by priority (desc) then updated_at (asc). */
export function queryStoredFlows(s: FmState, q: StoredQuery): Record<string, StoredFlowDoc[]> {
  const dpids = q.dpids && q.dpids.length > 0 ? q.dpids : s.table.switches();
  const states = q.states && q.states.length > 0 ? new Set(q.states) : undefined;
  const out: Record<string, StoredFlowDoc[]> = {};
  for (const dpid of dpids) {
    const list: FlowRecord[] = [];
    for (const r of s.table.records(dpid)) {
      if (states && !states.has(r.state)) continue;
      if (q.cookieRanges && q.cookieRanges.length > 0 && !q.cookieRanges.some(([lo, hi]) => r.spec.cookie >= lo && r.spec.cookie <= hi)) continue;
      list.push(r);
    }
    if (list.length === 0) continue;
    list.sort((a, b) => b.spec.priority - a.spec.priority || a.updated_at - b.updated_at);
    out[dpid] = list.map(toStoredDoc);
  }
  return out;
}

/** Soft-deleted flows older than the retention leave the store, at most `batch` per pass (the rest at the next ones). */
export function prune(s: FmState, now: number, retentionMs: number, batch = Number.POSITIVE_INFINITY): Effect[] {
  let n = 0;
  for (const r of [...s.table.all()]) {
    if (n >= batch) break;
    if (r.state === 'deleted' && now - r.updated_at > retentionMs) {
      s.table.delete(r.switch, r.id);
      queueDelete(s, r);
      n++;
    }
  }
  return flush(s, true);
}
