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
    // bulkWrite wraps a network error into MongoBulkWriteError, copying its fields
    (err instanceof MongoBulkWriteError && ('beforeHandshake' in err || err.hasErrorLabel('ResetPool')))
  );
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

export function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
