/** The CLI's exit codes (README table). */
export const EXIT = {
  OK: 0,
  /** Bad command line: unknown command, missing argument, unreadable file. */
  USAGE: 1,
  /** The server answered 4xx (other than 401/403): a bad request, a route that does not exist (yet). */
  CLIENT_ERROR: 2,
  /** The server answered 5xx. */
  SERVER_ERROR: 3,
  /** No answer: connection refused, DNS, timeout. */
  UNREACHABLE: 4,
  /** The server answered 401 or 403: a missing, bad or insufficient token (LATTICE_TOKEN). */
  AUTH: 5,
  /** import-kytos: documents that cannot be mapped; nothing was written. */
  IMPORT_REFUSED: 6,
  /** import-kytos: a controller is running on the store. */
  STORE_IN_USE: 7,
  /** backup/restore refused or failed: the store in use, a damaged file, no store. */
  LOCAL: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure that ends the command with an exit code and a message for stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usage = (message: string): CliError => new CliError(message, EXIT.USAGE);

/** The exit code of an HTTP status the server answered with. */
export function exitCodeOf(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.AUTH;
  if (status >= 500) return EXIT.SERVER_ERROR;
  if (status >= 400) return EXIT.CLIENT_ERROR;
  return EXIT.OK;
}
