/** Building blocks for annotated byte vectors. */
import type { OfCodecErrorCode, OfMessage } from '../../../src/openflow/index.js';

export interface ValidVector {
  name: string;
  message: OfMessage;
  bytes: Buffer;
  /** Where the bytes come from when not written by hand, e.g. 'Open vSwitch 3.1.0'. */
  source?: string;
}

export interface ErrorVector {
  name: string;
  bytes: Buffer;
  code: OfCodecErrorCode;
  /** The OpenFlow error (type, code) the codec error maps to, when the vector pins it. */
  of?: readonly [number, number];
}

/** Hex pieces (spaces allowed), one per field, joined into one Buffer. */
export function hex(...pieces: string[]): Buffer {
  const s = pieces.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex in vector: ${s}`);
  return Buffer.from(s, 'hex');
}

/** Hex of a string NUL-padded to a fixed field size. */
export function str(s: string, size: number): string {
  return Buffer.from(s, 'latin1').toString('hex').padEnd(size * 2, '0');
}

/** Hex of n zero bytes. */
export function zeros(n: number): string {
  return '00'.repeat(n);
}

export const OVS = 'captured from Open vSwitch 3.1.0 (dummy datapath, test/vectors/openflow/ovs-capture.ts)';
