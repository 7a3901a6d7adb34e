import { LatticeError } from './base.js';
import { ErrorCode } from './codes.js';

/** The one table that maps an error code to an HTTP status. */
export const HTTP_STATUS: Readonly<Record<string, number>> = Object.freeze({
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.InvalidJson]: 400,
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
});

/** Codes whose responses carry `Retry-After` (seconds). */
export const RETRY_AFTER_SECONDS: Readonly<Record<string, number>> = Object.freeze({
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

function hasCode(error: unknown): error is { code: string; message: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * Turns any thrown value into the HTTP view of it. Unknown errors become a
 * bare 500 that never carries a stack trace or the original message.
 */
export function toHttpError(error: unknown): HttpErrorView {
  if (hasCode(error) && HTTP_STATUS[error.code] !== undefined) {
    const status = HTTP_STATUS[error.code]!;
    const description =
      error instanceof LatticeError && error.details.description !== undefined ? error.details.description : error.message;
    const view: HttpErrorView = { status, body: { description, code: status } };
    const retry = RETRY_AFTER_SECONDS[error.code];
    if (retry !== undefined) view.retryAfter = retry;
    return view;
  }
  return { status: 500, body: { description: 'Internal server error', code: 500 } };
}
