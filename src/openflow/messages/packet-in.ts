/**
 * 7.4.1 OFPT_PACKET_IN: buffer_id u32, total_len u16, reason u8 (OFPR_*),
 * table_id u8, cookie u64, match, pad 2, data (the frame, possibly cut).
 */
import type { MessageBase, OfHeader } from '../header.js';
import { decodeMatch, encodeMatch, type Match } from '../match.js';
import type { Reader, Writer } from '../wire.js';

export interface PacketInMessage extends MessageBase {
  type: 'packet_in';
  bufferId: number;
  totalLen: number;
  reason: number;
  tableId: number;
  cookie: bigint;
  match: Match;
  data: Buffer;
}

export function decode(r: Reader, h: OfHeader): PacketInMessage {
  const bufferId = r.u32('buffer_id');
  const totalLen = r.u16('total_len');
  const reason = r.u8('reason');
  const tableId = r.u8('table_id');
  const cookie = r.u64('cookie');
  const match = decodeMatch(r);
  r.skip(2);
  return { type: 'packet_in', version: h.version, xid: h.xid, bufferId, totalLen, reason, tableId, cookie, match, data: r.rest() };
}

export function encode(w: Writer, m: PacketInMessage): void {
  w.u32(m.bufferId, 'buffer_id').u16(m.totalLen, 'total_len').u8(m.reason, 'reason').u8(m.tableId, 'table_id').u64(m.cookie, 'cookie');
  encodeMatch(w, m.match);
  w.zeros(2).bytes(m.data);
}
