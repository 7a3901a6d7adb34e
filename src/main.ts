/**
 * The composition root: the only module that knows every part. It builds the
 * actor system, the store, the HTTP front end, the NApp manager and the
 * southbound, and wires them together. Run directly, it is the controller.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { createLogger } from './log.js';
import { ActorSystem, systemClock, type Clock } from './actor/index.js';
import { defaults, loadConfig, type Config } from './config/index.js';
import { HttpServer } from './http/server.js';
import { RateLimiter } from './http/rate-limit.js';
import { isLoopbackAddress } from './http/loopback.js';
import { ConfigError, RateLimitedError } from './errors/index.js';
import { MetricsRegistry } from './metrics/index.js';
import { openStore } from './store/index.js';
import { storeOptionsFromConfig } from './platform/store-options.js';
import type { Store } from './store/ports.js';
import { coreRoutes, eventStreamRoute } from './platform/core-api.js';
import { collectRuntimeMetrics, metricsServiceOf } from './platform/metrics.js';
import { PrometheusExporter } from './platform/prometheus.js';
import { apiDocsRoutes } from './platform/api-docs.js';
import { uiRoutes, uiSource } from './platform/ui.js';
import { InstrumentedStore } from './platform/store-metrics.js';
import { authRoutes } from './platform/auth-api.js';
import { AuthService } from './auth/service.js';
import { migrateOrTolerate } from './platform/migrations.js';
import { CORE_SCHEMA } from './platform/core-schema.js';
import { NAppManager } from './platform/manager.js';
import type { NAppDefinition } from './sdk/napp.js';
import { provide, type ServiceBinding } from './sdk/contract.js';
import { metricsService, switchesService } from './sdk/catalogue/index.js';
import { routeHandlerAccepts, routeHandlerLogic } from '../actors/route-handler/machine.js';
import { nappHostAccepts, nappHostDeliver, nappHostLogic } from '../actors/napp-host/machine.js';
import { switchConnectionMachine } from '../actors/switch-connection/machine.js';
import { Southbound, southboundOptionsFromConfig } from './southbound/index.js';
import { start as nappStart, stop as nappStop } from '../actors/napp-host/events.js';
import { builtInNAppsDir, packageRoot } from './package-root.js';

/** The login route (its outcomes are counted). */
const LOGIN_PATH = '/api/kytos/core/auth/login/';
/** Connection closes that are a policy's decision, counted by reason. */
const POLICY_CLOSES = new Set(['certificate_dpid_mismatch', 'no_client_certificate', 'malformed_budget']);

/** The package root (the folder of Lattice's package.json), from `src/` or from `dist/src/`. */
const ROOT = packageRoot(import.meta.url);

export const VERSION: string = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface StartOptions {
  /** A loaded config; otherwise `loadConfig({ overrides })`. */
  config?: Config;
  overrides?: Record<string, Record<string, unknown>>;
  log?: Logger;
  clock?: Clock;
  /** NApp definitions given in code (registered before `napps.enabled` is started). */
  napps?: NAppDefinition<any>[];
  /** Extra platform services offered to NApps, each bound to its catalogue contract. */
  services?: readonly ServiceBinding<any>[];
}

export interface Controller {
  readonly config: Config;
  readonly log: Logger;
  readonly system: ActorSystem;
  readonly http: HttpServer;
  readonly napps: NAppManager;
  readonly store: Store;
  readonly southbound: Southbound;
  readonly auth: AuthService;
  readonly httpPort: number;
  readonly openflowPort: number;
  /** Drains and stops everything; resolves true when everything drained in time; rejects (after stopping everything) when a NApp's shutdown failed. */
  stop(): Promise<boolean>;
  /**
   * Applies a newly loaded config to the running controller (SIGHUP): the keys of
   * RELOADABLE_KEYS take effect at once; any other key that changed is left as it
   * runs and listed in `restartNeeded`.
   */
  reload(next: Config): ReloadResult;
}

export interface ReloadResult {
  /** Keys whose new values now apply ("section.key"). */
  applied: string[];
  /** Keys that changed in the file but apply only after a restart. */
  restartNeeded: string[];
}

/**
 * The config keys SIGHUP reloads. Every other key (listeners, store, NApps and
 * their settings, actors' mailboxes, shutdown, metrics) needs a restart.
 */
