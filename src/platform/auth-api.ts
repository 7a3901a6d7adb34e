import type { AuthService } from '../auth/service.js';
import { decodeCursor, type AuditQuery } from '../auth/audit.js';
import { checkNewUser, checkUserUpdate, viewOf } from '../auth/users.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors/index.js';
import type { HttpResponse, RouteDefinition } from '../http/types.js';

const AUTH = '/api/kytos/core/auth';
/** A user document is small: a tighter body limit than the default. */
const USER_BODY_BYTES = 4096;

const failed = (r: { status: 404 | 409; message: string }): never => {
  throw r.status === 404 ? new NotFoundError(r.message) : new ConflictError(r.message);
};

/**
 * Kytos-ng's auth routes (kytos-api.md 1.5, 1.6): login with HTTP Basic, user
 * CRUD (always behind an admin's token, reads too, the first-run bootstrap
 * excepted for creating a user), and Lattice's audit log.
 */
export function authRoutes(auth: AuthService): RouteDefinition[] {
  const login = (r: Parameters<AuthService['login']>[0]): Promise<HttpResponse> => auth.login(r);
  for (const path of [`${AUTH}/login`, `${AUTH}/login/`]) auth.exempt(path);
  const routes: RouteDefinition[] = [
    { method: 'GET', access: 'read', path: `${AUTH}/login/`, body: 'none', handler: login },
    { method: 'POST', access: 'read', path: `${AUTH}/login/`, body: 'none', maxBodyBytes: USER_BODY_BYTES, handler: login },
    {
      method: 'GET',
      access: 'read',
      tokenAlways: true,
      adminOnly: true,
      path: `${AUTH}/users/`,
      handler: async () => ({ body: { users: await auth.directory.list() } }),
    },
    {
      method: 'GET',
      access: 'read',
      tokenAlways: true,
      adminOnly: true,
      path: `${AUTH}/users/{username}`,
      handler: async (r) => {
        const doc = await auth.directory.find(r.params.username!);
        if (!doc) throw new NotFoundError(`User ${r.params.username} not found`);
        return { body: viewOf(doc) };
      },
    },
    {
      method: 'POST',
      access: 'write',
      adminOnly: true,
      path: `${AUTH}/users/`,
      body: 'json',
      maxBodyBytes: USER_BODY_BYTES,
      handler: async (r) => {
        const checked = checkNewUser(r.body);
        if (!checked.ok) throw new BadRequestError(checked.message);
        const created = await auth.directory.create(checked.value);
        if (!created.ok) failed(created);
        return { status: 201, body: 'User successfully created' };
      },
    },
    {
      method: 'PATCH',
      access: 'write',
      adminOnly: true,
      path: `${AUTH}/users/{username}`,
      body: 'json',
      maxBodyBytes: USER_BODY_BYTES,
      handler: async (r) => {
        const checked = checkUserUpdate(r.body);
        if (!checked.ok) throw new BadRequestError(checked.message);
        const updated = await auth.directory.update(r.params.username!, checked.value);
        if (!updated.ok) failed(updated);
        return { body: 'User successfully updated' };
      },
    },
    {
      method: 'DELETE',
      access: 'write',
      adminOnly: true,
      path: `${AUTH}/users/{username}`,
      handler: async (r) => {
        const gone = await auth.directory.deactivate(r.params.username!);
        if (!gone.ok) failed(gone);
        // Kytos-ng's spelling.
        return { body: `User ${r.params.username} deleted succesfully` };
      },
    },
    {
      method: 'GET',
      access: 'read',
      tokenAlways: true,
      adminOnly: true,
      path: '/api/lattice/v1/audit',
      handler: async (r) => {
        const page = await auth.audit.query(auditQuery(new URLSearchParams(r.queryString)));
        return { body: { entries: page.entries.map((e) => ({ ...e, at: e.at.toISOString() })), ...(page.next ? { next: page.next } : {}) } };
      },
    },
  ];
  return routes.map((r) => ({ ...r, owner: 'core' }));
}

/** The audit route's query string: `limit` (1-1000, 100), `since` (ISO time), `user`, `status`, `before` (a page's `next`). */
export function auditQuery(q: URLSearchParams): AuditQuery {
  const known = new Set(['limit', 'since', 'user', 'status', 'before']);
  for (const k of q.keys()) if (!known.has(k)) throw new BadRequestError(`${k}: unknown parameter (limit, since, user, status, before)`);
  const int = (name: string, min: number, max: number): number | undefined => {
    const text = q.get(name);
    if (text === null) return undefined;
    const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) throw new BadRequestError(`${name}: an integer from ${min} to ${max}`);
    return n;
  };
  const query: AuditQuery = { limit: int('limit', 1, 1000) ?? 100 };
  const since = q.get('since');
  if (since !== null) {
    const at = new Date(since);
    if (since === '' || Number.isNaN(at.getTime())) throw new BadRequestError('since: not an ISO time');
    query.since = at;
  }
  const user = q.get('user');
  if (user !== null && user !== '') query.user = user;
  const status = int('status', 100, 599);
  if (status !== undefined) query.status = status;
  const before = q.get('before');
  if (before !== null) {
    const cursor = decodeCursor(before);
    if (!cursor) throw new BadRequestError("before: not a page's next value");
    query.before = cursor;
  }
  return query;
}
