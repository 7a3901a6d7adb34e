/** 7.1 struct ofp_header: version u8, type u8, length u16, xid u32. */
import { OFP_HEADER_LEN } from './constants.js';

export interface OfHeader {
  version: number;
  type: number;
  /** Whole message length, header included. */
  length: number;
  xid: number;
}

/** Fields every decoded message carries. */
export interface MessageBase {
  version: number;
  xid: number;
}

/**
 * Reads the header at `offset` without validating it; undefined when fewer
 * than 8 bytes are available. Framing uses `length` to cut frames.
 */
export function peekHeader(buf: Buffer, offset = 0): OfHeader | undefined {
  if (offset < 0 || buf.length - offset < OFP_HEADER_LEN) return undefined;
  return {
    version: buf[offset],
    type: buf[offset + 1],
    length: buf.readUInt16BE(offset + 2),
    xid: buf.readUInt32BE(offset + 4),
  };
}