export const RELOADABLE_KEYS: readonly string[] = [
  'log.level',
  'auth.protectReads',
  'auth.authenticateUrls',
  'auth.tokenExpirationMinutes',
  'auth.kytosCompatibleErrors',
  'auth.loopbackBootstrap',
  'auth.audit',
  'auth.auditMaxEntries',
  'auth.auditMaxAgeDays',
  'auth.auditPruneBatch',
  'auth.loginBaseDelayMs',
  'auth.loginMaxDelayMs',
  'auth.loginForgetAfterMs',
  'http.rateLimitPerSecond',
  'http.rateLimitBurst',
  'http.rateLimitLoopback',
  'actors.deadLettersPerName',
  'actors.deadLettersMax',
  'actors.deadLettersMaxAgeMs',
];

export async function startController(options: StartOptions = {}): Promise<Controller> {
  const config = options.config ?? loadConfig({ overrides: options.overrides });
  // Refused before anything opens: CORS is an allowlist, and per-route body limits must parse.
  if (config.http.corsAllowOrigins.includes('*')) {
    throw new ConfigError('config http.corsAllowOrigins: "*" is not allowed; list each origin (scheme://host[:port])', { key: 'http.corsAllowOrigins' });
  }
  const maxBodyBytesByRoute = bodyLimits(config.http.maxBodyBytesByRoute);
  const log = options.log ?? createLogger(config.log.level);
  const clock = options.clock ?? systemClock();
  const startedAt = new Date(clock.now());

  const system = new ActorSystem({
    clock,
    log: log.child({ part: 'actors' }),
    mailboxCapacity: config.actors.mailboxCapacity,
    askTimeoutMs: config.actors.askTimeoutMs,
    deadLettersPerName: config.actors.deadLettersPerName,
    deadLettersMax: config.actors.deadLettersMax,
    deadLettersMaxAgeMs: config.actors.deadLettersMaxAgeMs,
    restart: { backoffMs: config.actors.restartBackoffMs, maxBackoffMs: config.actors.restartMaxBackoffMs },
  });

  const metrics = new MetricsRegistry();
  const echoRtt = metrics.get('openflowEchoRtt');
  const rawStore = await openStore(storeOptionsFromConfig(config, log.child({ part: 'store' }), clock));
  const store: Store = new InstrumentedStore(rawStore, clock, metrics.get('storeOperationDuration'), metrics.get('storeErrors'));

  let auth: AuthService;
  try {
    // The controller's own collections reach their schema versions before auth reads them (a downgrade refuses the start).
    await migrateOrTolerate(store, { owner: 'core', store, prefix: '', schema: CORE_SCHEMA }, log.child({ part: 'schema' }), clock);
    auth = await AuthService.start({
      config: config.auth,
      corsAllowOrigins: config.http.corsAllowOrigins,
      store,
      clock,
      log: log.child({ part: 'auth' }),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }

  const http = new HttpServer({
    system,
    metrics,
    latencyHistogram: config.metrics.httpLatency,
    log: log.child({ part: 'http' }),
    routeLogic: routeHandlerLogic,
    routeAccepts: routeHandlerAccepts,
    host: config.http.host,
    port: config.http.port,
    maxBodyBytes: config.http.maxBodyBytes,
    decodeLimits: { maxDepth: config.http.maxJsonDepth, maxElements: config.http.maxJsonElements, maxKeys: config.http.maxJsonKeys, maxStringBytes: config.http.maxJsonStringBytes },
    requestTimeoutMs: config.http.requestTimeoutMs,
    maxBackpressureBytes: config.http.maxBackpressureBytes,
    corsAllowOrigins: config.http.corsAllowOrigins,
    routeMailbox: config.http.routeMailbox,
    routeConcurrency: config.http.routeConcurrency,
    ws: config.ws,
    maxBodyBytesByRoute,
    maxInFlight: config.http.maxInFlight,
    maxConnections: config.http.maxConnections,
    connectionCheckMs: config.http.connectionCheckMs,
  });
  // The limiter is rebuilt when SIGHUP changes its keys (reload below); 0 turns it off.
  const makeLimiter = () =>
    config.http.rateLimitPerSecond > 0 ? new RateLimiter({ ratePerSecond: config.http.rateLimitPerSecond, burst: config.http.rateLimitBurst, maxAddresses: 100_000 }) : undefined;
  let limiter = makeLimiter();
  http.addHook('onRequest', (request) => {
    // A server listening on a loopback address has only loopback peers: no socket read to know it.
    if (!limiter || (!config.http.rateLimitLoopback && (http.loopbackOnly || isLoopbackAddress(request.remote)))) return;
    if (!limiter.take(request.remote ?? '', clock.monotonic())) throw new RateLimitedError();
  });

  const southbound = new Southbound({
    system,
    logic: switchConnectionMachine,
    options: southboundOptionsFromConfig(config.openflow),
    onEchoRtt: (ms) => echoRtt.observe(ms / 1000),
  });
  const stopRuntimeMetrics = collectRuntimeMetrics(metrics, { system, southbound, wsClients: () => http.ws.stats.clients });
  const services: ServiceBinding<any>[] = [
    provide(switchesService, southbound),
    provide(metricsService, metricsServiceOf(metrics)),
    ...(options.services ?? []),
  ];
  const napps = new NAppManager({
    system,
    http,
    store,
    log: log.child({ part: 'napps' }),
    host: { logic: nappHostLogic, accepts: nappHostAccepts, deliver: nappHostDeliver, start: nappStart, stop: nappStop },
    // The default is the built-in folder (next to this module's tree); any other value resolves from the working directory.
    dir: config.napps.dir === defaults().napps.dir ? builtInNAppsDir(import.meta.url) : resolve(config.napps.dir),
    latticeVersion: VERSION,
    settings: config.napps.settings,
    services,
    askTimeoutMs: config.actors.askTimeoutMs,
    loadTimeoutMs: config.napps.loadTimeoutMs,
  });

  // Every route, core or NApp, mounted now or later, meets the auth check before its body is read.
  http.addHook('preParsing', auth.guard);
  http.addHook('onResponse', (request, status) => auth.recordWrite(request, status));
  const refused = metrics.get('authRefused');
  const logins = metrics.get('authLogins');
  http.addHook('onResponse', (request, status) => {
    if (request.route === undefined) return;
    if (request.route.path === LOGIN_PATH) logins.inc(1, status === 200 ? 'ok' : 'failed');
    if (status === 401 || status === 403) refused.inc(1, String(status));
  });
  const switchesRefused = metrics.get('switchesRefused');
  system.bus.on(['kytos/core\\.openflow\\.connection\\.lost'], (event) => {
    const reason = String(event.content.reason ?? '');
    if (POLICY_CLOSES.has(reason)) switchesRefused.inc(1, reason);
  });
  for (const route of authRoutes(auth)) http.route(route);
  const prometheus = config.metrics.enabled ? new PrometheusExporter(metrics) : undefined;
  for (const route of coreRoutes({ system, http, napps, store, config, version: VERSION, startedAt, metrics, prometheus, authStatus: () => auth.status() })) http.route(route);
  for (const route of apiDocsRoutes({ version: VERSION, napps: () => napps.documented(), kytosGetNAppToggles: config.auth.kytosGetNAppToggles })) http.route(route);
  // The web UI's static files hold no data: open even with auth.protectReads (its login form must load).
  for (const route of uiRoutes(uiSource())) {
    auth.exempt(route.path);
    http.route(route);
  }
  http.wsRoute(eventStreamRoute(system));

  let openflowPort = 0;
  const stopAll = async (graceMs: number): Promise<boolean> => {
    const deadline = clock.monotonic() + graceMs;
    const drainedHttp = await http.close(Math.max(0, deadline - clock.monotonic()));
    await southbound.stop().catch((error: unknown) => log.warn({ err: error }, 'southbound stop failed'));
    const failedNApps = await napps.stopAll();
    const drainedActors = await system.drain(Math.max(0, deadline - clock.monotonic()));
    system.shutdown();
    stopRuntimeMetrics();
    await auth.close();
    await store.close();
    if (failedNApps.length) throw new Error(`NApp shutdown failed: ${failedNApps.join(', ')}`);
    return drainedHttp && drainedActors;
  };

  try {
    for (const def of options.napps ?? []) napps.register(def);
    const enabled = [...new Set([...config.napps.enabled, ...(options.napps ?? []).map((d) => `${d.manifest.username}/${d.manifest.name}`)])];
    await napps.startAll(enabled);
    // Switches connect once the NApps that listen to them run.
    openflowPort = (await southbound.start()).port;
    await http.listen();
  } catch (error) {
    await stopAll(1000).catch(() => undefined);
    throw error;
  }

  let stopping: Promise<boolean> | undefined;
  return {
    config,
    log,
    system,
    http,
    napps,
    store,
    southbound,
    auth,
    httpPort: http.port,
    openflowPort,
    stop: () => (stopping ??= stopAll(config.shutdown.graceMs)),
    reload: (next) => {
      const result = applyReload(config, next);
      if (result.applied.length === 0) return result;
      log.level = config.log.level;
      auth.reconfigure();
      limiter = makeLimiter();
      system.deadLetters.configure({ maxPerName: config.actors.deadLettersPerName, maxTotal: config.actors.deadLettersMax, maxAgeMs: config.actors.deadLettersMaxAgeMs });
      return result;
    },
  };
}

/** Copies the reloadable keys of `next` that differ into `current` (in place: every part reads it there). */
export function applyReload(current: Config, next: Config): ReloadResult {
  const result: ReloadResult = { applied: [], restartNeeded: [] };
  const cur = current as unknown as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(next as unknown as Record<string, Record<string, unknown>>)) {
    for (const [key, value] of Object.entries(values)) {
      if (JSON.stringify(cur[section]?.[key]) === JSON.stringify(value)) continue;
      const name = `${section}.${key}`;
      if (RELOADABLE_KEYS.includes(name)) {
        cur[section]![key] = structuredClone(value);
        result.applied.push(name);
      } else {
        result.restartNeeded.push(name);
      }
    }
  }
  return result;
}

/** Runs the controller until SIGTERM/SIGINT, then drains and exits 0 (within 10 s), or 1 when the shutdown failed. */
async function main(): Promise<void> {
  let controller: Controller;
  try {
    controller = await startController();
  } catch (error) {
    process.stderr.write(`lattice: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const c = controller.config;
  process.stderr.write(
    `lattice ${VERSION}: REST on http://${c.http.host}:${controller.httpPort}/api/kytos/core/status/, ` +
      `OpenFlow on ${c.openflow.host}:${controller.openflowPort} ` +
      `(store: ${c.store.backend}${c.store.backend === 'embedded' ? ` at ${c.store.dataDir}` : ''}; log level ${c.log.level})\n`,
  );
  if (c.openflow.plaintext) {
    process.stderr.write(
      `lattice: warning: switches may connect over plain TCP on ${c.openflow.host}:${controller.openflowPort}, unauthenticated and unencrypted; ` +
        'for TLS with client certificates set openflow.tlsPort, tlsCert, tlsKey, tlsCa, tlsRequireClientCert and tlsDpids, then openflow.plaintext=false\n',
    );
  }
  if (controller.auth.bootstrapOpen) {
    process.stderr.write(
      'lattice: no user exists yet: until the first one is created, writes from this host over loopback ' +
        `(Host 127.0.0.1 or [::1], no foreign Origin) need no token. Create it now: curl -X POST http://127.0.0.1:${controller.httpPort}/api/kytos/core/auth/users/ ` +
        '-H "Content-Type: application/json" -d @first-user.json (or start with LATTICE_ADMIN_PASSWORD_FILE; auth.loopbackBootstrap=false turns this off)\n',
    );
  }
  const shutdown = (signal: string) => {
    controller.log.info({ signal }, 'shutting down');
    // A shutdown still running after 9.5 s did not finish: exit non-zero rather than claim success.
    controller.system.clock.setTimeout(() => process.exit(1), 9_500, { unref: true });
    controller.stop().then(
      (drained) => {
        controller.log.info({ drained }, 'stopped');
        process.exit(0);
      },
      (error) => {
        // A failed shutdown is not a clean exit (drained false still is: logged above).
        controller.log.error({ err: error }, 'shutdown failed');
        process.stderr.write(`lattice: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  // A promise left without a catch (a NApp's, most likely) would end the process (Node's default):
  // logged instead, and every other NApp and switch goes on.
  process.on('unhandledRejection', (reason) => {
    controller.log.error({ err: reason }, 'unhandled promise rejection (a missing catch): logged, the controller goes on');
  });
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // SIGHUP (systemctl reload): read the config file and the environment again, apply what can be applied.
  process.on('SIGHUP', () => {
    let next: Config;
    try {
      next = loadConfig();
    } catch (error) {
      controller.log.error({ err: error }, 'SIGHUP: config not reloaded');
      process.stderr.write(`lattice: SIGHUP: config not reloaded, the running config stays: ${(error as Error).message}\n`);
      return;
    }
    const { applied, restartNeeded } = controller.reload(next);
    controller.log.warn({ applied, restartNeeded }, 'SIGHUP: config reloaded');
    process.stderr.write(
      `lattice: SIGHUP: reloaded ${applied.length ? applied.join(', ') : 'nothing (no reloadable key changed)'}` +
        `${restartNeeded.length ? `; changed but needing a restart (not applied): ${restartNeeded.join(', ')}` : ''}\n`,
    );
  });
}

/** `http.maxBodyBytesByRoute`, checked: "METHOD /path" -> a positive integer. */
function bodyLimits(value: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, bytes] of Object.entries(value)) {
    if (!/^[A-Z]+ \/\S*$/.test(route) || typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1) {
      throw new ConfigError(`config http.maxBodyBytesByRoute: expected {"METHOD /path": bytes}, got ${JSON.stringify(route)}: ${JSON.stringify(bytes)}`, { key: 'http.maxBodyBytesByRoute' });
    }
    out[route] = bytes;
  }
  return out;
}

/** A private data dir for throwaway controllers (tests, benchmarks). */
export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'lattice-'));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
