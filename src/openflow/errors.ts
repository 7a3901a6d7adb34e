/**
 * The codec's one error class. Decoding throws nothing else: every malformed
 * input becomes an OfCodecError with a stable `code` and the OpenFlow error
 * (`ofType`/`ofCode`) a switch connection should answer with in an OFPT_ERROR.
 */
import { OFPET, OFPBRC, OFPBMC, OFPBAC, OFPBIC, OFPHFC } from './constants.js';

export type OfCodecErrorCode =
  | 'SHORT_HEADER' // fewer than 8 bytes
  | 'BAD_LENGTH' // header length disagrees with the frame, or is < 8 / > 65535
  | 'BAD_VERSION' // not OpenFlow 1.3 (0x04) where 1.3 is required
  | 'BAD_TYPE' // unknown type where the codec cannot fall back to raw
  | 'ZERO_LENGTH_TLV' // a sub-record whose length field is 0 (would loop)
  | 'TRUNCATED' // a length points past the available data
  | 'BAD_FIELD' // a field value the wire format cannot carry
  | 'BAD_MATCH' // ofp_match / OXM structure malformed
  | 'BAD_ACTION' // action header or body malformed
  | 'BAD_INSTRUCTION' // instruction header or body malformed
  | 'MULTIPART_MISMATCH'; // a continued multipart reply changed its type

/** Default OpenFlow error (type, code) for each codec error code. */
const DEFAULT_OF_ERROR: Record<OfCodecErrorCode, readonly [number, number]> = {
  SHORT_HEADER: [OFPET.BAD_REQUEST, OFPBRC.BAD_LEN],
  BAD_LENGTH: [OFPET.BAD_REQUEST, OFPBRC.BAD_LEN],
  BAD_VERSION: [OFPET.BAD_REQUEST, OFPBRC.BAD_VERSION],
  BAD_TYPE: [OFPET.BAD_REQUEST, OFPBRC.BAD_TYPE],
  ZERO_LENGTH_TLV: [OFPET.BAD_REQUEST, OFPBRC.BAD_LEN],
  TRUNCATED: [OFPET.BAD_REQUEST, OFPBRC.BAD_LEN],
  BAD_FIELD: [OFPET.BAD_REQUEST, OFPBRC.BAD_LEN],
  BAD_MATCH: [OFPET.BAD_MATCH, OFPBMC.BAD_LEN],
  BAD_ACTION: [OFPET.BAD_ACTION, OFPBAC.BAD_LEN],
  BAD_INSTRUCTION: [OFPET.BAD_INSTRUCTION, OFPBIC.BAD_LEN],
  MULTIPART_MISMATCH: [OFPET.BAD_REQUEST, OFPBRC.BAD_MULTIPART],
};

/** The OpenFlow error (type, code) a codec error code maps to by default. */
export function ofErrorFor(code: OfCodecErrorCode): { ofType: number; ofCode: number } {
  const [ofType, ofCode] = DEFAULT_OF_ERROR[code];
  return { ofType, ofCode };
}

export interface OfCodecErrorOptions {
  /** OpenFlow error type to answer with (defaults by `code`). */
  ofType?: number;
  /** OpenFlow error code to answer with (defaults by `code`). */
  ofCode?: number;
  cause?: unknown;
}

export class OfCodecError extends Error {
  override readonly name = 'OfCodecError';
  readonly code: OfCodecErrorCode;
  /** OFPET_* of the OFPT_ERROR that answers this input. */
  readonly ofType: number;
  /** Error code within `ofType` (OFPBRC_*, OFPBMC_*, ...). */
  readonly ofCode: number;

  constructor(code: OfCodecErrorCode, message: string, options: OfCodecErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    const [t, c] = DEFAULT_OF_ERROR[code];
    this.ofType = options.ofType ?? t;
    this.ofCode = options.ofCode ?? c;
  }
}

/** HELLO_FAILED/INCOMPATIBLE: what a connection sends when versions do not meet. */
export const HELLO_INCOMPATIBLE = { ofType: OFPET.HELLO_FAILED, ofCode: OFPHFC.INCOMPATIBLE } as const;

export function isOfCodecError(e: unknown): e is OfCodecError {
  return e instanceof OfCodecError;
}
