/**
 * 7.3.5.1 struct ofp_desc (OFPMP_DESC reply body, 1056 bytes): mfr_desc,
 * hw_desc, sw_desc (256 each), serial_num (32), dp_desc (256), NUL-padded.
 */
import { DESC_STR_LEN, SERIAL_NUM_LEN } from '../constants.js';
import { OfCodecError } from '../errors.js';
import type { Reader, Writer } from '../wire.js';

export const OFP_DESC_LEN = 4 * DESC_STR_LEN + SERIAL_NUM_LEN;

export interface OfDesc {
  mfrDesc: string;
  hwDesc: string;
  swDesc: string;
  serialNum: string;
  dpDesc: string;
}

export function decodeDesc(r: Reader): OfDesc {
  if (r.remaining !== OFP_DESC_LEN) throw new OfCodecError('BAD_LENGTH', `desc: body ${r.remaining} != ${OFP_DESC_LEN}`);
  return {
    mfrDesc: r.fixedString(DESC_STR_LEN, 'mfr_desc'),
    hwDesc: r.fixedString(DESC_STR_LEN, 'hw_desc'),
    swDesc: r.fixedString(DESC_STR_LEN, 'sw_desc'),
    serialNum: r.fixedString(SERIAL_NUM_LEN, 'serial_num'),
    dpDesc: r.fixedString(DESC_STR_LEN, 'dp_desc'),
  };
}

export function encodeDesc(w: Writer, d: OfDesc): void {
  w.fixedString(d.mfrDesc, DESC_STR_LEN, 'mfr_desc')
    .fixedString(d.hwDesc, DESC_STR_LEN, 'hw_desc')
    .fixedString(d.swDesc, DESC_STR_LEN, 'sw_desc')
    .fixedString(d.serialNum, SERIAL_NUM_LEN, 'serial_num')
    .fixedString(d.dpDesc, DESC_STR_LEN, 'dp_desc');
}
