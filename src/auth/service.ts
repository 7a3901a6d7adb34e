import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { sleep, type Clock, type TimerHandle } from '../actor/clock.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, BadRequestError, LatticeError, ErrorCode } from '../errors/index.js';
import type { HttpRequest, HttpResponse, RequestPrincipal } from '../http/types.js';
import { headerOf } from '../http/request.js';
import type { Store } from '../store/ports.js';
import { AuditLog } from './audit.js';
import { generationOf, UserDirectory } from './directory.js';
import { claimsFor, signToken, verifyToken, type KeyRing } from './jwt.js';
import { loadKeyRing } from './keys.js';
import { dummyVerify, readParams, verifyPassword, type ScryptParams } from './password.js';
import { bootstrapPeer } from './peer.js';
import { decide, needsToken, type Credential } from './policy.js';
import { LoginThrottle } from './throttle.js';
import { checkNewUser } from './users.js';

export interface AuthConfig {
  jwtSecret: string;
  jwtPreviousSecret: string;
  jwtPreviousSecretUntil: string;
  tokenExpirationMinutes: number;
  protectReads: boolean;
  authenticateUrls: string[];
  loopbackBootstrap: boolean;
  adminPasswordFile: string;
  adminUsername: string;
  adminEmail: string;
  kytosCompatibleErrors: boolean;
  revocationRefreshMs: number;
  audit: boolean;
  auditMaxEntries: number;
  auditMaxAgeDays: number;
  auditPruneBatch: number;
  auditFlushMs: number;
  loginBaseDelayMs: number;
  loginMaxDelayMs: number;
  loginForgetAfterMs: number;
}

export interface AuthServiceOptions {
  config: AuthConfig;
  /** `http.corsAllowOrigins`: an Origin in it does not stop the bootstrap. */
  corsAllowOrigins: readonly string[];
  store: Store;
  clock: Clock;
  log: Logger;
  /** How passwords are checked (tests count the dummy runs); node:crypto scrypt by default. */
  passwords?: PasswordChecks;
}

/** A real check for a known active user, the dummy (same cost) for anyone else. */
export interface PasswordChecks {
  verify(password: string, stored: string, params: ScryptParams): Promise<boolean>;
  dummy(password: string): Promise<false>;
}

const SCRYPT_CHECKS: PasswordChecks = { verify: verifyPassword, dummy: dummyVerify };

const BEARER = /^Bearer (.+)$/;
const VERIFIED_CACHE = 10_000;
/** How often the audit log is trimmed to `auth.auditMaxEntries`. */
const PRUNE_EVERY_MS = 60_000;
const TOKEN_ERROR = 'Token not sent or expired: ';

/**
 * Tokens, users, logins and the per-request access check. The check
 * (`guard`) is synchronous: it reads the token and the in-memory copy of the
 * users, never the store.
 */
export class AuthService {
  readonly directory: UserDirectory;
  readonly audit: AuditLog;
  private throttle: LoginThrottle;
  /** Route paths that never need a token (the login routes). */
  private readonly open = new Set<string>();
  /** Tokens whose signature and claims were checked (bounded; the oldest goes first). */
  private readonly verified = new Map<string, { uid: string; username: string; iat: number; exp: number; gen: number; kid: string }>();
  /** Per route path: whether `authenticateUrls` lists it. */
  private readonly listed = new Map<string, boolean>();

  private keyRing: KeyRing | undefined;
  private timer: TimerHandle | undefined;
  private adminFilePending: boolean;

  private constructor(private readonly options: AuthServiceOptions) {
    this.directory = new UserDirectory(options.store, options.clock);
    this.audit = new AuditLog(options.store, options.clock, options.config.auditFlushMs, (error, entries) =>
      options.log.warn({ err: error, entries }, 'audit entries not written'),
    );
    this.throttle = AuthService.throttleOf(options.config);
    this.adminFilePending = options.config.adminPasswordFile !== '';
  }

