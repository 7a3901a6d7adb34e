/**
 * Typed errors of the store port. Every class has a stable `code`; the HTTP
 * layer maps them (STORE_UNAVAILABLE and STORE_CLOSED -> 503 + Retry-After,
 * STORE_INVALID -> 400, STORE_FAILED -> 500, CONFLICT -> 409).
 */

import { ErrorCode, LatticeError } from '../errors/index.js';

export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_CLOSED' | 'STORE_INVALID' | 'STORE_FAILED' | 'CONFLICT';

/** The base of the store's errors: a LatticeError, so its code maps through the one HTTP table. */
export abstract class StoreError extends LatticeError {
  abstract override readonly code: StoreErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    // Each subclass sets its own `code` (a class field, assigned right after this constructor).
    super(ErrorCode.StoreFailed, message, {}, options);
  }
}

/**
 * The database cannot be reached (at start-up or after an outage). The write
 * was NOT acknowledged: the caller may retry after `retryAfterSeconds`. (When
 * the connection broke mid-request the outcome is unknown: the write may or
 * may not have been applied, exactly as with any remote database.)
 */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'STORE_UNAVAILABLE' as const;
  readonly retryAfterSeconds: number;
  readonly backend: 'embedded' | 'mongodb';
  constructor(
    message: string,
    fields: { backend: 'embedded' | 'mongodb'; retryAfterSeconds?: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.backend = fields.backend;
    this.retryAfterSeconds = fields.retryAfterSeconds ?? 1;
  }
}

/** The store was closed by its owner; no further operation is possible. */
export class StoreClosedError extends StoreError {
  override readonly name = 'StoreClosedError';
  readonly code = 'STORE_CLOSED' as const;
  constructor() {
    super('the store is closed');
  }
}

/** The caller passed something the store refuses (bad key, name, size, index). */
export class StoreValidationError extends StoreError {
  override readonly name = 'StoreValidationError';
  readonly code = 'STORE_INVALID' as const;
  readonly collection: string | undefined;
  constructor(message: string, fields: { collection?: string } = {}) {
    super(message);
    this.collection = fields.collection;
  }
}

/** The database refused the operation for a reason that is not transient. */
export class StoreOperationError extends StoreError {
  override readonly name = 'StoreOperationError';
  readonly code = 'STORE_FAILED' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A conditional write lost: `create()` found the key taken, or a write would
 * give a unique index value a second document. Nothing was written. Its code
 * is the shared `CONFLICT` (HTTP 409).
 */
export class StoreConflictError extends StoreError {
  override readonly name = 'StoreConflictError';
  readonly code = 'CONFLICT' as const;
  readonly collection: string;
  /** The key `create()` found taken, or the unique index that refused the value. */
  readonly key: string | undefined;
  readonly index: string | undefined;
  constructor(message: string, fields: { collection: string; key?: string; index?: string }, options?: { cause?: unknown }) {
    super(message, options);
    this.collection = fields.collection;
    this.key = fields.key;
    this.index = fields.index;
  }
}
