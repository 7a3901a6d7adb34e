/**
 * 7.4.2 OFPT_FLOW_REMOVED: cookie u64, priority u16, reason u8 (OFPRR_*),
 * table_id u8, duration_sec u32, duration_nsec u32, idle_timeout u16,
 * hard_timeout u16, packet_count u64, byte_count u64, match.
 */
import { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import { decodeMatch, encodeMatch, type Match } from '../match.js';
import type { Reader, Writer } from '../wire.js';

export interface FlowRemovedMessage extends MessageBase {
  type: 'flow_removed';
  cookie: bigint;
  priority: number;
  reason: number;
  tableId: number;
  durationSec: number;
  durationNsec: number;
  idleTimeout: number;
  hardTimeout: number;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
}

export function decode(r: Reader, h: OfHeader): FlowRemovedMessage {
  const m: FlowRemovedMessage = {
    type: 'flow_removed',
    version: h.version,
    xid: h.xid,
    cookie: r.u64('cookie'),
    priority: r.u16('priority'),
    reason: r.u8('reason'),
    tableId: r.u8('table_id'),
    durationSec: r.u32('duration_sec'),
    durationNsec: r.u32('duration_nsec'),
    idleTimeout: r.u16('idle_timeout'),
    hardTimeout: r.u16('hard_timeout'),
    packetCount: r.u64('packet_count'),
    byteCount: r.u64('byte_count'),
    match: decodeMatch(r),
  };
  if (r.remaining !== 0) throw new OfCodecError('BAD_LENGTH', 'flow_removed: bytes after the match');
  return m;
}

export function encode(w: Writer, m: FlowRemovedMessage): void {
  w.u64(m.cookie, 'cookie')
    .u16(m.priority, 'priority')
    .u8(m.reason, 'reason')
    .u8(m.tableId, 'table_id')
    .u32(m.durationSec, 'duration_sec')
    .u32(m.durationNsec, 'duration_nsec')
    .u16(m.idleTimeout, 'idle_timeout')
    .u16(m.hardTimeout, 'hard_timeout')
    .u64(m.packetCount, 'packet_count')
    .u64(m.byteCount, 'byte_count');
  encodeMatch(w, m.match);
}
