/** 7.4.3 OFPT_PORT_STATUS: reason u8 (OFPPR_*), pad 7, struct ofp_port (64). */
import { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import { decodePort, encodePort, OFP_PORT_LEN, type OfPort } from '../port.js';
import type { Reader, Writer } from '../wire.js';

export interface PortStatusMessage extends MessageBase {
  type: 'port_status';
  reason: number;
  port: OfPort;
}

export function decode(r: Reader, h: OfHeader): PortStatusMessage {
  if (r.remaining !== 8 + OFP_PORT_LEN) throw new OfCodecError('BAD_LENGTH', `port_status: body ${r.remaining} != ${8 + OFP_PORT_LEN}`);
  const reason = r.u8('reason');
  r.skip(7);
  return { type: 'port_status', version: h.version, xid: h.xid, reason, port: decodePort(r) };
}

export function encode(w: Writer, m: PortStatusMessage): void {
  w.u8(m.reason, 'reason').zeros(7);
  encodePort(w, m.port);
}
