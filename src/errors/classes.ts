import { LatticeError } from './base.js';
import { ErrorCode } from './codes.js';

/**
 * An error whose HTTP description is an arbitrary JSON value (Kytos sometimes
 * answers `{"description": {"response": "dpid not found."}}`).
 */
export class HttpError extends LatticeError {
  constructor(code: string, description: unknown) {
    super(code, typeof description === 'string' ? description : JSON.stringify(description), { description });
  }
}

export class BadRequestError extends HttpError {
  constructor(description: unknown = 'Bad request') {
    super(ErrorCode.BadRequest, description);
  }
}

export class InvalidJsonError extends LatticeError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.InvalidJson, `Invalid json: ${reason}`, {}, options);
  }
}

/**
 * A request body nested deeper, or holding more elements, than a configured
 * limit allows. Refused while decoding, before any code walks the document.
 */
/** What a body over each decoding limit does, in its 400's message. */
const TOO_COMPLEX = {
  'http.maxJsonDepth': 'nests deeper than',
  'http.maxJsonElements': 'holds more elements than',
  'http.maxJsonKeys': 'has an object with more keys than',
  'http.maxJsonStringBytes': 'has a string longer than',
} as const;

export class BodyTooComplexError extends LatticeError {
  constructor(limit: keyof typeof TOO_COMPLEX, max: number) {
    const what = TOO_COMPLEX[limit];
    super(ErrorCode.BodyTooComplex, `Request body ${what} ${limit} (${max})`, { limit, max });
  }
}

export class ValidationError extends LatticeError {
  constructor(message: string, field: string) {
    super(
      ErrorCode.ValidationFailed,
      `The request body contains invalid API data., ${message} for field ${field}.`,
      { field },
    );
  }
}

export class NotFoundError extends HttpError {
  constructor(description: unknown = 'Not Found') {
    super(ErrorCode.NotFound, description);
  }
}

export class ConflictError extends HttpError {
  constructor(description: unknown) {
    super(ErrorCode.Conflict, description);
  }
}

/** A login or a credential refused (the token failures of a route answer Kytos-ng's own shape instead). */
export class UnauthorizedError extends HttpError {
  constructor(description: unknown = 'Unauthorized') {
    super(ErrorCode.Unauthorized, description);
  }
}

/** A valid user whose role does not allow this route. */
export class ForbiddenError extends HttpError {
  constructor(description: unknown = 'Forbidden') {
    super(ErrorCode.Forbidden, description);
  }
}

/** A peer over its request rate (`http.rateLimitPerSecond`). */
export class RateLimitedError extends LatticeError {
  constructor() {
    super(ErrorCode.RateLimited, 'Too many requests from this address');
  }
}

export class MethodNotAllowedError extends LatticeError {
  constructor(method: string, path: string) {
    super(ErrorCode.MethodNotAllowed, 'Method Not Allowed', { method, path });
  }
}

export class PayloadTooLargeError extends LatticeError {
  constructor(limit: number) {
    super(ErrorCode.PayloadTooLarge, `Request body is larger than the limit of ${limit} bytes`, { limit });
  }
}

export class UnsupportedMediaTypeError extends LatticeError {
  constructor(got: string) {
    super(ErrorCode.UnsupportedMediaType, `Expected Content-Type: application/json, got: ${got || 'nothing'}`, { got });
  }
}

export class MailboxFullError extends LatticeError {
  constructor(actor: string, capacity: number) {
    super(ErrorCode.MailboxFull, `Actor ${actor} is busy (mailbox of ${capacity} is full)`, { actor, capacity });
  }
}

export class AskTimeoutError extends LatticeError {
  constructor(actor: string, messageType: string, timeoutMs: number) {
    super(ErrorCode.AskTimeout, `No reply from ${actor} to ${messageType} within ${timeoutMs} ms`, {
      actor,
      messageType,
      timeoutMs,
    });
  }
}

export class ActorNotFoundError extends LatticeError {
  constructor(actor: string) {
    super(ErrorCode.ActorNotFound, `No actor named ${actor}`, { actor });
  }
}

export class ActorStoppedError extends LatticeError {
  constructor(actor: string) {
    super(ErrorCode.ActorStopped, `Actor ${actor} stopped before replying`, { actor });
  }
}

export class ShuttingDownError extends LatticeError {
  constructor() {
    super(ErrorCode.ShuttingDown, 'The controller is shutting down');
  }
}

export class ConfigError extends LatticeError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCode.ConfigInvalid, message, details);
  }
}

export class NAppManifestError extends LatticeError {
  constructor(napp: string, message: string) {
    super(ErrorCode.NAppManifestInvalid, `NApp ${napp}: ${message}`, { napp });
  }
}

export class NAppDependencyError extends LatticeError {
  constructor(napp: string, missing: string) {
    super(ErrorCode.NAppDependencyMissing, `NApp ${napp} depends on ${missing}, which is not enabled`, {
      napp,
      missing,
    });
  }
}

export class NAppFailedError extends LatticeError {
  constructor(napp: string, options?: { cause?: unknown }) {
    super(ErrorCode.NAppFailed, `NApp ${napp} failed to start`, { napp }, options);
  }
}

export class NAppNotInstalledError extends LatticeError {
  constructor(id: string) {
    super(ErrorCode.NAppNotInstalled, `NApp ${id} is not installed`, { napp: id });
  }
}
