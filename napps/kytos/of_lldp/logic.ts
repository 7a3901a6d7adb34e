/**
 * of_lldp's decisions as pure functions over values: which ports get a frame
 * and when, what an arriving frame proves, liveness and loop state. Time is a
 * parameter (`now`, ms); nothing here sends, stores or emits.
 */
import { ofp, type OfMessage, type TopologyJson } from '#sdk';
import { buildFrame, parseFrame, sourceMac, verifyFrame } from './frame.js';
import type { OfLldpSettings } from './settings.js';

/** One port an LLDP frame goes out of. */
export interface Target {
  dpid: string;
  port: number;
  mac: string;
}

/** What of_lldp knows of one interface (from topology's last answer, LLDP overrides applied). */
export interface KnownInterface {
  id: string;
  dpid: string;
  port: number;
  lldp: boolean;
  /** Its link id, or "". */
  link: string;
}

export const interfaceId = (dpid: string, port: number): string => `${dpid}:${port}`;

/** LLDP state of an interface: this NApp's own change if any, else topology's `lldp` flag. */
export const lldpOn = (topologyFlag: boolean, override: boolean | undefined): boolean => override ?? topologyFlag;

/** Kytos-ng's rule: active, enabled, LLDP-enabled ports of active, enabled switches, never LOCAL. */
export function targetsOf(topology: TopologyJson, overrides: ReadonlyMap<string, boolean>): Target[] {
  const out: Target[] = [];
  for (const sw of Object.values(topology.switches)) {
    if (!sw.active || !sw.enabled) continue;
    for (const i of Object.values(sw.interfaces)) {
      if (!i.active || !i.enabled || !lldpOn(i.lldp, overrides.get(i.id)) || i.port_number === ofp.OFPP.LOCAL) continue;
      out.push({ dpid: sw.dpid, port: i.port_number, mac: i.mac });
    }
  }
  return out;
}

/** Every interface topology knows, with its LLDP state. */
export function knownOf(topology: TopologyJson, overrides: ReadonlyMap<string, boolean>): Map<string, KnownInterface> {
  const m = new Map<string, KnownInterface>();
  for (const sw of Object.values(topology.switches)) {
    for (const i of Object.values(sw.interfaces)) m.set(i.id, { id: i.id, dpid: sw.dpid, port: i.port_number, lldp: lldpOn(i.lldp, overrides.get(i.id)), link: i.link });
  }
  return m;
}

/** Loops ignored per dpid: the setting plus each switch's `ignored_loops` metadata. */
export function ignoredLoopsOf(topology: TopologyJson, setting: Readonly<Record<string, number[][]>>): Map<string, number[][]> {
  const m = new Map<string, number[][]>(Object.entries(setting));
  for (const sw of Object.values(topology.switches)) {
    const meta = sw.metadata?.ignored_loops;
    if (Array.isArray(meta)) m.set(sw.dpid, [...(m.get(sw.dpid) ?? []), ...meta.filter((p): p is number[] => Array.isArray(p))]);
  }
  return m;
}

/**
 * A round spread over the interval: one slot per `slotFrames` targets (rounded up), at most
 * `maxSlots`, evenly spaced, targets dealt in order and evenly (so a small round costs a few
 * wake-ups, not one per port).
 */
export function slotsOf(targets: readonly Target[], intervalMs: number, maxSlots: number, slotFrames = 1): { offsetMs: number; targets: Target[] }[] {
  if (targets.length === 0) return [];
  const n = Math.max(1, Math.min(Math.ceil(targets.length / Math.max(1, slotFrames)), maxSlots));
  const slots = Array.from({ length: n }, (_, k) => ({ offsetMs: Math.floor((k * intervalMs) / n), targets: [] as Target[] }));
  targets.forEach((t, k) => slots[Math.floor((k * n) / targets.length)]!.targets.push(t));
  return slots;
}

/** The PACKET_OUT carrying one port's frame. */
export function packetOut(t: Target, vlan: number | null, key: Buffer, now: number): OfMessage {
  const data = buildFrame({ dpid: t.dpid, port: t.port, src: sourceMac(t.mac, t.dpid, t.port), vlan, auth: { key, timestamp: now } });
  return {
    type: 'packet_out',
    version: 4,
    xid: 0,
    bufferId: ofp.OFP_NO_BUFFER,
    inPort: ofp.OFPP.CONTROLLER,
    actions: [{ type: 'output', port: t.port, maxLen: 0 }],
    data,
  };
}

