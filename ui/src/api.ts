/**
 * The REST client: same origin, JSON with exact 64-bit integers (a bigint
 * where a number would lose digits, written back with every digit), the
 * token in memory only, sent as `Authorization: Bearer`.
 */
let token: string | undefined;
let user: string | undefined;
const listeners = new Set<() => void>();
let onUnauthorized: (why: string) => void = () => {};

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

export const auth = {
  get token(): string | undefined {
    return token;
  },
  get user(): string | undefined {
    return user;
  },
  set(newToken: string | undefined, username?: string): void {
    token = newToken;
    user = newToken ? username : undefined;
    for (const l of listeners) l();
  },
  onChange(l: () => void): void {
    listeners.add(l);
  },
  onUnauthorized(fn: (why: string) => void): void {
    onUnauthorized = fn;
  },
};

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;
const exact: Reviver = (_key, value, context) =>
  typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
    ? BigInt(context.source)
    : value;

export const parseJson = (text: string): any => JSON.parse(text, exact as Parameters<typeof JSON.parse>[1]);

const rawJson = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;
export const toJson = (value: unknown, space?: number): string =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? (rawJson ? rawJson(v.toString()) : Number(v)) : v), space);

/** The server's message in a Kytos error (`description`, `error`, `response`), or the status line. */
export function messageOf(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const k of ['description', 'error', 'response', 'message']) if (typeof b[k] === 'string') return `${status}: ${b[k]}`;
    return `${status}: ${toJson(body)}`;
  }
  return `${status}: ${String(body ?? '')}`.trim();
}

export async function api<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : toJson(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? parseJson(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  if (!res.ok) {
    const error = new ApiError(res.status, messageOf(res.status, parsed), parsed);
    if (res.status === 401) onUnauthorized(error.message);
    throw error;
  }
  return parsed as T;
}

/** Logs in with HTTP Basic; keeps the token in memory. */
export async function login(username: string, password: string): Promise<void> {
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
  const res = await fetch('/api/kytos/core/auth/login/', { headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' } });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (!res.ok || typeof body?.token !== 'string') throw new ApiError(res.status, messageOf(res.status, body), body);
  auth.set(body.token, username);
}
