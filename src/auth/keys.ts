import { randomBytes } from 'node:crypto';
import type { Store } from '../store/ports.js';
import { makeKey, type KeyRing, type SigningKey } from './jwt.js';

export interface KeyConfig {
  /** `auth.jwtSecret`; empty: a random secret made on first start and kept in the store. */
  jwtSecret: string;
  /** `auth.jwtPreviousSecret`: the secret before a rotation, still accepted for a while. */
  jwtPreviousSecret: string;
  /** `auth.jwtPreviousSecretUntil`: ISO time until which the previous secret is accepted; empty: start + token lifetime. */
  jwtPreviousSecretUntil: string;
  tokenExpirationMinutes: number;
}

interface SecretDoc {
  id: string;
  secret: string;
}

/** Builds the key ring: the current secret signs, the previous one verifies until its grace ends. */
export async function loadKeyRing(config: KeyConfig, store: Store, nowMs: number): Promise<KeyRing> {
  let secret = config.jwtSecret;
  if (secret === '') {
    // A generated secret lives in the store, so tokens survive a restart.
    const secrets = store.collection<SecretDoc>('lattice.secrets', { key: 'id' });
    const found = await secrets.get('jwt');
    if (found) secret = found.secret;
    else {
      secret = randomBytes(32).toString('base64url');
      await secrets.put({ id: 'jwt', secret });
    }
  }
  const previous: SigningKey[] = [];
  if (config.jwtPreviousSecret !== '') {
    const until = config.jwtPreviousSecretUntil === '' ? nowMs + config.tokenExpirationMinutes * 60_000 : Date.parse(config.jwtPreviousSecretUntil);
    if (!Number.isFinite(until)) throw new Error(`auth.jwtPreviousSecretUntil: not an ISO time: ${JSON.stringify(config.jwtPreviousSecretUntil)}`);
    previous.push(makeKey(config.jwtPreviousSecret, until));
  }
  return { current: makeKey(secret), previous };
}
