/**
 * Any message type the codec does not decode (PORT_MOD, TABLE_MOD, queue and
 * async config, types past 1.3): kept as its type code and body bytes, so it
 * can be logged, forwarded or re-encoded unchanged.
 */
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export interface RawMessage extends MessageBase {
  type: 'raw';
  /** The header's type code. */
  msgType: number;
  body: Buffer;
}

export function decode(r: Reader, h: OfHeader): RawMessage {
  return { type: 'raw', version: h.version, xid: h.xid, msgType: h.type, body: r.rest() };
}

export function encode(w: Writer, m: RawMessage): void {
  w.bytes(m.body);
}
