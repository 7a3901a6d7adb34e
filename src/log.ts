import { pino, type DestinationStream, type Logger } from 'pino';

/** `scheme://user:password@` in a connection string. */
const CREDENTIALS_IN_URI = /([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+:[^/@\s]+@/gi;
/** A JWT-looking string (three base64url parts, the first a JSON header). */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Hides credentials a message may quote (a MongoDB URI, a token). */
export function scrub(text: string): string {
  return text.replace(CREDENTIALS_IN_URI, '$1***@').replace(JWT, '[token]');
}

/**
 * The controller's logger: JSON lines; errors logged as `{type, message,
 * code}` (scrubbed), with the stack only when the level is debug or trace;
 * fields that may hold a secret are redacted wherever they appear.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const verbose = level === 'debug' || level === 'trace';
  const options = {
    level,
    base: { app: 'lattice' },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'jwtSecret', '*.jwtSecret'],
      censor: '[redacted]',
    },
    serializers: {
      err: (err: unknown) => {
        if (!(err instanceof Error)) return { message: scrub(String(err)) };
        const out: Record<string, unknown> = { type: err.name, message: scrub(err.message) };
        const code = (err as { code?: unknown }).code;
        if (code !== undefined) out.code = code;
        if (verbose && err.stack) out.stack = scrub(err.stack);
        return out;
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
