/** How a request to a switch can fail. Stable `code`s; structured fields; no text parsing. */
export type SwitchRequestErrorCode =
  /** The switch answered with OFPT_ERROR (errType/errCode/data set). */
  | 'SWITCH_ERROR'
  /** No answer within the request's timeout. */
  | 'SWITCH_TIMEOUT'
  /** The connection closed before the answer came. */
  | 'SWITCH_DISCONNECTED'
  /** The connection has not finished its handshake. */
  | 'SWITCH_NOT_READY'
  /** The request itself was unusable (e.g. no message). */
  | 'SWITCH_BAD_REQUEST';

export class SwitchRequestError extends Error {
  override readonly name = 'SwitchRequestError';
  constructor(
    readonly code: SwitchRequestErrorCode,
    message: string,
    readonly details: { xid?: number; index?: number; errType?: number; errCode?: number; data?: Buffer; connectionId?: string } = {},
  ) {
    super(message);
  }
}
