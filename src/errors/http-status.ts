import { LatticeError } from './base.js';
import { ErrorCode, type ErrorCodeValue } from './codes.js';

/**
 * The one table that maps an error code to an HTTP status. Typed over every
 * code, so a code without a status does not compile.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCodeValue, number>> = Object.freeze({
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.InvalidJson]: 400,
  [ErrorCode.BodyTooComplex]: 400,
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.ActorNotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.NAppNotInstalled]: 400,
  [ErrorCode.ConfigInvalid]: 500,
  [ErrorCode.NAppManifestInvalid]: 500,
  [ErrorCode.NAppDependencyMissing]: 500,
  [ErrorCode.NAppFailed]: 500,
  [ErrorCode.Internal]: 500,
  [ErrorCode.MailboxFull]: 503,
  [ErrorCode.ShuttingDown]: 503,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.StoreUnavailable]: 503,
  [ErrorCode.StoreClosed]: 503,
  [ErrorCode.StoreInvalid]: 400,
  [ErrorCode.StoreFailed]: 500,
  [ErrorCode.ActorExists]: 500,
  [ErrorCode.ActorStopped]: 503,
  [ErrorCode.AskTimeout]: 504,
  // Southbound. 424 is Kytos-ng's status for a switch that is not there.
  [ErrorCode.SwitchNotConnected]: 424,
  [ErrorCode.SwitchNotReady]: 424,
  [ErrorCode.SwitchDisconnected]: 424,
  [ErrorCode.SwitchTimeout]: 504,
  [ErrorCode.SwitchError]: 502,
  [ErrorCode.SwitchInvalidRequest]: 400,
  [ErrorCode.SwitchMessageInvalid]: 500,
  [ErrorCode.FrameTooShort]: 502,
  [ErrorCode.FrameTooLong]: 502,
});

/** Codes whose responses carry `Retry-After` (seconds). */
export const RETRY_AFTER_SECONDS: Readonly<Partial<Record<ErrorCodeValue, number>>> = Object.freeze({
  [ErrorCode.MailboxFull]: 1,
  [ErrorCode.RateLimited]: 1,
  [ErrorCode.ShuttingDown]: 5,
  [ErrorCode.ServiceUnavailable]: 1,
  [ErrorCode.StoreUnavailable]: 2,
  [ErrorCode.StoreClosed]: 5,
  [ErrorCode.ActorStopped]: 1,
});

export interface HttpErrorView {
  status: number;
  /** Kytos-compatible body: `{"description": ..., "code": status}`. */
  body: { description: unknown; code: number };
  retryAfter?: number;
}

const INTERNAL: HttpErrorView = Object.freeze({
  status: 500,
  body: Object.freeze({ description: 'Internal server error', code: 500 }),
}) as HttpErrorView;

/**
 * Turns any thrown value into the HTTP view of it. Only a LatticeError whose
 * code is in the table has a status of its own; anything else (a plain Error,
 * an object that merely has a `code`) becomes a bare 500 that never carries a
 * stack trace or the original message.
 */
export function toHttpError(error: unknown): HttpErrorView {
  if (!(error instanceof LatticeError)) return { status: INTERNAL.status, body: { ...INTERNAL.body } };
  if (!Object.hasOwn(HTTP_STATUS, error.code)) return { status: INTERNAL.status, body: { ...INTERNAL.body } };
  const status = HTTP_STATUS[error.code as ErrorCodeValue];
  const description = error.details.description !== undefined ? error.details.description : error.message;
  const view: HttpErrorView = { status, body: { description, code: status } };
  const retry = Object.hasOwn(RETRY_AFTER_SECONDS, error.code) ? RETRY_AFTER_SECONDS[error.code as ErrorCodeValue] : undefined;
  if (retry !== undefined) view.retryAfter = retry;
  return view;
}
