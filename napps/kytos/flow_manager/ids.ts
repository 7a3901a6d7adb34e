/**
 * Flow ids as Kytos-ng computes them (of_core `flow.py`): the md5 of Python's
 * `json.dumps(d, sort_keys=True)` with its default separators (", " and ": ")
 * and `ensure_ascii`, over
 *   flow id:  {switch, table_id, match, priority, idle_timeout, hard_timeout, cookie, cookie_mask, instructions}
 *   match id: {switch, table_id, match, priority}
 * Integers print exactly (bigint included), so 64-bit cookies hash as Python's ints do.
 */
import { hash } from 'node:crypto';

/** A JSON-like value as the id serializer takes it (bigint for integers beyond 2^53). */
export type PyValue = null | boolean | number | bigint | string | PyValue[] | { [key: string]: PyValue };

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

const PRINTABLE = /^[\x20-\x7e]*$/;

/** A string as Python's json.dumps writes it with ensure_ascii=True. */
function pyString(s: string): string {
  // Printable ASCII: JSON.stringify escapes it exactly as Python does.
  if (PRINTABLE.test(s)) return JSON.stringify(s);
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function pyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError('ids: non-finite number');
  // Integral values are ints in the request; Python prints them without a fraction.
  return Number.isInteger(n) ? BigInt(n).toString() : String(n);
}

/** Python's `json.dumps(value, sort_keys=True)`. */
export function pyJsonDumps(value: PyValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pyNumber(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pyString(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${pyString(k)}: ${pyJsonDumps(value[k])}`).join(', ')}}`;
}

const md5 = (s: string): string => hash('md5', s, 'hex');

/** What a flow id is computed from (the canonical flow; see flow.ts). */
export interface IdFields {
  table_id: number;
  match: { [field: string]: PyValue };
  priority: number;
  idle_timeout: number;
  hard_timeout: number;
  cookie: bigint;
  cookie_mask: bigint;
  instructions: PyValue[];
}

/*
 * Both ids are written directly in sorted-key order (the same bytes as
 * pyJsonDumps of the whole dict), serializing the match once.
 */
const matchPart = (dpid: string, f: Pick<IdFields, 'table_id' | 'match' | 'priority'>, match: string): string =>
  `"match": ${match}, "priority": ${pyNumber(f.priority)}, "switch": ${pyString(dpid)}, "table_id": ${pyNumber(f.table_id)}}`;

const flowText = (dpid: string, f: IdFields, match: string): string =>
  `{"cookie": ${f.cookie}, "cookie_mask": ${f.cookie_mask}, "hard_timeout": ${pyNumber(f.hard_timeout)}, "idle_timeout": ${pyNumber(f.idle_timeout)}, ` +
  `"instructions": ${pyJsonDumps(f.instructions)}, ${matchPart(dpid, f, match)}`;

/** Kytos' `flow.id`. */
export const flowId = (dpid: string, f: IdFields): string => md5(flowText(dpid, f, pyJsonDumps(f.match)));

/** Kytos' `flow.match_id` (the stored document's `id` and `_id`). */
export const matchId = (dpid: string, f: Pick<IdFields, 'table_id' | 'match' | 'priority'>): string =>
  md5(`{${matchPart(dpid, f, pyJsonDumps(f.match))}`);

/** Both ids at once. */
export function flowIds(dpid: string, f: IdFields): { flow_id: string; id: string } {
  const match = pyJsonDumps(f.match);
  return { flow_id: md5(flowText(dpid, f, match)), id: md5(`{${matchPart(dpid, f, match)}`) };
}

/**
 * Kytos-ng's ids over a request flow as Kytos-ng itself builds them (no
 * canonical form: only its IPv4/IPv6 network normalisation). Lattice stores
 * `flowId`/`matchId` of the canonical flow instead; both agree except where a
 * switch rewrites the match (`dl_vlan: "100/4095"` reads back as `100`).
 */
export function kytosIds(dpid: string, flow: { [k: string]: PyValue }): { flow_id: string; id: string } {
  const match = { ...((flow.match as { [k: string]: PyValue } | undefined) ?? {}) };
  const net = (v: PyValue, bits: number): PyValue => {
    if (typeof v !== 'string') return v;
    const [a, m] = v.split('/');
    if (m === undefined) return v;
    if (bits === 32 && /^\d+\.\d+\.\d+\.\d+$/.test(m)) {
      const p = m.split('.').reduce((n, o) => n + (Number(o).toString(2).match(/1/g)?.length ?? 0), 0);
      return p === 32 ? a : `${a}/${p}`;
    }
    return Number(m) === bits ? a : v;
  };
  for (const k of ['nw_src', 'nw_dst']) if (k in match) match[k] = net(match[k], 32);
  for (const k of ['ipv6_src', 'ipv6_dst']) if (k in match) match[k] = net(match[k], 128);
  const instructions: PyValue[] = [];
  if (Array.isArray(flow.actions) && flow.actions.length > 0) instructions.push({ instruction_type: 'apply_actions', actions: flow.actions });
  if (Array.isArray(flow.instructions)) instructions.push(...flow.instructions);
  const f: IdFields = {
    table_id: (flow.table_id as number | undefined) ?? 0,
    match,
    priority: (flow.priority as number | undefined) ?? 0x8000,
    idle_timeout: (flow.idle_timeout as number | undefined) ?? 0,
    hard_timeout: (flow.hard_timeout as number | undefined) ?? 0,
    cookie: BigInt((flow.cookie as number | bigint | undefined) ?? 0),
    cookie_mask: BigInt((flow.cookie_mask as number | bigint | undefined) ?? 0),
    instructions,
  };
  return { flow_id: flowId(dpid, f), id: matchId(dpid, f) };
}
