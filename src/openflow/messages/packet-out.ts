/**
 * 7.3.7 OFPT_PACKET_OUT: buffer_id u32, in_port u32, actions_len u16, pad 6,
 * actions (actions_len bytes), data (the frame when buffer_id is OFP_NO_BUFFER).
 */
import { decodeActions, encodeActions, type Action } from '../action.js';
import { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export interface PacketOutMessage extends MessageBase {
  type: 'packet_out';
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Buffer;
}

export function decode(r: Reader, h: OfHeader): PacketOutMessage {
  const bufferId = r.u32('buffer_id');
  const inPort = r.u32('in_port');
  const actionsLen = r.u16('actions_len');
  r.skip(6);
  if (actionsLen > r.remaining) throw new OfCodecError('TRUNCATED', `packet_out: actions_len ${actionsLen} past the data`);
  const actions = decodeActions(r.sub(actionsLen, 'actions'));
  return { type: 'packet_out', version: h.version, xid: h.xid, bufferId, inPort, actions, data: r.rest() };
}

export function encode(w: Writer, m: PacketOutMessage): void {
  w.u32(m.bufferId, 'buffer_id').u32(m.inPort, 'in_port');
  const lenAt = w.offset;
  w.u16(0).zeros(6);
  const start = w.offset;
  encodeActions(w, m.actions);
  w.patchU16(lenAt, w.offset - start, 'actions_len');
  w.bytes(m.data);
}