/** The punt flow of a switch (Kytos-ng's), in the `base` group's table. */
export function puntFlow(dpid: string, s: Pick<OfLldpSettings, 'FLOW_PRIORITY' | 'FLOW_VLAN_VID' | 'COOKIE_PREFIX'>, table = 0): Record<string, unknown> {
  return {
    priority: s.FLOW_PRIORITY,
    cookie: cookieOf(dpid, s.COOKIE_PREFIX),
    table_id: table,
    table_group: 'base',
    match: { dl_type: 0x88cc, dl_vlan: s.FLOW_VLAN_VID },
    actions: [{ action_type: 'output', port: ofp.OFPP.CONTROLLER }],
  };
}

export const cookieOf = (dpid: string, prefix: number): bigint => (BigInt(prefix) << 56n) | (BigInt('0x' + dpid.replace(/:/g, '')) & 0xffff_ffff_ffffn);

/** Freshness window (ms): the setting, at most 2 x polling time. */
export const windowMs = (s: Pick<OfLldpSettings, 'FRESHNESS_WINDOW'>, pollingTime: number): number =>
  Math.min(s.FRESHNESS_WINDOW ?? Infinity, 2 * pollingTime) * 1000;

/** The last frame an interface received: who it came from and when. */
export interface Heard {
  peer: string;
  at: number;
}

export type Rejection = 'no_tlv' | 'bad_mac' | 'stale' | 'malformed' | 'unknown_interface';

export type FrameOutcome =
  | { kind: 'ignore' }
  | { kind: 'reject'; reason: Rejection }
  /** Authentic and fresh; `confirmed` when the other direction was heard within the window too. */
  | { kind: 'accept'; rx: KnownInterface; tx: KnownInterface; confirmed: boolean };

/**
 * An LLDP PACKET_IN: parse, authenticate, check freshness, then the relay
 * defence: a link needs the reverse direction heard within the window.
 */
export function judgeFrame(
  data: Buffer,
  rxDpid: string,
  inPort: number | undefined,
  known: ReadonlyMap<string, KnownInterface>,
  heard: ReadonlyMap<string, Heard>,
  key: Buffer,
  now: number,
  window: number,
): FrameOutcome {
  const f = parseFrame(data);
  if (f.kind === 'not_lldp') return { kind: 'ignore' };
  if (f.kind === 'malformed' || inPort === undefined) return { kind: 'reject', reason: 'malformed' };
  const v = verifyFrame(f, key, now, window);
  if (!v.ok) return { kind: 'reject', reason: v.reason };
  const rx = known.get(interfaceId(rxDpid, inPort));
  const tx = known.get(interfaceId(f.dpid, f.port));
  if (!rx || !tx) return { kind: 'reject', reason: 'unknown_interface' };
  const back = heard.get(tx.id);
  const confirmed = back !== undefined && back.peer === rx.id && now - back.at <= window;
  return { kind: 'accept', rx, tx, confirmed };
}

// --- liveness (Kytos-ng's interface and pair state machines) -------------------

export type LivenessState = 'init' | 'up' | 'down';

export interface Ilsm {
  state: LivenessState;
  hellos: number;
  lastHelloAt: number | null;
}

/** A pair, keyed by its lower interface id (`a`). */
export interface LivenessPair {
  a: string;
  b: string;
  ilsmA: Ilsm;
  ilsmB: Ilsm;
  state: LivenessState;
}

const NEXT: Record<LivenessState, LivenessState[]> = { init: ['up', 'down'], up: ['down', 'init'], down: ['up', 'init'] };
const move = (from: LivenessState, to: LivenessState): LivenessState | null => (NEXT[from].includes(to) ? to : null);
export const newIlsm = (): Ilsm => ({ state: 'init', hellos: 0, lastHelloAt: null });

function hello(i: Ilsm, now: number, minHellos: number): Ilsm {
  const hellos = i.state !== 'up' ? i.hellos + 1 : i.hellos;
  if (hellos >= minHellos) {
    const to = move(i.state, 'up');
    if (to) return { state: to, hellos: 0, lastHelloAt: now };
  }
  return { ...i, hellos, lastHelloAt: now };
}

const aggregate = (a: Ilsm, b: Ilsm): LivenessState =>
  a.state === 'init' || b.state === 'init' ? 'init' : a.state === 'down' || b.state === 'down' ? 'down' : 'up';