  private static throttleOf(c: AuthConfig): LoginThrottle {
    return new LoginThrottle({ baseDelayMs: c.loginBaseDelayMs, maxDelayMs: Math.max(c.loginMaxDelayMs, c.loginBaseDelayMs), forgetAfterMs: c.loginForgetAfterMs, maxKeys: 100_000 });
  }

  /**
   * The config object changed in place (SIGHUP): forget what was derived from it (the
   * authenticateUrls matches, the login throttle and its records) and prune the audit log soon.
   */
  reconfigure(): void {
    this.listed.clear();
    this.throttle = AuthService.throttleOf(this.options.config);
    this.lastPrune = 0;
  }

  /**
   * Loads the keys and the users. A store that is down at start does not stop
   * the controller: requests that need a token answer 503 until both are read
   * (retried every `revocationRefreshMs`, which also refreshes the users).
   */
  static async start(options: AuthServiceOptions): Promise<AuthService> {
    const service = new AuthService(options);
    if (options.config.jwtSecret !== '' && Buffer.byteLength(options.config.jwtSecret) < 32) {
      options.log.warn('auth.jwtSecret is shorter than 32 bytes: tokens can be forged by guessing it; use a long random secret (or leave it empty for a generated one)');
    }
    try {
      await service.sync();
    } catch (error) {
      if (!isStoreDown(error)) throw error;
      options.log.warn({ err: error }, 'users not loaded: the store is unavailable; routes that need a token answer 503 until it returns');
    }
    service.timer = options.clock.setInterval(
      () => void service.sync().catch((error: unknown) => options.log.warn({ err: error }, 'reading users failed')),
      options.config.revocationRefreshMs,
      { unref: true },
    );
    return service;
  }

  private syncing: Promise<void> | undefined;
  private lastPrune = 0;

