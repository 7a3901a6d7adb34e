import type { AuthService } from '../auth/service.js';
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
        const q = new URLSearchParams(r.queryString);
        const limit = Math.min(1000, Math.max(1, Number(q.get('limit') ?? 100) || 100));
        const since = q.get('since') ? new Date(q.get('since')!) : undefined;
        if (since && Number.isNaN(since.getTime())) throw new BadRequestError('since: not an ISO time');
        const user = q.get('user') ?? undefined;
        const entries = await auth.audit.query({ limit, ...(since ? { since } : {}), ...(user ? { user } : {}) });
        return { body: { entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) } };
      },
    },
  ];
  return routes.map((r) => ({ ...r, owner: 'core' }));
}
