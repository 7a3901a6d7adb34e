/**
 * 7.3.5 OFPT_MULTIPART_REQUEST: type u16 (OFPMP_*), flags u16
 * (OFPMPF_REQ_MORE), pad 4, body. DESC, TABLE and PORT_DESC have an empty
 * body; FLOW and PORT_STATS are decoded; other types keep their body raw.
 */
import { OFPMP } from '../constants.js';
import { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import { encodeMultipartHeader } from '../multipart/header.js';
import { decodeFlowStatsRequest, encodeFlowStatsRequest, type FlowStatsRequest } from '../multipart/flow-stats.js';
import { decodePortStatsRequest, encodePortStatsRequest } from '../multipart/port-stats.js';
import type { Reader, Writer } from '../wire.js';

export type MultipartRequestBody =
  | { mpType: 'desc' }
  | { mpType: 'table' }
  | { mpType: 'port_desc' }
  | ({ mpType: 'flow' } & FlowStatsRequest)
  | { mpType: 'port_stats'; portNo: number }
  /** Any other OFPMP_* type: its code and body bytes. */
  | { mpType: 'raw'; code: number; body: Buffer };

export interface MultipartRequestMessage extends MessageBase {
  type: 'multipart_request';
  /** OFPMPF_REQ_MORE bit. */
  flags: number;
  body: MultipartRequestBody;
}

function empty(r: Reader, name: string): void {
  if (r.remaining !== 0) throw new OfCodecError('BAD_LENGTH', `${name} request: unexpected body`);
}

export function decode(r: Reader, h: OfHeader): MultipartRequestMessage {
  const code = r.u16('multipart type');
  const flags = r.u16('multipart flags');
  r.skip(4);
  let body: MultipartRequestBody;
  switch (code) {
    case OFPMP.DESC:
      empty(r, 'desc');
      body = { mpType: 'desc' };
      break;
    case OFPMP.TABLE:
      empty(r, 'table');
      body = { mpType: 'table' };
      break;
    case OFPMP.PORT_DESC:
      empty(r, 'port_desc');
      body = { mpType: 'port_desc' };
      break;
    case OFPMP.FLOW:
      body = { mpType: 'flow', ...decodeFlowStatsRequest(r) };
      break;
    case OFPMP.PORT_STATS:
      body = { mpType: 'port_stats', ...decodePortStatsRequest(r) };
      break;
    default:
      body = { mpType: 'raw', code, body: r.rest() };
  }
  return { type: 'multipart_request', version: h.version, xid: h.xid, flags, body };
}


export function encode(w: Writer, m: MultipartRequestMessage): void {
  const b = m.body;
  encodeMultipartHeader(w, b, m.flags);
  if (b.mpType === 'flow') encodeFlowStatsRequest(w, b);
  else if (b.mpType === 'port_stats') encodePortStatsRequest(w, b);
  else if (b.mpType === 'raw') w.bytes(b.body);
}
