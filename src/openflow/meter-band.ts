/**
 * 7.3.4.4 meter bands: ofp_meter_band_header type u16 (OFPMBT_*), len u16,
 * rate u32, burst_size u32, then: DROP pad 4; DSCP_REMARK prec_level u8,
 * pad 3; EXPERIMENTER experimenter u32 (+ data). Each band is 16 bytes or more.
 */
import { OFPMBT } from './constants.js';
import { OfCodecError } from './errors.js';
import { readTlvList, requireMultipleOf8, type Reader, type Writer } from './wire.js';

interface BandBase {
  rate: number;
  burstSize: number;
}

export type MeterBand =
  | (BandBase & { type: 'drop' })
  | (BandBase & { type: 'dscp_remark'; precLevel: number })
  | (BandBase & { type: 'experimenter'; experimenter: number; data: Buffer })
  | (BandBase & { type: 'unknown'; bandType: number; body: Buffer });

const { DROP, DSCP_REMARK, EXPERIMENTER } = OFPMBT;

function decodeOne(type: number, r: Reader, len: number): MeterBand {
  r.skip(4); // type and len
  const rate = r.u32('band.rate');
  const burstSize = r.u32('band.burst_size');
  switch (type) {
    case DROP:
      if (len !== 16) throw new OfCodecError('BAD_LENGTH', `drop band: length ${len}`);
      return { type: 'drop', rate, burstSize };
    case DSCP_REMARK:
      if (len !== 16) throw new OfCodecError('BAD_LENGTH', `dscp_remark band: length ${len}`);
      return { type: 'dscp_remark', rate, burstSize, precLevel: r.u8('band.prec_level') };
    case EXPERIMENTER: {
      const experimenter = r.u32('band.experimenter');
      return { type: 'experimenter', rate, burstSize, experimenter, data: r.rest() };
    }
    default:
      return { type: 'unknown', bandType: type, rate, burstSize, body: r.rest() };
  }
}

export function decodeMeterBands(r: Reader): MeterBand[] {
  return readTlvList(r, 16, 'meter band', 'BAD_LENGTH', decodeOne);
}


export function encodeMeterBands(w: Writer, bands: readonly MeterBand[]): void {
  for (const b of bands) {
    switch (b.type) {
      case 'drop':
        w.u16(OFPMBT.DROP).u16(16).u32(b.rate, 'band.rate').u32(b.burstSize, 'band.burst_size').zeros(4);
        break;
      case 'dscp_remark':
        w.u16(OFPMBT.DSCP_REMARK).u16(16).u32(b.rate, 'band.rate').u32(b.burstSize, 'band.burst_size').u8(b.precLevel, 'band.prec_level').zeros(3);
        break;
      case 'experimenter':
        requireMultipleOf8(16 + b.data.length, 'meter band');
        w.u16(OFPMBT.EXPERIMENTER).u16(16 + b.data.length, 'band.len').u32(b.rate, 'band.rate').u32(b.burstSize, 'band.burst_size');
        w.u32(b.experimenter, 'band.experimenter').bytes(b.data);
        break;
      case 'unknown':
        requireMultipleOf8(12 + b.body.length, 'meter band');
        if (b.body.length < 4) throw new OfCodecError('BAD_FIELD', 'meter band: body shorter than 4 bytes');
        w.u16(b.bandType, 'band.type').u16(12 + b.body.length, 'band.len').u32(b.rate, 'band.rate').u32(b.burstSize, 'band.burst_size').bytes(b.body);
        break;
      default:
        throw new OfCodecError('BAD_FIELD', `meter band: unknown type ${String((b as { type: unknown }).type)}`);
    }
  }
}
