/** Stable error codes. Each one has exactly one HTTP status in `http-status.ts`. */
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  InvalidJson: 'INVALID_JSON',
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthorized: 'UNAUTHORIZED',
  NotFound: 'NOT_FOUND',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  Conflict: 'CONFLICT',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  MailboxFull: 'MAILBOX_FULL',
  AskTimeout: 'ASK_TIMEOUT',
  ActorNotFound: 'ACTOR_NOT_FOUND',
  ActorStopped: 'ACTOR_STOPPED',
  ShuttingDown: 'SHUTTING_DOWN',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  StoreUnavailable: 'STORE_UNAVAILABLE',
  ConfigInvalid: 'CONFIG_INVALID',
  NAppManifestInvalid: 'NAPP_MANIFEST_INVALID',
  NAppDependencyMissing: 'NAPP_DEPENDENCY_MISSING',
  NAppNotInstalled: 'NAPP_NOT_INSTALLED',
  NAppFailed: 'NAPP_FAILED',
  Internal: 'INTERNAL',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];