  /** Starts a sync unless one runs (a request met the service not ready: the store may be back). */
  private kick(): void {
    if (this.syncing || !this.options.store.status().up) return;
    this.syncing = this.sync()
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'reading users failed'))
      .finally(() => (this.syncing = undefined));
  }

  /** Keys (once), users (every time), then the admin from the password file (once, on first start). */
  private async sync(): Promise<void> {
    this.keyRing ??= await loadKeyRing(this.options.config, this.options.store, this.options.clock.now());
    await this.directory.refresh();
    const now = this.options.clock.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      const c = this.options.config;
      const removed = await this.audit.prune({ maxEntries: c.auditMaxEntries, maxAgeMs: c.auditMaxAgeDays * 86_400_000, now, batch: c.auditPruneBatch });
      // A full batch: more may be due, prune again at the next refresh rather than in a minute.
      if (removed >= c.auditPruneBatch) this.lastPrune = 0;
    }
    if (this.adminFilePending) {
      this.adminFilePending = false;
      await this.adminFromFile();
    }
  }

  /** The signing keys (throws while they could not be read). */
  get keys(): KeyRing {
    if (!this.keyRing) throw new LatticeError(ErrorCode.ServiceUnavailable, 'API keys are not loaded yet: the store is unavailable');
    return this.keyRing;
  }

  /** Keys and users were read: tokens can be checked. */
  get ready(): boolean {
    return this.keyRing !== undefined && this.directory.loaded;
  }

  stop(): void {
    this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops the timers and writes the audit entries still waiting (before the store closes). */
  async close(): Promise<void> {
    this.stop();
    await this.audit.flush().catch((error: unknown) => this.options.log.warn({ err: error }, 'audit flush at shutdown failed'));
  }

  get config(): AuthConfig {
    return this.options.config;
  }

  /** The first-run bootstrap is possible (no user, not turned off). */
  get bootstrapOpen(): boolean {
    return this.options.config.loopbackBootstrap && this.directory.empty;
  }

  status(): Record<string, unknown> {
    return {
      users: this.directory.active,
      bootstrap: this.bootstrapOpen,
      protect_reads: this.options.config.protectReads,
      ready: this.ready,
    };
  }

  /** Marks a route path as needing no token (login). */
  exempt(path: string): void {
    this.open.add(path);
  }

  /** `LATTICE_ADMIN_PASSWORD_FILE`, read once on first start: no user yet, create the admin. */
  private async adminFromFile(): Promise<void> {
    const { adminPasswordFile: file, adminUsername, adminEmail } = this.options.config;
    if (file === '' || !this.directory.empty) return;
    let password: string;
    try {
      password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new Error(`auth.adminPasswordFile: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const checked = checkNewUser({ username: adminUsername, email: adminEmail, password, role: 'admin' });
    if (!checked.ok) throw new Error(`auth.adminPasswordFile: ${checked.message}`);
    const created = await this.directory.create(checked.value);
    if (!created.ok) throw new Error(`auth.adminPasswordFile: ${created.message}`);
    this.options.log.info({ username: adminUsername }, 'admin user created from the password file');
  }

  /** Reads the request's bearer token (the `token` query parameter too, for a WebSocket upgrade). */
  credentialOf(request: HttpRequest): Credential {
    const header = headerOf(request, 'authorization');
    let token: string | undefined;
    if (header !== undefined) {
      const m = BEARER.exec(header);
      if (!m) return { kind: 'invalid', reason: 'expected Authorization: Bearer <token>' };
      token = m[1]!;
    } else if (headerOf(request, 'upgrade')?.toLowerCase() === 'websocket' && request.queryString.includes('token=')) {
      token = new URLSearchParams(request.queryString).get('token') ?? undefined;
    }
    if (token === undefined) return { kind: 'none' };
    const now = this.options.clock.now();
    let claims = this.verified.get(token);
    if (claims === undefined || claims.exp * 1000 <= now || this.retired(claims.kid, now)) {
      // Signature and claims are checked once per token; expiry and the key's grace on every use.
      const verified = verifyToken(token, this.keys, now);
      if (!verified.ok) {
        this.verified.delete(token);
        return { kind: 'invalid', reason: verified.reason };
      }
      const c = verified.claims;
      claims = { uid: c.uid, username: c.username, iat: c.iat, exp: c.exp, gen: c.gen ?? 0, kid: verified.kid };
      if (this.verified.size >= VERIFIED_CACHE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    const user = this.directory.state(claims.uid);
    if (!user || user.username !== claims.username) return { kind: 'invalid', reason: 'This user no longer exists' };
    if (!user.active) return { kind: 'invalid', reason: 'This user is not active' };
    // The generation tells apart tokens issued in the same second as a password change; a newer one
    // than cached means this process has not re-read the user yet (it was signed with our key).
    if (claims.gen < user.generation || claims.iat < user.tokensAfter) return { kind: 'invalid', reason: 'The password changed after this token was issued' };
    return { kind: 'user', principal: { username: user.username, uid: user.uid, role: user.role } };
  }

  private retired(kid: string, now: number): boolean {
    const key = this.keyRing?.previous.find((k) => k.kid === kid);
    return key?.notAfterMs !== undefined && now > key.notAfterMs;
  }

  private isListed(path: string): boolean {
    let listed = this.listed.get(path);
    if (listed === undefined) {
      listed = this.options.config.authenticateUrls.some((u) => u !== '' && path.includes(u));
      this.listed.set(path, listed);
    }
    return listed;
  }

  /** The preParsing hook: lets the request through (setting `request.principal`) or answers 401/403. */
  guard = (request: HttpRequest): HttpResponse | void => {
    const route = request.route;
    if (!route || this.open.has(route.path)) return;
    const listed = this.isListed(route.path);
    const required = needsToken({ access: route.access, tokenAlways: route.tokenAlways, listed }, this.options.config.protectReads);
    if (!this.ready) {
      this.kick();
      // Who is who cannot be told while the store is down: only what needs no token passes.
      if (!required) return;
      throw new LatticeError(ErrorCode.ServiceUnavailable, 'users are not loaded yet: the store is unavailable');
    }
    // No credential offered (no Authorization header, no WebSocket token) on a route that needs
    // none: `decide` would let it through as nobody; say so without building its inputs.
    if (!required && headerOf(request, 'authorization') === undefined && headerOf(request, 'upgrade') === undefined) return;
    const credential = this.credentialOf(request);
    const bootstrap =
      this.bootstrapOpen &&
      bootstrapPeer({ remote: request.remote, host: headerOf(request, 'host'), origin: headerOf(request, 'origin') }, this.options.corsAllowOrigins);
    const verdict = decide(
      { access: route.access, tokenAlways: route.tokenAlways, adminOnly: route.adminOnly, listed },
      credential,
      { protectReads: this.options.config.protectReads, bootstrap, noUsers: this.directory.empty },
    );
    if (verdict.allow) {
      if (verdict.principal) request.principal = { ...verdict.principal };
      else if (verdict.bootstrap) request.principal = BOOTSTRAP;
      return;
    }
    if (verdict.status === 403) throw new ForbiddenError(verdict.reason);
    return { status: 401, body: { error: TOKEN_ERROR + verdict.reason }, headers: { 'WWW-Authenticate': 'Bearer' } };
  };

  /** `GET|POST auth/login/` with HTTP Basic: a token, or one uniform 401 (Kytos-ng's texts with `kytosCompatibleErrors`). */
  async login(request: HttpRequest): Promise<HttpResponse> {
    const header = request.headers['authorization'];
    if (header === undefined) throw new BadRequestError('Authorization header missing');
    const parts = header.trim().split(/\s+/);
    const decoded = parts.length === 2 && /^basic$/i.test(parts[0]!) && /^[A-Za-z0-9+/]+={0,2}$/.test(parts[1]!) ? Buffer.from(parts[1]!, 'base64').toString('utf8') : undefined;
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded === undefined || colon < 1) throw new BadRequestError('Credentials were not correctly set.');
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const address = request.remote ?? '';
    const clock = this.options.clock;
    const wait = this.throttle.delay(username, address, clock.now());
    if (wait > 0) await sleep(clock, wait);

    const doc = await this.directory.find(username);
    const params = doc ? readParams(doc.hash) : undefined;
    const active = doc?.state === 'active';
    // Unknown or inactive users cost the same scrypt as a real one: the answer's timing tells nothing.
    const checks = this.options.passwords ?? SCRYPT_CHECKS;
    const ok = doc && params && active ? await checks.verify(password, doc.password, params) : await checks.dummy(password);
    if (!ok || !doc) {
      this.throttle.failed(username, address, clock.now());
      this.options.log.info({ remote: address }, 'login failed');
      if (this.options.config.kytosCompatibleErrors) {
        if (!doc) throw new NotFoundError(`User ${username} not found`);
        if (!active) throw new UnauthorizedError('This user is not active');
        throw new UnauthorizedError('Incorrect password');
      }
      throw new UnauthorizedError('Invalid username or password');
    }
    this.throttle.succeeded(username, address);
    const claims = claimsFor({ username: doc.username, uid: doc._id, generation: generationOf(doc) }, clock.now(), this.options.config.tokenExpirationMinutes * 60);
    return { status: 200, body: { token: signToken(claims, this.keys.current) } };
  }

  /** The onResponse hook: every write, with who made it and how it ended. */
  recordWrite = (request: HttpRequest, status: number): void => {
    if (request.route?.access !== 'write' || !this.options.config.audit) return;
    // No promise per request: a batch that cannot be written is logged once (onLost).
    this.audit.add({
      at: new Date(this.options.clock.now()),
      user: request.principal?.username ?? '(anonymous)',
      method: request.method,
      path: request.path,
      status,
      remote: request.remote ?? '',
    });
  };
}

function isStoreDown(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === ErrorCode.StoreUnavailable || code === ErrorCode.StoreClosed || code === ErrorCode.ServiceUnavailable;
}

const BOOTSTRAP: RequestPrincipal = Object.freeze({ username: '(bootstrap)', uid: '', role: 'admin', bootstrap: true });
