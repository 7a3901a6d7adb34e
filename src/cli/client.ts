import { CliError, EXIT, exitCodeOf } from './exit-codes.js';

export interface ClientOptions {
  /** Base URL of the controller, e.g. http://127.0.0.1:8181 */
  url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  timeoutMs: number;
}

/**
 * The REST client: every command is one or two requests. A 4xx, 5xx or no
 * answer becomes a CliError with its exit code and the server's description.
 */
export class RestClient {
  constructor(private readonly options: ClientOptions) {}

  get baseUrl(): string {
    return this.options.url.replace(/\/+$/, '');
  }

  get token(): string | undefined {
    return this.options.token;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    Object.assign(headers, extraHeaders);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = (error as Error).name === 'TimeoutError' ? `no answer in ${this.options.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new CliError(`cannot reach ${this.baseUrl}: ${why}`, EXIT.UNREACHABLE);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if (text !== '' && (res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (res.status >= 400) throw new CliError(describe(method, path, res.status, parsed), exitCodeOf(res.status));
    return parsed as T;
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
}

function describe(method: string, path: string, status: number, body: unknown): string {
  const raw = typeof body === 'object' && body !== null && 'description' in body ? (body as { description: unknown }).description : body;
  const description = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
  const hint =
    status === 404
      ? ' (no such resource, or the NApp that serves this route is not enabled)'
      : status === 401 || status === 403
        ? ' (set LATTICE_TOKEN to a valid token)'
        : '';
  return `${method} ${path}: ${status} ${description}${hint}`.trim();
}
