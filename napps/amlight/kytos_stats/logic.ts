/**
 * kytos_stats' state and views as pure functions: the last counters of_core's
 * polls reported, per switch, and the shapes Kytos-ng's kytos_stats answers.
 * Nothing is stored: every value comes back with the next poll.
 */
import type { FlowStats, PortStats, ReportedFlowJson, TableStats } from '#sdk';

/** A flow's counters as `v1/flow/stats` shows them (of_core's FlowStats.as_dict() + cookie, priority, match). */
export interface FlowEntry {
  byte_count: bigint | number;
  duration_sec: number;
  duration_nsec: number;
  packet_count: bigint | number;
  cookie: bigint | number;
  priority: number;
  match: Record<string, unknown>;
}

export interface PortEntry {
  port_no: number;
  rx_packets: bigint;
  tx_packets: bigint;
  rx_bytes: bigint;
  tx_bytes: bigint;
  rx_dropped: bigint;
  tx_dropped: bigint;
  rx_errors: bigint;
  tx_errors: bigint;
  rx_frame_err: bigint;
  rx_over_err: bigint;
  rx_crc_err: bigint;
  collisions: bigint;
  duration_sec: number;
  duration_nsec: number;
  /** When the reply was published (UTC, ISO 8601 without an offset, as Kytos-ng's `datetime.utcnow()`). */
  updated_at: string;
}

export interface TableEntry {
  table_id: number;
  active_count: number;
  lookup_count: bigint;
  matched_count: bigint;
}

/** `{dpid: {flow_id: FlowEntry}}` */
export type FlowStatsView = Record<string, Record<string, FlowEntry>>;
/** `{dpid: {table_id: TableEntry}}` */
export type TableStatsView = Record<string, Record<string, TableEntry>>;
/** `{dpid: {port_no: PortEntry}}` */
export type PortStatsView = Record<string, Record<string, PortEntry>>;

/**
 * Per-switch counters. Owned by the NApp's actor and updated in place (a copy
 * per poll would cost O(switches) per poll).
 */
export interface StatsState {
  flows: Map<string, Map<string, FlowEntry>>;
  ports: Map<string, Map<number, PortEntry>>;
  tables: Map<string, Map<number, TableEntry>>;
  /** Sequence number of the last flow reply sent to flow_manager to describe. */
  seq: number;
  /** Per switch: sequence number of the flow reply applied last (older answers are dropped). */
  appliedSeq: Map<string, number>;
  /**
   * Per switch: its latest flow reply, kept as decoded until a query needs it. Flows get their
   * Kytos ids from flow_manager only when asked for: a poll nobody reads costs nothing.
   */
  raw: Map<string, { seq: number; flows: readonly FlowStats[] }>;
  /** Per switch: the reply flow_manager is describing now. */
  describing: Map<string, number>;
}

export const emptyState = (): StatsState => ({ flows: new Map(), ports: new Map(), tables: new Map(), seq: 0, appliedSeq: new Map(), raw: new Map(), describing: new Map() });

/** A flow reply arrived: kept as it is (it replaces an undescribed earlier one). */
export function keepFlowReply(s: StatsState, dpid: string, flows: readonly FlowStats[]): void {
  s.raw.set(dpid, { seq: nextFlowSeq(s), flows });
}

/** The switches a flow query reads (`undefined`: every switch). */
export type FlowQueryScope = readonly string[] | undefined;

/**
 * The replies a query needs described first: for each switch it reads whose latest reply is
 * neither applied nor being described, a description to ask for (marked as being described).
 */
export function describesFor(s: StatsState, scope: FlowQueryScope): { dpid: string; seq: number; flows: readonly FlowStats[] }[] {
  const out: { dpid: string; seq: number; flows: readonly FlowStats[] }[] = [];
  for (const dpid of scope ?? [...s.raw.keys()]) {
    const r = s.raw.get(dpid);
    if (!r || s.describing.get(dpid) === r.seq) continue;
    s.describing.set(dpid, r.seq);
    out.push({ dpid, seq: r.seq, flows: r.flows });
  }
  return out;
}

/** Whether a query over `scope` must wait for a description in flight. */
export const waitsForDescription = (s: StatsState, scope: FlowQueryScope): boolean =>
  scope === undefined ? s.describing.size > 0 : scope.some((d) => s.describing.has(d));

/** flow_manager answered for reply `seq` (no flows: it could not; the switch keeps its previous flows). */
export function described(s: StatsState, dpid: string, seq: number, flows?: readonly ReportedFlowJson[]): void {
  if (s.describing.get(dpid) === seq) s.describing.delete(dpid);
  if (s.raw.get(dpid)?.seq === seq) s.raw.delete(dpid);
  if (flows) applyFlows(s, dpid, seq, flows);
}

export function flowEntry(f: ReportedFlowJson): FlowEntry {
  const s = f.stats;
  return { byte_count: s.byte_count, duration_sec: s.duration_sec, duration_nsec: s.duration_nsec, packet_count: s.packet_count, cookie: f.cookie, priority: f.priority, match: f.match };
}

