/**
 * 7.3.5.2 Individual flow statistics.
 * Request (struct ofp_flow_stats_request): table_id u8, pad 3, out_port u32,
 * out_group u32, pad 4, cookie u64, cookie_mask u64, match.
 * Reply entry (struct ofp_flow_stats): length u16, table_id u8, pad 1,
 * duration_sec u32, duration_nsec u32, priority u16, idle_timeout u16,
 * hard_timeout u16, flags u16, pad 4, cookie u64, packet_count u64,
 * byte_count u64, match, instructions.
 */
import { OfCodecError } from '../errors.js';
import { decodeInstructions, encodeInstructions, type Instruction } from '../instruction.js';
import { decodeMatch, encodeMatch, type Match } from '../match.js';
import { readTlvList, type Reader, type Writer } from '../wire.js';

export interface FlowStatsRequest {
  tableId: number;
  outPort: number;
  outGroup: number;
  cookie: bigint;
  cookieMask: bigint;
  match: Match;
}

export interface FlowStats {
  tableId: number;
  durationSec: number;
  durationNsec: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  /** OFPFF_* bits. */
  flags: number;
  cookie: bigint;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
  instructions: Instruction[];
}

export function decodeFlowStatsRequest(r: Reader): FlowStatsRequest {
  const tableId = r.u8('table_id');
  r.skip(3);
  const outPort = r.u32('out_port');
  const outGroup = r.u32('out_group');
  r.skip(4);
  const cookie = r.u64('cookie');
  const cookieMask = r.u64('cookie_mask');
  const match = decodeMatch(r);
  if (r.remaining !== 0) throw new OfCodecError('BAD_LENGTH', 'flow stats request: bytes after the match');
  return { tableId, outPort, outGroup, cookie, cookieMask, match };
}

export function encodeFlowStatsRequest(w: Writer, q: FlowStatsRequest): void {
  w.u8(q.tableId, 'table_id')
    .zeros(3)
    .u32(q.outPort, 'out_port')
    .u32(q.outGroup, 'out_group')
    .zeros(4)
    .u64(q.cookie, 'cookie')
    .u64(q.cookieMask, 'cookie_mask');
  encodeMatch(w, q.match);
}

function decodeEntry(_len: number, r: Reader): FlowStats {
  r.skip(2); // length
  const tableId = r.u8('table_id');
  r.skip(1);
  const durationSec = r.u32('duration_sec');
  const durationNsec = r.u32('duration_nsec');
  const priority = r.u16('priority');
  const idleTimeout = r.u16('idle_timeout');
  const hardTimeout = r.u16('hard_timeout');
  const flags = r.u16('flags');
  r.skip(4);
  const cookie = r.u64('cookie');
  const packetCount = r.u64('packet_count');
  const byteCount = r.u64('byte_count');
  const match = decodeMatch(r);
  const instructions = decodeInstructions(r);
  return { tableId, durationSec, durationNsec, priority, idleTimeout, hardTimeout, flags, cookie, packetCount, byteCount, match, instructions };
}

/** ofp_flow_stats entries filling the reader (length at offset 0 of each). */
export function decodeFlowStatsList(r: Reader): FlowStats[] {
  return readTlvList(r, 56, 'flow stats', 'BAD_LENGTH', decodeEntry, 0);
}

export function encodeFlowStats(w: Writer, f: FlowStats): void {
  const start = w.offset;
  w.u16(0)
    .u8(f.tableId, 'table_id')
    .zeros(1)
    .u32(f.durationSec, 'duration_sec')
    .u32(f.durationNsec, 'duration_nsec')
    .u16(f.priority, 'priority')
    .u16(f.idleTimeout, 'idle_timeout')
    .u16(f.hardTimeout, 'hard_timeout')
    .u16(f.flags, 'flags')
    .zeros(4)
    .u64(f.cookie, 'cookie')
    .u64(f.packetCount, 'packet_count')
    .u64(f.byteCount, 'byte_count');
  encodeMatch(w, f.match);
  encodeInstructions(w, f.instructions);
  w.patchU16(start, w.offset - start, 'flow stats length');
}
