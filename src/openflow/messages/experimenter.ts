/** 7.5.4 OFPT_EXPERIMENTER: experimenter u32, exp_type u32, data. */
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export interface ExperimenterMessage extends MessageBase {
  type: 'experimenter';
  experimenter: number;
  expType: number;
  data: Buffer;
}

export function decode(r: Reader, h: OfHeader): ExperimenterMessage {
  const experimenter = r.u32('experimenter');
  const expType = r.u32('exp_type');
  return { type: 'experimenter', version: h.version, xid: h.xid, experimenter, expType, data: r.rest() };
}

export function encode(w: Writer, m: ExperimenterMessage): void {
  w.u32(m.experimenter, 'experimenter').u32(m.expType, 'exp_type').bytes(m.data);
}
