/**
 * 7.3.4.4 OFPT_METER_MOD: command u16 (OFPMC_*), flags u16 (OFPMF_*),
 * meter_id u32, bands.
 */
import type { MessageBase, OfHeader } from '../header.js';
import { decodeMeterBands, encodeMeterBands, type MeterBand } from '../meter-band.js';
import type { Reader, Writer } from '../wire.js';

export interface MeterModMessage extends MessageBase {
  type: 'meter_mod';
  command: number;
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

export function decode(r: Reader, h: OfHeader): MeterModMessage {
  const command = r.u16('command');
  const flags = r.u16('flags');
  const meterId = r.u32('meter_id');
  return { type: 'meter_mod', version: h.version, xid: h.xid, command, flags, meterId, bands: decodeMeterBands(r) };
}

export function encode(w: Writer, m: MeterModMessage): void {
  w.u16(m.command, 'command').u16(m.flags, 'flags').u32(m.meterId, 'meter_id');
  encodeMeterBands(w, m.bands);
}
