import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords, hashed as Kytos-ng hashes them: scrypt over the UTF-8 password,
 * a 16-byte random salt, N=8192, r=8, p=1, a 64-byte key stored as hex. The
 * parameters live in each user document (`hash: {salt, n, r, p}`), so a
 * document imported from Kytos-ng verifies with its own parameters.
 */

export interface ScryptParams {
  salt: Buffer;
  n: number;
  r: number;
  p: number;
}

/** Kytos-ng's parameters (`HashSubDoc`). */
export const DEFAULT_SCRYPT = { n: 8192, r: 8, p: 1 } as const;
/** Kytos-ng uses hashlib's default key length. */
export const KEY_LENGTH = 64;

/** Bounds on stored parameters, so that a hostile document cannot make a login cost seconds or gigabytes. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

function scrypt(password: string, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.n, r: params.r, p: params.p, maxmem: 256 * params.n * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(Buffer.from(password, 'utf8'), params.salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * A salt as stored: bytes (Kytos-ng's BSON binary, a Buffer or Uint8Array, a
 * `{buffer}` wrapper) or the hex string Lattice writes into its own documents.
 */
export function saltBytes(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string' && /^(?:[0-9a-f]{2})+$/i.test(value)) return Buffer.from(value, 'hex');
  if (typeof value === 'object' && value !== null) {
    const inner = (value as { buffer?: unknown }).buffer;
    if (inner instanceof Uint8Array) return Buffer.from(inner);
  }
  return undefined;
}

/** A stored `hash` sub-document read into parameters, or undefined when it is unusable. */
export function readParams(hash: unknown): ScryptParams | undefined {
  if (typeof hash !== 'object' || hash === null) return undefined;
  const h = hash as Record<string, unknown>;
  const salt = saltBytes(h.salt);
  const { n, r, p } = h;
  if (!salt || salt.length === 0) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0) return undefined;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > MAX_R) return undefined;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > MAX_P) return undefined;
  return { salt, n, r, p };
}

export interface StoredPassword {
  /** Hex of the derived key. */
  password: string;
  /** The salt as hex (Lattice's own documents). */
  hash: { salt: string; n: number; r: number; p: number };
}

/** Hashes a new password with a fresh salt and Kytos-ng's parameters. */
export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<StoredPassword> {
  const key = await scrypt(password, { salt, ...DEFAULT_SCRYPT });
  return { password: key.toString('hex'), hash: { salt: salt.toString('hex'), ...DEFAULT_SCRYPT } };
}

/** Whether `password` matches the stored hex key under the stored parameters; compared in constant time. */
export async function verifyPassword(password: string, stored: string, params: ScryptParams): Promise<boolean> {
  const key = await scrypt(password, params);
  if (typeof stored !== 'string' || !/^(?:[0-9a-f]{2})+$/i.test(stored)) return false;
  const expected = Buffer.from(stored, 'hex');
  return expected.length === key.length && timingSafeEqual(expected, key);
}

/** One fixed salt for the dummy work an unknown user costs. */
const DUMMY: ScryptParams = { salt: Buffer.alloc(16, 0x5a), ...DEFAULT_SCRYPT };

/**
 * The same scrypt a real login runs, for a user that does not exist (or is
 * inactive), so that the answer takes as long either way. Always false.
 */
export async function dummyVerify(password: string): Promise<false> {
  await scrypt(password, DUMMY);
  return false;
}
