/**
 * The consistency check (kytos-api.md 4.4) on one flow-stats reply: stored
 * flows the switch lacks are added again (not stored again), flows the switch
 * has but the store does not ("alien") are removed with DELETE_STRICT, pending
 * flows the switch has become installed. Nothing already right is touched:
 * a switch that has every stored flow gets no FLOW_MOD at all.
 */
import { emission, flowAdded, type FlowStats, type Reply, type ReportedFlowJson } from '#sdk';
import { reportedFlowJson, specFromStats, type FlowSpec } from './flow.js';
import { flowId, matchId } from './ids.js';
import { eventContent, flush, notYetDurable, queuePut, sendBatch, type Effect, type Entry, type FmState } from './logic.js';
import { toBigInt } from './match.js';
import type { FlowManagerSettings } from './settings.js';

type Range = [bigint, bigint];

/** Ignore lists as inclusive bigint ranges (values or [low, high] pairs). */
export function ranges(list: ReadonlyArray<unknown>): Range[] {
  const out: Range[] = [];
  const big = (v: unknown): bigint | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : toBigInt(v));
  for (const item of list) {
    if (Array.isArray(item) && item.length === 2) {
      const lo = big(item[0]);
      const hi = big(item[1]);
      if (lo !== undefined && hi !== undefined && lo <= hi) out.push([lo, hi]);
    } else {
      const v = big(item);
      if (v !== undefined) out.push([v, v]);
    }
  }
  return out;
}

const plain = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

/** Everything of a flow-stats entry its id depends on, as a string (no canonical form, no hashing). */
export function fingerprint(st: FlowStats): string {
  let k = `${st.tableId}|${st.priority}|${st.idleTimeout}|${st.hardTimeout}|${st.cookie}|`;
  for (const o of st.match) {
    k += o.field === 'other' ? `~${o.oxmClass}.${o.oxmField}.${o.body.toString('hex')};` : `${o.field}=${o.value}/${o.mask ?? ''};`;
  }
  return k + JSON.stringify(st.instructions, plain);
}

const inRanges = (v: bigint, rs: readonly Range[]) => rs.some(([lo, hi]) => v >= lo && v <= hi);

/**
 * A pass on one flow-stats reply, identified slice by slice: each reported
 * entry's flow_id (hashed only for entries not seen in the last pass) costs
 * the event loop, so a large table is identified over several steps with
 * other messages in between, then judged at once.
 */
export interface CheckJob {
  reported: readonly FlowStats[];
  requestedAt: number;
  /** The next reported entry to identify. */
  next: number;
  onSwitch: Map<string, FlowSpec>;
  /** This pass's ids by fingerprint (the next pass's cache). */
  ids: Map<string, Identified>;
}

/** A reported entry's flow_id and canonical spec. */
type Identified = { flow_id: string; spec: FlowSpec };

/** The id of a reported entry found in no cache: its canonical spec, hashed. */
function hashedId(dpid: string, st: FlowStats): Identified {
  const spec = specFromStats(st);
  return { flow_id: flowId(dpid, spec), spec };
}

/** Work units per slice: an entry seen in the last pass costs 1, a new one (hashed) 10. */
export const CHECK_SLICE_UNITS = 1000;
const NEW_ENTRY_UNITS = 10;

/** Identifies the job's next entries within `units`; true when every entry is identified. */
export function identify(s: FmState, dpid: string, job: CheckJob, units: number): boolean {
  // One id per reported flow, remembered between passes by a cheap fingerprint of the decoded entry.
  const known = s.reportedIds.get(dpid);
  let spent = 0;
  for (; job.next < job.reported.length && spent < units; job.next++) {
    const st = job.reported[job.next];
    const fp = fingerprint(st);
    let hit = job.ids.get(fp) ?? known?.get(fp);
    spent += 1;
    if (!hit) {
      hit = hashedId(dpid, st);
      spent += NEW_ENTRY_UNITS;
    }
    job.ids.set(fp, hit);
    job.onSwitch.set(hit.flow_id, hit.spec);
  }
  return job.next >= job.reported.length;
}

/**
 * Starts the pass for `dpid` on a flow-stats reply (replacing one still in
 * progress): judged at once when one slice identifies it all, else an effect
 * asks for the next slice (`later` with `fm.check_more`).
 */
export function beginCheck(s: FmState, dpid: string, reported: readonly FlowStats[], requestedAt: number, now: number, settings: FlowManagerSettings, units = CHECK_SLICE_UNITS): Effect[] {
  s.checks.set(dpid, { reported, requestedAt, next: 0, onSwitch: new Map(), ids: new Map() });
  return continueCheck(s, dpid, now, settings, units);
}

/** The next slice of `dpid`'s pass; nothing when no pass is in progress. */
export function continueCheck(s: FmState, dpid: string, now: number, settings: FlowManagerSettings, units = CHECK_SLICE_UNITS): Effect[] {
  const job = s.checks.get(dpid);
  if (!job) return [];
  if (!identify(s, dpid, job, units)) return [{ type: 'later', params: { type: 'fm.check_more', dpid } }];
  s.checks.delete(dpid);
  s.reportedIds.set(dpid, job.ids);
  return judge(s, dpid, job.onSwitch, job.requestedAt, now, settings);
}

/**
 * One pass for `dpid` on the flows the switch reported, in one step (tests, small tables).
 * `requestedAt` is when the stats were asked: flows stored or changed since then, and flows
 * with a FLOW_MOD in flight, are not judged.
 */
