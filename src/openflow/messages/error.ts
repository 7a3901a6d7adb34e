/**
 * 7.4.4 OFPT_ERROR: type u16, code u16, data (at least 64 bytes of the
 * offending message when it is one). The experimenter form
 * (type = OFPET_EXPERIMENTER) has exp_type u16, experimenter u32, data.
 * Decoded for any version (the layout has not changed since 1.0).
 */
import { OFPET } from '../constants.js';
import type { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export type ErrorMessage = MessageBase & { type: 'error'; data: Buffer } & (
    | { errType: number; code: number; experimenter?: undefined }
    /** errType is OFPET_EXPERIMENTER; code is exp_type. */
    | { errType: typeof OFPET.EXPERIMENTER; code: number; experimenter: number }
  );

export function decode(r: Reader, h: OfHeader): ErrorMessage {
  const errType = r.u16('error.type');
  const code = r.u16('error.code');
  if (errType === OFPET.EXPERIMENTER) {
    const experimenter = r.u32('error.experimenter');
    return { type: 'error', version: h.version, xid: h.xid, errType, code, experimenter, data: r.rest() };
  }
  return { type: 'error', version: h.version, xid: h.xid, errType, code, data: r.rest() };
}

export function encode(w: Writer, m: ErrorMessage): void {
  w.u16(m.errType, 'error.type').u16(m.code, 'error.code');
  if (m.errType === OFPET.EXPERIMENTER) w.u32(m.experimenter ?? 0, 'error.experimenter');
  w.bytes(m.data);
}

/** Bytes of the offending message an OFPT_ERROR carries (the spec asks for at least 64). */
export const ERROR_DATA_LEN = 64;

/**
 * The OFPT_ERROR that answers a frame the codec rejected: same xid, the
 * codec error's (ofType, ofCode), and the first 64 bytes of the frame.
 */
export function errorReplyFor(err: Pick<OfCodecError, 'ofType' | 'ofCode'>, frame: Buffer, version = 0x04): ErrorMessage {
  const xid = frame.length >= 8 ? frame.readUInt32BE(4) : 0;
  return {
    type: 'error',
    version,
    xid,
    errType: err.ofType,
    code: err.ofCode,
    data: Buffer.from(frame.subarray(0, ERROR_DATA_LEN)),
  };
}
