import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * API tokens: JSON Web Tokens signed with HS256, the one algorithm accepted.
 * Kytos-ng's claims (`username`, `iss`, `exp`) plus `uid` (the user's stable
 * id: a renamed user cannot inherit old tokens), `iat` and the signing key's
 * id in the header (`kid`), so that a rotated key is told apart from a forged
 * token. Pure: the time is a parameter.
 */

/** Kytos-ng's issuer, kept so that its clients read the same token. */
export const TOKEN_ISSUER = 'Kytos NApps Server';

export interface TokenClaims {
  username: string;
  uid: string;
  iss: string;
  /** Seconds since the epoch. */
  iat: number;
  /** Seconds since the epoch. */
  exp: number;
  /** The user's token generation when issued (raised by a password change); absent: 0. */
  gen?: number;
}

export interface SigningKey {
  /** Derived from the secret (`keyId`), never the secret itself. */
  kid: string;
  secret: Buffer;
  /** Epoch ms after which tokens signed with this key are refused (a retired key's grace). */
  notAfterMs?: number;
}

/** The current key signs; previous keys only verify, each until its `notAfterMs`. */
export interface KeyRing {
  current: SigningKey;
  previous: SigningKey[];
}

export type VerifyResult = { ok: true; claims: TokenClaims; kid: string } | { ok: false; reason: string };

/** Tolerated clock skew for `iat` in the future, in seconds. */
const IAT_SKEW_S = 60;

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A short public id of a secret: a hash prefix, so the secret cannot be recovered from it. */
export function keyId(secret: Buffer | string): string {
  return createHash('sha256').update('lattice-jwt-kid\0').update(secret).digest('base64url').slice(0, 12);
}

export function makeKey(secret: Buffer | string, notAfterMs?: number): SigningKey {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  return { kid: keyId(bytes), secret: bytes, ...(notAfterMs !== undefined ? { notAfterMs } : {}) };
}

function mac(secret: Buffer, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

export function signToken(claims: TokenClaims, key: SigningKey): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  const input = `${header}.${payload}`;
  return `${input}.${b64url(mac(key.secret, input))}`;
}

/** Claims for a user now, expiring after `ttlSeconds`. */
export function claimsFor(user: { username: string; uid: string; generation?: number }, nowMs: number, ttlSeconds: number): TokenClaims {
  const iat = Math.floor(nowMs / 1000);
  const claims: TokenClaims = { username: user.username, uid: user.uid, iss: TOKEN_ISSUER, iat, exp: iat + ttlSeconds };
  if (user.generation) claims.gen = user.generation;
  return claims;
}

function parseJson(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a token: HS256 only (`none` and every other `alg` refused), a known
 * `kid` whose key is still accepted, the signature in constant time, then the
 * claims (`exp` in the future, `iat` not in the future, Kytos-ng's issuer,
 * string `username` and `uid`). Reasons are short and never echo the token.
 */
export function verifyToken(token: string, keys: KeyRing, nowMs: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'Not enough segments' };
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h);
  if (!header) return { ok: false, reason: 'Invalid header' };
  if (header.alg !== 'HS256') return { ok: false, reason: 'The specified alg value is not allowed' };
  if (typeof header.kid !== 'string') return { ok: false, reason: 'Unknown signing key' };
  const key = [keys.current, ...keys.previous].find((k) => k.kid === header.kid);
  if (!key) return { ok: false, reason: 'Unknown signing key' };
  if (key.notAfterMs !== undefined && nowMs > key.notAfterMs) return { ok: false, reason: 'Signing key retired' };
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return { ok: false, reason: 'Signature verification failed' };
  const given = Buffer.from(s, 'base64url');
  const expected = mac(key.secret, `${h}.${p}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'Signature verification failed' };
  const payload = parseJson(p);
  if (!payload) return { ok: false, reason: 'Invalid payload' };
  const { username, uid, iss, iat, exp, gen } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, reason: 'Token has no expiry' };
  const now = nowMs / 1000;
  if (exp <= now) return { ok: false, reason: 'Signature has expired' };
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return { ok: false, reason: 'Token has no issue time' };
  if (iat > now + IAT_SKEW_S) return { ok: false, reason: 'The token is not yet valid (iat)' };
  if (iss !== TOKEN_ISSUER) return { ok: false, reason: 'Invalid issuer' };
  if (typeof username !== 'string' || typeof uid !== 'string') return { ok: false, reason: 'Token has no user' };
  if (gen !== undefined && !(Number.isSafeInteger(gen) && (gen as number) >= 0)) return { ok: false, reason: 'Invalid token generation' };
  const claims: TokenClaims = { username, uid, iss, iat, exp };
  if (gen !== undefined) claims.gen = gen as number;
  return { ok: true, claims, kid: key.kid };
}
