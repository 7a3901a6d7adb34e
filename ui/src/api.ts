/**
 * The REST client: same origin, JSON with exact 64-bit integers (a bigint
 * where a number would lose digits, written back with every digit), the
 * token in this object's memory only, sent as `Authorization: Bearer`.
 */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

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

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const parseOrText = (text: string): unknown => {
  try {
    return text ? parseJson(text) : undefined;
  } catch {
    return text;
  }
};

export class Api {
  private tokenValue: string | undefined;
  private userValue: string | undefined;
  private readonly listeners = new Set<() => void>();

  /** `onUnauthorized` runs on every 401 (the page opens its login form). */
  constructor(private readonly onUnauthorized: (why: string) => void = () => {}) {}

  get token(): string | undefined {
    return this.tokenValue;
  }

  get user(): string | undefined {
    return this.userValue;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private set(token: string | undefined, user: string | undefined): void {
    this.tokenValue = token;
    this.userValue = token ? user : undefined;
    for (const l of this.listeners) l();
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.tokenValue) headers.Authorization = `Bearer ${this.tokenValue}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : toJson(body) });
    const parsed = parseOrText(await res.text());
    if (!res.ok) {
      const error = new ApiError(res.status, messageOf(res.status, parsed), parsed);
      if (res.status === 401) this.onUnauthorized(error.message);
      throw error;
    }
    return parsed as T;
  }

  /** Logs in with HTTP Basic; keeps the token. */
  async login(username: string, password: string): Promise<void> {
    const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
    const res = await fetch('/api/kytos/core/auth/login/', { headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' } });
    const body = parseOrText(await res.text()) as { token?: unknown } | undefined;
    if (!res.ok || typeof body?.token !== 'string') throw new ApiError(res.status, messageOf(res.status, body), body);
    this.set(body.token, username);
  }

  logout(): void {
    this.set(undefined, undefined);
  }
}
