/** Sorting MongoDB driver errors: connection trouble, transient server refusals, or real failures. */
import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

// Socket errors the driver sometimes passes through unwrapped (e.g. EPIPE "This socket
// has been ended by the other party" when the server died between two writes).
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ENOTCONN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The server cannot be reached (or the pool was cleared): the store is down. */
export function isConnectionError(err: unknown): boolean {
  return (
    SOCKET_CODES.has(String((err as { code?: unknown } | null)?.code)) ||
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError ||
    (err instanceof MongoBulkWriteError && (err.hasErrorLabel('ResetPool') || isConnectionError(wrapped(err))))
  );
}

/**
 * The driver error a bulk write wrapped (a network or server-selection error, e.g. "connect
 * ECONNREFUSED" while the server is down), kept as `errorResponse`; none for a refused write.
 */
function wrapped(err: MongoBulkWriteError): unknown {
  const inner: unknown = err.errorResponse;
  return inner instanceof Error && inner !== err && !(inner instanceof MongoBulkWriteError) ? inner : undefined;
}

// Server codes worth a retry: shutdown/step-down/not-primary/host trouble, write conflicts.
const TRANSIENT_CODES = new Set([6, 7, 89, 91, 112, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** A refusal that a retry may cure (the server is reachable). */
export function isTransientServerError(err: unknown): boolean {
  if (!(err instanceof MongoServerError)) return false;
  if (err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('TransientTransactionError')) return true;
  // E11000 on an upsert: two upserts of one new _id raced; the retry updates.
  return TRANSIENT_CODES.has(Number(err.code)) || err.code === 11000;
}

/** Prefix of the name of a unique index the adapter creates (`lattice_unique_<field>`). */
export const UNIQUE_INDEX_PREFIX = 'lattice_unique_';

// FerretDB 1.x (SQLite) refuses an update that breaks a unique index with InternalError (1)
// "UNIQUE constraint failed: index '<collection>_<hash>_lattice_unique_<field>'".
const SQLITE_UNIQUE = /UNIQUE constraint failed: index '[^']*'/;

/** A duplicate-key refusal (E11000), of a single write or of the first failed statement of a bulk write. */
export function isDuplicateKey(err: unknown): boolean {
  if (err instanceof MongoBulkWriteError) {
    return (([] as unknown[]).concat(err.writeErrors)[0] as { code?: unknown } | undefined)?.code === 11000;
  }
  if (!(err instanceof MongoServerError)) return false;
  return err.code === 11000 || (err.code === 1 && SQLITE_UNIQUE.test(String(err.errmsg ?? err.message)));
}

/**
 * Which index refused a duplicate key, when the server says so: `_id` for a
 * taken key, or the field of one of our unique indexes. MongoDB names the
 * index; FerretDB 1.x does not (undefined: the caller must look).
 */
export function duplicateKeyIndex(err: unknown): string | undefined {
  if (!isDuplicateKey(err)) return undefined;
  const e = err as { keyPattern?: unknown; errmsg?: unknown; message?: unknown; writeErrors?: unknown };
  if (e.keyPattern && typeof e.keyPattern === 'object' && Object.keys(e.keyPattern).length === 1) {
    return Object.keys(e.keyPattern)[0];
  }
  const first = err instanceof MongoBulkWriteError ? (([] as unknown[]).concat(err.writeErrors)[0] as { errmsg?: unknown }) : e;
  const msg = String(first.errmsg ?? e.message ?? '');
  const m = new RegExp(`index:? '?(?:[^ ']*_)?(?:${UNIQUE_INDEX_PREFIX}([A-Za-z0-9_.-]+)|(_id_))`).exec(msg);
  return m ? (m[1] ?? '_id') : undefined;
}

export function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