export function portEntry(p: PortStats, updatedAt: string): PortEntry {
  return {
    port_no: p.portNo,
    rx_packets: p.rxPackets,
    tx_packets: p.txPackets,
    rx_bytes: p.rxBytes,
    tx_bytes: p.txBytes,
    rx_dropped: p.rxDropped,
    tx_dropped: p.txDropped,
    rx_errors: p.rxErrors,
    tx_errors: p.txErrors,
    rx_frame_err: p.rxFrameErr,
    rx_over_err: p.rxOverErr,
    rx_crc_err: p.rxCrcErr,
    collisions: p.collisions,
    duration_sec: p.durationSec,
    duration_nsec: p.durationNsec,
    updated_at: updatedAt,
  };
}

export const tableEntry = (t: TableStats): TableEntry => ({ table_id: t.tableId, active_count: t.activeCount, lookup_count: t.lookupCount, matched_count: t.matchedCount });

/** A port-stats reply replaces the switch's ports (a port gone from the reply is gone). */
export function applyPortStats(s: StatsState, dpid: string, ports: readonly PortStats[], updatedAt: string): void {
  s.ports.set(dpid, new Map(ports.map((p) => [p.portNo, portEntry(p, updatedAt)])));
}

export function applyTableStats(s: StatsState, dpid: string, tables: readonly TableStats[]): void {
  s.tables.set(dpid, new Map(tables.map((t) => [t.tableId, tableEntry(t)])));
}

/** A flow reply goes to flow_manager for its ids; returns the sequence number its answer will carry. */
export function nextFlowSeq(s: StatsState): number {
  s.seq += 1;
  return s.seq;
}

/** The described flows of reply `seq` replace the switch's flows, unless a later reply was applied already. */
export function applyFlows(s: StatsState, dpid: string, seq: number, flows: readonly ReportedFlowJson[]): boolean {
  if (seq <= (s.appliedSeq.get(dpid) ?? 0)) return false;
  s.appliedSeq.set(dpid, seq);
  s.flows.set(dpid, new Map(flows.map((f) => [f.id, flowEntry(f)])));
  return true;
}

/** topology deleted the switch: its counters go, and answers still on their way are dropped. */
export function dropSwitch(s: StatsState, dpid: string): void {
  s.flows.delete(dpid);
  s.ports.delete(dpid);
  s.tables.delete(dpid);
  s.raw.delete(dpid);
  s.describing.delete(dpid);
  s.appliedSeq.set(dpid, s.seq);
}

/** `v1/flow/stats`: the switches asked for (all known when none), skipping those without flows. */
export function flowStatsView(s: StatsState, dpids: readonly string[]): FlowStatsView {
  const out: FlowStatsView = {};
  for (const dpid of dpids.length ? dpids : [...s.flows.keys()]) {
    const flows = s.flows.get(dpid);
    if (!flows || flows.size === 0) continue;
    out[dpid] = Object.fromEntries(flows);
  }
  return out;
}

/** `v1/table/stats`: the switches asked for (all known when none), the tables asked for (all when none). */
export function tableStatsView(s: StatsState, dpids: readonly string[], tableIds: readonly number[]): TableStatsView {
  const out: TableStatsView = {};
  for (const dpid of dpids.length ? dpids : [...s.tables.keys()]) {
    const tables = s.tables.get(dpid);
    if (!tables) continue;
    const row: Record<string, TableEntry> = {};
    for (const [id, t] of tables) if (tableIds.length === 0 || tableIds.includes(id)) row[id] = t;
    out[dpid] = row;
  }
  return out;
}

/** `v1/port/stats`: the switches asked for (all known when none), the ports asked for (all when none). */
export function portStatsView(s: StatsState, dpids: readonly string[], portNos: readonly number[]): PortStatsView {
  const out: PortStatsView = {};
  for (const dpid of dpids.length ? dpids : [...s.ports.keys()]) {
    const ports = s.ports.get(dpid);
    if (!ports) continue;
    const row: Record<string, PortEntry> = {};
    for (const no of portNos.length ? portNos : [...ports.keys()]) {
      const p = ports.get(no);
      if (p) row[no] = p;
    }
    out[dpid] = row;
  }
  return out;
}

/** One flow by id, on whichever switch reported it. */
export function findFlow(s: StatsState, flowId: string): FlowEntry | undefined {
  for (const flows of s.flows.values()) {
    const f = flows.get(flowId);
    if (f) return f;
  }
  return undefined;
}

export function switchFlows(s: StatsState, dpid: string): { flow_id: string; packet_count: bigint | number; byte_count: bigint | number; duration_sec: number }[] {
  return [...(s.flows.get(dpid) ?? new Map<string, FlowEntry>())].map(([flow_id, f]) => ({ flow_id, packet_count: f.packet_count, byte_count: f.byte_count, duration_sec: f.duration_sec }));
}

/** A count per second of the flow's life (0 for a flow younger than a second), bits when `bits`. */
export function rate(count: bigint | number, durationSec: number, bits = false): number {
  if (durationSec === 0) return 0;
  return (Number(count) * (bits ? 8 : 1)) / durationSec;
}

/** `v1/packet_count/...` and `v1/bytes_count/...` entries. */
export const packetCounter = (flowId: string, f: { packet_count: bigint | number; duration_sec: number }) => ({
  flow_id: flowId,
  packet_counter: f.packet_count,
  packet_per_second: rate(f.packet_count, f.duration_sec),
});
export const bytesCounter = (flowId: string, f: { byte_count: bigint | number; duration_sec: number }) => ({
  flow_id: flowId,
  bytes_counter: f.byte_count,
  bits_per_second: rate(f.byte_count, f.duration_sec, true),
});
