/**
 * 7.3.4.2 OFPT_GROUP_MOD: command u16 (OFPGC_*), type u8 (OFPGT_*), pad 1,
 * group_id u32, buckets.
 */
import { decodeBuckets, encodeBuckets, type Bucket } from '../bucket.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export interface GroupModMessage extends MessageBase {
  type: 'group_mod';
  command: number;
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}

export function decode(r: Reader, h: OfHeader): GroupModMessage {
  const command = r.u16('command');
  const groupType = r.u8('group type');
  r.skip(1);
  const groupId = r.u32('group_id');
  return { type: 'group_mod', version: h.version, xid: h.xid, command, groupType, groupId, buckets: decodeBuckets(r) };
}

export function encode(w: Writer, m: GroupModMessage): void {
  w.u16(m.command, 'command').u8(m.groupType, 'group type').zeros(1).u32(m.groupId, 'group_id');
  encodeBuckets(w, m.buckets);
}
