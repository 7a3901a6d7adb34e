/**
 * Every failure Lattice reports is a LatticeError: a stable `code`, structured
 * `details`, and an optional `cause`. The HTTP status is never stored on the
 * error; it comes from the one table in `http-status.ts`.
 */
export class LatticeError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}
