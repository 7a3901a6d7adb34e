/**
 * One flow of a request, checked and made canonical (match.ts, actions.ts),
 * with its Kytos ids and FLOW_MOD; and a flow a switch reported in flow stats,
 * made canonical the same way so both get the same id.
 */
import { ofp, type FlowModMessage, type FlowStats, type Instruction, type Oxm, type ReportedFlowJson } from '#sdk';
import { instructionsFromOf, parseInstructions } from './actions.js';
import { flowId, flowIds, type PyValue } from './ids.js';
import { FlowFieldError, jsonInt, matchFromOxms, parseMatch, toBigInt } from './match.js';

export type Command = 'add' | 'delete';

const U64_MAX = (1n << 64n) - 1n;

/** A flow ready to store, hash and send. */
export interface FlowSpec {
  table_id: number;
  priority: number;
  idle_timeout: number;
  hard_timeout: number;
  cookie: bigint;
  cookie_mask: bigint;
  /** Canonical match (what the switch reports). */
  match: Record<string, PyValue>;
  /** Canonical instructions. */
  instructions: PyValue[];
  oxms: Oxm[];
  ofInstructions: Instruction[];
  /** The flow's `owner` field, when given. */
  owner?: string;
  /** Whether the request gave a match / a table (non-strict delete semantics). */
  hasMatch: boolean;
  hasTable: boolean;
}

function u(path: string, v: unknown, max: number | bigint, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = toBigInt(v);
  if (n === undefined || n < 0n || n > BigInt(max)) throw new FlowFieldError(path, `${path} must be an integer from 0 to ${max}`);
  return Number(n);
}

function u64(path: string, v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  const n = toBigInt(v);
  if (n === undefined || n < 0n || n > U64_MAX) throw new FlowFieldError(path, `${path} must be an integer from 0 to ${U64_MAX}`);
  return n;
}

/**
 * Checks one request flow. Adds need a table 0-254 and refuse `cookie_mask`
 * (checked earlier with Kytos' message); deletes accept table 255 (all tables).
 */
export function parseFlow(raw: unknown, command: Command): FlowSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FlowFieldError('', 'a flow must be an object');
  const f = raw as Record<string, unknown>;
  const table_id = u('table_id', f.table_id, command === 'add' ? 254 : 255, 0);
  const priority = u('priority', f.priority, 0xffff, 0x8000);
  const idle_timeout = u('idle_timeout', f.idle_timeout, 0xffff, 0);
  const hard_timeout = u('hard_timeout', f.hard_timeout, 0xffff, 0);
  const cookie = u64('cookie', f.cookie);
  const cookie_mask = command === 'add' ? 0n : u64('cookie_mask', f.cookie_mask);
  if (f.owner !== undefined && f.owner !== null && typeof f.owner !== 'string') throw new FlowFieldError('owner', 'owner must be a string');
  if (f.table_group !== undefined && f.table_group !== null && typeof f.table_group !== 'string') throw new FlowFieldError('table_group', 'table_group must be a string');
  const m = parseMatch(f.match);
  const ins = command === 'add' ? parseInstructions(f) : { canon: [], of: [] };
  return {
    table_id,
    priority,
    idle_timeout,
    hard_timeout,
    cookie,
    cookie_mask,
    match: m.canon,
    instructions: ins.canon,
    oxms: m.oxms,
    ofInstructions: ins.of,
    owner: typeof f.owner === 'string' ? f.owner : undefined,
    hasMatch: f.match !== undefined && f.match !== null && Object.keys(m.canon).length > 0,
    hasTable: f.table_id !== undefined && f.table_id !== null,
  };
}

export const idsOf = (dpid: string, f: FlowSpec): { flow_id: string; id: string } => flowIds(dpid, f);

/** The FLOW_MOD of a flow: ADD, non-strict DELETE (priority ignored) or DELETE_STRICT. */
export function flowMod(f: FlowSpec, command: 'add' | 'delete' | 'delete_strict'): FlowModMessage {
  const cmd = command === 'add' ? ofp.OFPFC.ADD : command === 'delete' ? ofp.OFPFC.DELETE : ofp.OFPFC.DELETE_STRICT;
  return {
    type: 'flow_mod',
    version: 4,
    xid: 0,
    cookie: f.cookie,
    cookieMask: f.cookie_mask,
    tableId: f.table_id,
    command: cmd,
    idleTimeout: f.idle_timeout,
    hardTimeout: f.hard_timeout,
    priority: f.priority,
    bufferId: ofp.OFP_NO_BUFFER,
    outPort: ofp.OFPP.ANY,
    outGroup: ofp.OFPG.ANY,
    // As Kytos-ng (python-openflow's FlowMod default): the switch reports the flow's removal.
    flags: command === 'add' ? ofp.OFPFF.SEND_FLOW_REM : 0,
    match: f.oxms,
    instructions: command === 'add' ? f.ofInstructions : [],
  };
}

/** A flow from a flow-stats reply, canonical (its id equals the id of the request that installed it). */
export function specFromStats(s: FlowStats): FlowSpec {
  const match = matchFromOxms(s.match);
  return {
    table_id: s.tableId,
    priority: s.priority,
    idle_timeout: s.idleTimeout,
    hard_timeout: s.hardTimeout,
    cookie: s.cookie,
    cookie_mask: 0n,
    match,
    instructions: instructionsFromOf(s.instructions),
    oxms: s.match,
    ofInstructions: s.instructions,
    hasMatch: Object.keys(match).length > 0,
    hasTable: true,
  };
}

/** Action dicts in Kytos' attribute order (`port` before `action_type`), as GET v2/flows shows them. */
function kytosActionOrder(a: PyValue): PyValue {
  const o = a as Record<string, PyValue>;
  const { action_type, ...rest } = o;
  return action_type === 'push_vlan' ? { action_type, ...rest } : { ...rest, action_type };
}

/** A switch-reported flow as GET v2/flows/{dpid} shows it (of_core's `Flow.as_dict()`). */
export function reportedFlowJson(dpid: string, s: FlowStats, known?: { flow_id: string; spec: FlowSpec }): ReportedFlowJson {
  const f = known?.spec ?? specFromStats(s);
  return {
    switch: dpid,
    table_id: f.table_id,
    match: f.match,
    priority: f.priority,
    idle_timeout: f.idle_timeout,
    hard_timeout: f.hard_timeout,
    cookie: jsonInt(f.cookie),
    id: known?.flow_id ?? flowId(dpid, f),
    stats: { byte_count: jsonInt(s.byteCount), duration_sec: s.durationSec, duration_nsec: s.durationNsec, packet_count: jsonInt(s.packetCount) },
    cookie_mask: 0,
    instructions: f.instructions.map((i) => {
      const o = i as Record<string, PyValue>;
      return Array.isArray(o.actions) ? { ...o, actions: o.actions.map(kytosActionOrder) } : o;
    }),
  };
}
