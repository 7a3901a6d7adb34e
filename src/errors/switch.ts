import { LatticeError } from './base.js';
import { ErrorCode } from './codes.js';

/**
 * Failures of the southbound: a switch that is not there, that does not
 * answer, or that refuses what it was sent. HTTP statuses in `http-status.ts`.
 */

/** No connected switch with this dpid (Kytos-ng answers 424 for a disconnected switch). */
export class SwitchNotConnectedError extends LatticeError {
  readonly dpid: string;
  constructor(dpid: string) {
    super(ErrorCode.SwitchNotConnected, `switch ${dpid} is not connected`, { dpid });
    this.dpid = dpid;
  }
}

/** How a request to a connected switch can fail. */
export type SwitchRequestErrorCode =
  /** The switch answered OFPT_ERROR (errType/errCode/data set). */
  | typeof ErrorCode.SwitchError
  /** The switch answered OFPT_ERROR of a class that blames the request (BAD_ACTION, BAD_INSTRUCTION, BAD_MATCH). */
  | typeof ErrorCode.SwitchInvalidRequest
  /** No answer within the request's timeout. */
  | typeof ErrorCode.SwitchTimeout
  /** The connection closed before the answer came. */
  | typeof ErrorCode.SwitchDisconnected
  /** The connection has not finished its handshake. */
  | typeof ErrorCode.SwitchNotReady
  /** The request could not be sent at all (no message, or a message that cannot be encoded). */
  | typeof ErrorCode.SwitchMessageInvalid;

export interface SwitchRequestDetails {
  xid?: number;
  /** Which of the request's messages the OFPT_ERROR answers (its position in the request). */
  index?: number;
  /** OFPT_ERROR type and code, when the switch answered one. */
  errType?: number;
  errCode?: number;
  data?: Buffer;
  connectionId?: string;
  /** The HTTP description, set for OFPT_ERROR: `{error_type, error_code}`. */
  description?: { error_type: number; error_code: number };
}

export class SwitchRequestError extends LatticeError {
  declare readonly code: SwitchRequestErrorCode;
  declare readonly details: SwitchRequestDetails & Record<string, unknown>;

  constructor(code: SwitchRequestErrorCode, message: string, details: SwitchRequestDetails = {}, options?: { cause?: unknown }) {
    super(code, message, { ...details }, options);
  }

  /**
   * The switch answered OFPT_ERROR. `requestFault` says whether its error type
   * blames the request (the caller decides, from the OpenFlow error classes).
   */
  static rejected(
    errType: number,
    errCode: number,
    requestFault: boolean,
    fields: { xid?: number; index?: number; data?: Buffer; connectionId?: string } = {},
  ): SwitchRequestError {
    return new SwitchRequestError(
      requestFault ? ErrorCode.SwitchInvalidRequest : ErrorCode.SwitchError,
      `switch answered OFPT_ERROR type ${errType} code ${errCode}`,
      { ...fields, errType, errCode, description: { error_type: errType, error_code: errCode } },
    );
  }
}
