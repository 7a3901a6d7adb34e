import { randomBytes } from 'node:crypto';

/**
 * How a bigint travels through JSON.parse and JSON.stringify, which know no
 * bigint: as a string made of this tag and its digits. The tag starts with NUL
 * and holds 128 random bits drawn per process, so no client can send a string
 * that starts with it, and no string of theirs is ever mistaken for a bigint.
 */
export const BIGINT_TAG = `\u0000${randomBytes(16).toString('hex')}:`;

/** The tag as JSON text writes it, opening quote included: `"\u0000<hex>:`. */
export const BIGINT_TAG_JSON = `"\\u0000${BIGINT_TAG.slice(1)}`;