export function checkConsistency(
  s: FmState,
  dpid: string,
  reported: readonly FlowStats[],
  requestedAt: number,
  now: number,
  settings: FlowManagerSettings,
): Effect[] {
  return beginCheck(s, dpid, reported, requestedAt, now, settings, Infinity);
}

/** The verdict on the identified flows (`onSwitch`: flow_id -> spec of what the switch has). */
function judge(s: FmState, dpid: string, onSwitch: ReadonlyMap<string, FlowSpec>, requestedAt: number, now: number, settings: FlowManagerSettings): Effect[] {
  const effects: Effect[] = [];
  const cookieIgnored = ranges(settings.CONSISTENCY_COOKIE_IGNORED_RANGE);
  const tableIgnored = ranges(settings.CONSISTENCY_TABLE_ID_IGNORED_RANGE);
  const verdictMs = settings.CONSISTENCY_MIN_VERDICT_INTERVAL * 1000;
  const inflight = s.inflight.get(dpid);
  // A request's flow whose write has not succeeded yet is not the store's: never repaired (sent) on its account.
  const unwritten = notYetDurable(s, dpid);
  const stored = new Map<string, true>();
  const liveByMatch = new Set<string>();
  const deletedRecently = new Set<string>();
  const repairs: Entry[] = [];
  for (const r of s.table.records(dpid)) {
    if (r.state === 'deleted') {
      if (now - r.updated_at < verdictMs) deletedRecently.add(r.flow_id);
      continue;
    }
    stored.set(r.flow_id, true);
    liveByMatch.add(r.id);
    if (onSwitch.has(r.flow_id)) {
      if (r.state === 'pending' && !inflight?.has(r.flow_id)) {
        s.table.setState(r, 'installed');
        r.updated_at = now;
        queuePut(s, r);
        effects.push({ type: 'emit', params: emission(flowAdded, eventContent(dpid, r.spec, r.flow_id, r.spec.owner)) });
      }
      continue;
    }
    if (inflight?.has(r.flow_id) || r.updated_at >= requestedAt || unwritten.has(r.id)) continue;
    // A flow with a timeout that was installed and is gone expired: never reinstalled.
    if (r.state === 'installed' && (r.spec.idle_timeout > 0 || r.spec.hard_timeout > 0)) continue;
    if (inRanges(r.spec.cookie, cookieIgnored) || inRanges(BigInt(r.spec.table_id), tableIgnored)) continue;
    repairs.push({ command: 'add', spec: r.spec, flow_id: r.flow_id, id: r.id });
  }
  const aliens: Entry[] = [];
  for (const [fid, spec] of onSwitch) {
    if (stored.has(fid) || inflight?.has(fid)) continue;
    if (inRanges(spec.cookie, cookieIgnored) || inRanges(BigInt(spec.table_id), tableIgnored)) continue;
    const id = matchId(dpid, spec);
    // A stored flow has this match and priority: its ADD (a repair) replaces this one.
    if (liveByMatch.has(id)) continue;
    // Grace: soft-deleted moments ago (its DELETE may still be on its way).
    if (deletedRecently.has(fid)) continue;
    aliens.push({ command: 'delete_strict', spec, flow_id: fid, id });
  }
  const batch = [...aliens, ...repairs];
  if (batch.length > 0) effects.push(...sendBatch(s, dpid, batch, now).filter((e) => e.type !== 'emit'));
  return [...effects, ...flush(s)];
}

/**
 * Flow-stats entries described as Kytos dicts (kytos_stats asks for every
 * poll), slice by slice like a pass: ids come from the fingerprint cache (the
 * last pass's, or the pass in progress on the same reply); an id computed here
 * is left for that pass.
 */
export interface DescribeJob {
  dpid: string;
  flows: readonly FlowStats[];
  next: number;
  out: ReportedFlowJson[];
}

/**
 * Starts describing a switch's flow-stats entries for `replyTo`: answered at once when one slice
 * does them all, else an effect asks for the next slice (`later` with `fm.describe_more`).
 */
export function beginDescribe(s: FmState, dpid: string, flows: readonly FlowStats[], replyTo: Reply<never> | undefined, units = CHECK_SLICE_UNITS): Effect[] {
  const describeId = s.nextDescribe++;
  s.describes.set(describeId, { job: { dpid, flows, next: 0, out: [] }, replyTo });
  return continueDescribe(s, describeId, units);
}

/** The next slice of a description; nothing when it is not in progress. */
export function continueDescribe(s: FmState, describeId: number, units = CHECK_SLICE_UNITS): Effect[] {
  const d = s.describes.get(describeId);
  if (!d) return [];
  if (!describeSlice(s, d.job, units)) return [{ type: 'later', params: { type: 'fm.describe_more', describeId } }];
  s.describes.delete(describeId);
  return [{ type: 'answer', params: { replyTo: d.replyTo, value: d.job.out } }];
}

/** Describes the job's next entries within `units` (same units as a pass); true when done. */
export function describeSlice(s: FmState, job: DescribeJob, units = CHECK_SLICE_UNITS): boolean {
  const known = s.reportedIds.get(job.dpid);
  const fresh = s.checks.get(job.dpid)?.ids;
  let spent = 0;
  for (; job.next < job.flows.length && spent < units; job.next++) {
    const st = job.flows[job.next];
    const fp = fingerprint(st);
    let hit = fresh?.get(fp) ?? known?.get(fp);
    spent += 2;
    if (!hit) {
      hit = hashedId(job.dpid, st);
      fresh?.set(fp, hit);
      spent += NEW_ENTRY_UNITS;
    }
    job.out.push(reportedFlowJson(job.dpid, st, hit));
  }
  return job.next >= job.flows.length;
}
