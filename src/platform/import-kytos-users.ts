/**
 * Kytos-ng's `users` into Lattice's `users` (`lattice import-kytos`): the
 * same document, its password kept (Kytos-ng's scrypt key and parameters;
 * the salt, BSON binary there, as hex), without a role (an admin, as every
 * Kytos-ng user is). A user whose parameters this controller would not
 * accept at login is refused.
 */
import type { KytosDocument, KytosImporter, ImportNote } from '../sdk/kytos-import.js';
import { kytosDocId, kytosInstant } from '../sdk/kytos-import.js';
import { readParams } from '../auth/password.js';
import type { UserDoc } from '../auth/users.js';

const USERNAME = /^[a-zA-Z0-9_-]{1,64}$/;

function date(v: unknown): Date | null | undefined {
  if (v === undefined || v === null) return null;
  const ms = kytosInstant(v);
  return ms === undefined ? undefined : new Date(ms);
}

function mapUser(d: KytosDocument): UserDoc | string {
  const id = d._id;
  if (typeof id !== 'string' || id === '') return '_id is not a string';
  if (typeof d.username !== 'string' || !USERNAME.test(d.username)) return `username ${JSON.stringify(d.username)} is not 1-64 letters, digits, _ or -`;
  if (typeof d.email !== 'string' || !d.email.includes('@')) return 'email is not an address';
  if (typeof d.password !== 'string' || !/^(?:[0-9a-f]{2})+$/i.test(d.password)) return 'password is not a hex scrypt key';
  const params = readParams(d.hash);
  if (!params) return 'hash is not usable scrypt parameters ({salt, n, r, p})';
  const state = d.state ?? 'active';
  if (state !== 'active' && state !== 'inactive') return `state ${JSON.stringify(state)} is not active or inactive`;
  const [inserted, updated, deleted] = [date(d.inserted_at), date(d.updated_at), date(d.deleted_at)];
  if (inserted === undefined || updated === undefined || deleted === undefined) return 'inserted_at, updated_at or deleted_at is not a date';
  const at = inserted ?? updated;
  if (!at) return 'inserted_at is missing';
  return {
    _id: id,
    username: d.username,
    email: d.email,
    password: d.password.toLowerCase(),
    hash: { salt: params.salt.toString('hex'), n: params.n, r: params.r, p: params.p },
    state,
    inserted_at: at,
    updated_at: updated ?? at,
    deleted_at: deleted,
  };
}

export const USERS_SPEC = { key: '_id', indexes: ['username'], unique: ['username'] } as const;

export const importKytosUsers: KytosImporter = {
  from: ['users'],
  map(input) {
    const refused: ImportNote[] = [];
    const docs: UserDoc[] = [];
    const names = new Set<string>();
    for (const d of input.users ?? []) {
      const m = mapUser(d);
      if (typeof m === 'string') refused.push({ from: 'users', id: kytosDocId(d), reason: m });
      else if (names.has(m.username)) refused.push({ from: 'users', id: m._id, reason: `a second user named ${m.username}` });
      else {
        names.add(m.username);
        docs.push(m);
      }
    }
    return { collections: [{ name: 'users', spec: { key: '_id', indexes: ['username'], unique: ['username'] }, docs }], skipped: [], refused };
  },
};
