/**
 * 7.5.2 OFPT_ECHO_REQUEST and 7.5.3 OFPT_ECHO_REPLY: an arbitrary payload
 * (the reply echoes the request's). One module for both: the layout is the same.
 */
import type { MessageBase, OfHeader } from '../header.js';
import { OFPT } from '../constants.js';
import type { Reader, Writer } from '../wire.js';

export interface EchoRequestMessage extends MessageBase {
  type: 'echo_request';
  data: Buffer;
}

export interface EchoReplyMessage extends MessageBase {
  type: 'echo_reply';
  data: Buffer;
}

export function decode(r: Reader, h: OfHeader): EchoRequestMessage | EchoReplyMessage {
  const type = h.type === OFPT.ECHO_REQUEST ? 'echo_request' : 'echo_reply';
  return { type, version: h.version, xid: h.xid, data: r.rest() };
}

export function encode(w: Writer, m: EchoRequestMessage | EchoReplyMessage): void {
  w.bytes(m.data);
}