/** The pair's state after its interfaces moved; the new state when it changed. */
function settle(p: LivenessPair): { pair: LivenessPair; changed: LivenessState | null } {
  const to = move(p.state, aggregate(p.ilsmA, p.ilsmB));
  return to ? { pair: { ...p, state: to }, changed: to } : { pair: p, changed: null };
}

/** `rx` heard a hello from `tx` at `now`. */
export function consumeHello(pair: LivenessPair | undefined, rx: string, tx: string, now: number, minHellos: number): { pair: LivenessPair; changed: LivenessState | null } {
  const [a, b] = rx < tx ? [rx, tx] : [tx, rx];
  let p = pair && pair.a === a && pair.b === b ? pair : { a, b, ilsmA: newIlsm(), ilsmB: newIlsm(), state: 'init' as LivenessState };
  p = rx === a ? { ...p, ilsmA: hello(p.ilsmA, now, minHellos) } : { ...p, ilsmB: hello(p.ilsmB, now, minHellos) };
  return settle(p);
}

/** The dead-interval check: an interface without a hello for `deadMs` is down. */
export function reap(p: LivenessPair, now: number, deadMs: number): { pair: LivenessPair; changed: LivenessState | null } {
  if (p.state === 'down') return { pair: p, changed: null };
  const check = (i: Ilsm): Ilsm => (i.lastHelloAt !== null && now - i.lastHelloAt > deadMs ? { ...i, hellos: 0, state: move(i.state, 'down') ?? i.state } : i);
  return settle({ ...p, ilsmA: check(p.ilsmA), ilsmB: check(p.ilsmB) });
}

/** Liveness of one interface as `GET v1/liveness/` shows it. */
export function interfaceLiveness(pairs: ReadonlyMap<string, LivenessPair>, byInterface: ReadonlyMap<string, string>, id: string): { status: LivenessState; last_hello_at: string | null } {
  const p = pairs.get(byInterface.get(id) ?? '');
  const i = p ? (p.a === id ? p.ilsmA : p.b === id ? p.ilsmB : undefined) : undefined;
  return i ? { status: i.state, last_hello_at: isoOrNull(i.lastHelloAt) } : { status: 'init', last_hello_at: null };
}

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

// --- loops ----------------------------------------------------------------------

export interface LoopEntry {
  dpid: string;
  ports: [number, number];
  interfaceA: string;
  interfaceB: string;
  state: 'detected' | 'stopped';
  detectedAt: number;
  updatedAt: number;
}

/** Kytos-ng's rule: one switch, `rx` port <= `tx` port (so a pair counts once), not ignored. */
export function isLoop(rx: KnownInterface, tx: KnownInterface, ignored: ReadonlyMap<string, number[][]>): boolean {
  if (rx.dpid !== tx.dpid || rx.port > tx.port) return false;
  const list = ignored.get(rx.dpid) ?? [];
  return !list.some((p) => (p[0] === rx.port && p[1] === tx.port) || (p[0] === tx.port && p[1] === rx.port));
}

export const loopKey = (dpid: string, a: number, b: number): string => `${dpid}|${a}|${b}`;

/** The flow groups of_lldp accepts from of_multi_table (Kytos-ng's TABLE_GROUP_ALLOWED). */
export const TABLE_GROUP_ALLOWED: ReadonlySet<string> = new Set(['base']);

/**
 * of_multi_table's `enable_table` for of_lldp: the new table groups, or an error when it names a
 * group of_lldp does not have (then nothing changes, as Kytos-ng). Undefined: not for of_lldp.
 */
export function tableGroupFrom(
  content: Record<string, unknown> | undefined,
  current: Readonly<Record<string, number>>,
): { group: Record<string, number> } | { error: string } | undefined {
  const given = content?.of_lldp;
  if (given === undefined || given === null || typeof given !== 'object' || Object.keys(given).length === 0) return undefined;
  const group = { ...current };
  for (const [name, table] of Object.entries(given as Record<string, unknown>)) {
    if (!TABLE_GROUP_ALLOWED.has(name)) return { error: `The table group "${name}" is not allowed for of_lldp. Allowed table groups are ${[...TABLE_GROUP_ALLOWED].join(', ')}` };
    if (!Number.isInteger(table) || (table as number) < 0 || (table as number) > 254) return { error: `Table ${JSON.stringify(table)} of group "${name}" is not a table id (0..254)` };
    group[name] = table as number;
  }
  return { group };
}
