/**
 * 7.3.5 OFPT_MULTIPART_REPLY: type u16 (OFPMP_*), flags u16
 * (OFPMPF_REPLY_MORE: more parts follow with the same xid), pad 4, body.
 * DESC, FLOW, TABLE, PORT_STATS and PORT_DESC bodies are decoded; other types
 * keep their body raw. Reassembly of parts: ../multipart-assembler.ts.
 */
import { OFPMP } from '../constants.js';
import type { MessageBase, OfHeader } from '../header.js';
import { encodeMultipartHeader } from '../multipart/header.js';
import { decodeDesc, encodeDesc, type OfDesc } from '../multipart/desc.js';
import { decodeFlowStatsList, encodeFlowStats, type FlowStats } from '../multipart/flow-stats.js';
import { decodePortStatsList, encodePortStats, type PortStats } from '../multipart/port-stats.js';
import { decodeTableStatsList, encodeTableStats, type TableStats } from '../multipart/table-stats.js';
import { decodePortList, encodePort, type OfPort } from '../port.js';
import type { Reader, Writer } from '../wire.js';

export type MultipartReplyBody =
  | { mpType: 'desc'; desc: OfDesc }
  | { mpType: 'flow'; flows: FlowStats[] }
  | { mpType: 'table'; tables: TableStats[] }
  | { mpType: 'port_stats'; ports: PortStats[] }
  | { mpType: 'port_desc'; ports: OfPort[] }
  /** Any other OFPMP_* type: its code and body bytes. */
  | { mpType: 'raw'; code: number; body: Buffer };

export interface MultipartReplyMessage extends MessageBase {
  type: 'multipart_reply';
  /** OFPMPF_REPLY_MORE bit. */
  flags: number;
  body: MultipartReplyBody;
}

export function decode(r: Reader, h: OfHeader): MultipartReplyMessage {
  const code = r.u16('multipart type');
  const flags = r.u16('multipart flags');
  r.skip(4);
  let body: MultipartReplyBody;
  switch (code) {
    case OFPMP.DESC:
      body = { mpType: 'desc', desc: decodeDesc(r) };
      break;
    case OFPMP.FLOW:
      body = { mpType: 'flow', flows: decodeFlowStatsList(r) };
      break;
    case OFPMP.TABLE:
      body = { mpType: 'table', tables: decodeTableStatsList(r) };
      break;
    case OFPMP.PORT_STATS:
      body = { mpType: 'port_stats', ports: decodePortStatsList(r) };
      break;
    case OFPMP.PORT_DESC:
      body = { mpType: 'port_desc', ports: decodePortList(r) };
      break;
    default:
      body = { mpType: 'raw', code, body: r.rest() };
  }
  return { type: 'multipart_reply', version: h.version, xid: h.xid, flags, body };
}


export function encode(w: Writer, m: MultipartReplyMessage): void {
  const b = m.body;
  encodeMultipartHeader(w, b, m.flags);
  switch (b.mpType) {
    case 'desc':
      encodeDesc(w, b.desc);
      return;
    case 'flow':
      for (const f of b.flows) encodeFlowStats(w, f);
      return;
    case 'table':
      for (const t of b.tables) encodeTableStats(w, t);
      return;
    case 'port_stats':
      for (const p of b.ports) encodePortStats(w, p);
      return;
    case 'port_desc':
      for (const p of b.ports) encodePort(w, p);
      return;
    case 'raw':
      w.bytes(b.body);
      return;
  }
}
