/** The reply channel that `ask` attaches to the message it delivers. */
export interface Reply<R = unknown> {
  resolve(value: R): void;
  reject(error: unknown): void;
  readonly settled: boolean;
}

/** Answers an asked message, if it was asked. Safe to call more than once. */
export function reply<R>(message: { replyTo?: Reply<R> } | undefined, value: R): void {
  const r = message?.replyTo;
  if (r && !r.settled) r.resolve(value);
}

/** Fails an asked message, if it was asked. */
export function replyError(message: { replyTo?: Reply<unknown> } | undefined, error: unknown): void {
  const r = message?.replyTo;
  if (r && !r.settled) r.reject(error);
}
