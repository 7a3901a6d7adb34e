/**
 * 7.3.1 OFPT_FEATURES_REPLY (struct ofp_switch_features): datapath_id u64,
 * n_buffers u32, n_tables u8, auxiliary_id u8, pad 2, capabilities u32, reserved u32.
 */
import type { MessageBase, OfHeader } from '../header.js';
import { OfCodecError } from '../errors.js';
import type { Reader, Writer } from '../wire.js';

export interface FeaturesReplyMessage extends MessageBase {
  type: 'features_reply';
  datapathId: bigint;
  nBuffers: number;
  nTables: number;
  auxiliaryId: number;
  /** OFPC_* bits. */
  capabilities: number;
  reserved: number;
}

export function decode(r: Reader, h: OfHeader): FeaturesReplyMessage {
  if (r.remaining !== 24) throw new OfCodecError('BAD_LENGTH', `features_reply: body ${r.remaining} != 24`);
  const datapathId = r.u64('datapath_id');
  const nBuffers = r.u32('n_buffers');
  const nTables = r.u8('n_tables');
  const auxiliaryId = r.u8('auxiliary_id');
  r.skip(2);
  return {
    type: 'features_reply',
    version: h.version,
    xid: h.xid,
    datapathId,
    nBuffers,
    nTables,
    auxiliaryId,
    capabilities: r.u32('capabilities'),
    reserved: r.u32('reserved'),
  };
}

export function encode(w: Writer, m: FeaturesReplyMessage): void {
  w.u64(m.datapathId, 'datapath_id')
    .u32(m.nBuffers, 'n_buffers')
    .u8(m.nTables, 'n_tables')
    .u8(m.auxiliaryId, 'auxiliary_id')
    .zeros(2)
    .u32(m.capabilities, 'capabilities')
    .u32(m.reserved, 'reserved');
}
