/**
 * Who may do what: one pure decision per request, from the route's declared
 * access, the credential it carried and the first-run state. The HTTP hook
 * (`guard.ts`) gathers the facts and applies the verdict.
 */
import type { Role } from './users.js';

export type RouteAccess = 'read' | 'write';

export interface RouteRule {
  access: RouteAccess;
  /** A token even for a read and even during the first-run bootstrap (users, the Kytos GET toggles). */
  tokenAlways?: boolean;
  /** Admins only (users, the audit log). */
  adminOnly?: boolean;
  /** The path contains one of `auth.authenticateUrls`: a read needs a token too. */
  listed?: boolean;
}

export interface Principal {
  username: string;
  uid: string;
  role: Role;
}

export type Credential =
  | { kind: 'none' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'user'; principal: Principal };

export interface Situation {
  protectReads: boolean;
  /** No user exists, `auth.loopbackBootstrap` is on, and the peer passed `bootstrapPeer`. */
  bootstrap: boolean;
  /** No user exists (the 401 then says how to create the first one). */
  noUsers: boolean;
}

export type Verdict =
  | { allow: true; principal?: Principal; bootstrap?: boolean }
  | { allow: false; status: 401; reason: string }
  | { allow: false; status: 403; reason: string };

export const FIRST_USER_HINT =
  'no user exists yet: create the first one from the controller host over loopback ' +
  '(POST /api/kytos/core/auth/users/ to http://127.0.0.1:<port>) or start it with LATTICE_ADMIN_PASSWORD_FILE';

export function needsToken(rule: RouteRule, protectReads: boolean): boolean {
  return rule.tokenAlways === true || rule.access === 'write' || protectReads || rule.listed === true;
}

export function decide(rule: RouteRule, credential: Credential, situation: Situation): Verdict {
  const required = needsToken(rule, situation.protectReads);
  if (credential.kind === 'user') {
    const { principal } = credential;
    if (rule.adminOnly && principal.role !== 'admin') return { allow: false, status: 403, reason: `user ${principal.username} is not an admin` };
    if (rule.access === 'write' && principal.role === 'viewer') return { allow: false, status: 403, reason: `user ${principal.username} may only read` };
    return { allow: true, principal };
  }
  if (!required) return { allow: true };
  if (credential.kind === 'invalid') return { allow: false, status: 401, reason: credential.reason };
  if (situation.bootstrap && !rule.tokenAlways) return { allow: true, bootstrap: true };
  return { allow: false, status: 401, reason: situation.noUsers ? `Authorization header missing (${FIRST_USER_HINT})` : 'Authorization header missing' };
}
