/**
 * `npm run load -- <scenario> --auth`: every request carries a valid token.
 * The controller the runner starts protects reads too (so each request meets
 * the full token check); a user is created through the first-run loopback
 * bootstrap and logged in. Against `--target`, the token comes from
 * LATTICE_TOKEN.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A config file that protects reads, for the controller the runner starts. */
export function protectedReadsConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lattice-load-auth-')), 'lattice.json');
  writeFileSync(file, JSON.stringify({ auth: { protectReads: true } }));
  return file;
}

/** Creates a user on a fresh controller (loopback bootstrap) and returns its token. */
export async function tokenFor(url: string): Promise<string> {
  const password = `Load-${randomBytes(9).toString('base64url')}1a`;
  const created = await fetch(`${url}/api/kytos/core/auth/users/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'load', email: 'load@example.com', password }),
  });
  if (created.status !== 201) throw new Error(`cannot create the load user: ${created.status} ${await created.text()}`);
  const login = await fetch(`${url}/api/kytos/core/auth/login/`, { headers: { authorization: `Basic ${Buffer.from(`load:${password}`).toString('base64')}` } });
  if (login.status !== 200) throw new Error(`cannot log in: ${login.status}`);
  return ((await login.json()) as { token: string }).token;
}
