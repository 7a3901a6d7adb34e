/**
 * User documents and Kytos-ng's validation rules (`kytos/core/user.py`), with
 * its messages: `<field>: <message>` joined by `; `, in field order.
 * Pure: no store, no clock.
 */

export const ROLES = ['admin', 'operator', 'viewer'] as const;
/** admin: everything; operator: every write except users and the audit log; viewer: reads only. */
export type Role = (typeof ROLES)[number];

/** A user as stored (Kytos-ng's document, plus `role`). */
export interface UserDoc {
  /** A uuid, stable across renames: tokens carry it as `uid`. */
  _id: string;
  username: string;
  email: string;
  /** Hex scrypt key. */
  password: string;
  hash: { salt: unknown; n: number; r: number; p: number };
  state: 'active' | 'inactive';
  /** Missing in documents imported from Kytos-ng, whose users can do everything: read as admin. */
  role?: Role;
  inserted_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /** Set when the password is changed: tokens issued before that second stop working. */
  password_changed_at?: Date;
  /**
   * Raised by one at every password change and carried in tokens (`gen`): a token of an older
   * generation is refused, even one issued in the same second as the change. Absent: 0.
   */
  token_generation?: number;
}

/** What the API shows of a user: never the password or its parameters. */
export interface UserView {
  username: string;
  email: string;
  state: 'active' | 'inactive';
  role: Role;
  inserted_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export const roleOf = (user: Pick<UserDoc, 'role'>): Role => (user.role && ROLES.includes(user.role) ? user.role : 'admin');

export function viewOf(user: UserDoc): UserView {
  return {
    username: user.username,
    email: user.email,
    state: user.state,
    role: roleOf(user),
    inserted_at: user.inserted_at,
    updated_at: user.updated_at,
    deleted_at: user.deleted_at ?? null,
  };
}

export const USERNAME_PATTERN = '^[a-zA-Z0-9_-]+$';
const USERNAME_RE = new RegExp(USERNAME_PATTERN);
const PASSWORD_RULE =
  'Value error, value should contain minimun 8 characters, at least one upper case character, ' +
  'at least 1 numeric character [0-9], at least one lower case character';

function checkString(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== 'string') return 'Input should be a valid string';
  const length = [...value].length;
  if (length < min) return `String should have at least ${min} character${min === 1 ? '' : 's'}`;
  if (length > max) return `String should have at most ${max} characters`;
  return undefined;
}

function usernameError(value: unknown): string | undefined {
  return checkString(value, 1, 64) ?? (USERNAME_RE.test(value as string) ? undefined : `String should match pattern '${USERNAME_PATTERN}'`);
}

function emailError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'Input should be a valid string';
  const bad = (why: string) => `value is not a valid email address: ${why}`;
  const at = value.split('@');
  if (at.length !== 2) return bad('The email address is not valid. It must have exactly one @-sign.');
  const [local, domain] = at as [string, string];
  if (local === '') return bad('There must be something before the @-sign.');
  if (domain === '') return bad('There must be something after the @-sign.');
  if (/\s/.test(value) || value.length > 254) return bad('The email address contains invalid characters.');
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(domain)) {
    return bad('The part after the @-sign is not valid. It should have a period.');
  }
  if (!/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return bad('The email address contains invalid characters before the @-sign.');
  }
  return undefined;
}

function passwordError(value: unknown): string | undefined {
  const basic = checkString(value, 8, 64);
  if (basic) return basic;
  const s = value as string;
  return /\p{Lu}/u.test(s) && /\p{Ll}/u.test(s) && /\p{Nd}/u.test(s) ? undefined : PASSWORD_RULE;
}

function roleError(value: unknown): string | undefined {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value) ? undefined : `Input should be ${ROLES.map((r) => `'${r}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}`;
}

const CHECKS: Record<string, (v: unknown) => string | undefined> = {
  username: usernameError,
  email: emailError,
  password: passwordError,
  role: roleError,
};

/** Never echoes the body: it may hold a password. */
const NOT_AN_OBJECT = 'Invalid payload type: expected a JSON object';

export interface UserInput {
  username?: string;
  email?: string;
  password?: string;
  role?: Role;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function check(body: Record<string, unknown>, required: readonly string[]): Checked<UserInput> {
  const errors: string[] = [];
  const value: UserInput = {};
  for (const field of ['username', 'email', 'password', 'role'] as const) {
    if (!(field in body) || body[field] === undefined || (body[field] === null && !required.includes(field))) {
      if (required.includes(field)) errors.push(`${field}: Field required`);
      continue;
    }
    const error = CHECKS[field]!(body[field]);
    if (error) errors.push(`${field}: ${error}`);
    else (value as Record<string, unknown>)[field] = body[field];
  }
  return errors.length ? { ok: false, message: errors.join('; ') } : { ok: true, value };
}

/** POST users: username, email and password required; `role` optional (admin when left out, as every Kytos-ng user). */
export function checkNewUser(body: unknown): Checked<Required<Omit<UserInput, 'role'>> & { role: Role }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: NOT_AN_OBJECT };
  const r = check(body as Record<string, unknown>, ['username', 'email', 'password']);
  if (!r.ok) return r;
  return { ok: true, value: { username: r.value.username!, email: r.value.email!, password: r.value.password!, role: r.value.role ?? 'admin' } };
}

/** PATCH users/{username}: any of username, email, password, role; other fields ignored (as Kytos-ng). */
export function checkUserUpdate(body: unknown): Checked<UserInput> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: NOT_AN_OBJECT };
  return check(body as Record<string, unknown>, []);
}
