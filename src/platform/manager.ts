import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { AnyActorLogic } from 'xstate';
import type { ActorSystem, Message, SpawnOptions, TimerHandle } from '../actor/index.js';
import {
  NAppDependencyError,
  NAppManifestError,
  NAppNotInstalledError,
  NotFoundError,
} from '../errors/index.js';
import type { HttpServer } from '../http/server.js';
import type { RouteDefinition, WsRouteDefinition } from '../http/types.js';
import type { Store } from '../store/ports.js';
import { fromSources } from '../package-root.js';
import { readManifest } from './manifest.js';
import { requestSchemas, schemaKey } from './openapi.js';
import { nappActorName, nappId, subscriptionPatterns, type NAppContext, type NAppDefinition, type NAppManifest } from '../sdk/napp.js';
import type { ServiceBinding, ServiceContract } from '../sdk/contract.js';
import { ownedTimers } from '../sdk/timers.js';
import { isStoreDown, migrateOrTolerate } from './migrations.js';
import { namespacePrefix } from '../store/validate.js';

export type NAppState = 'loading' | 'setup' | 'running' | 'stopping' | 'stopped' | 'failed';

/** How a NApp host actor is built; injected by main.ts from `actors/napp-host`. */
export interface NAppHostFactory {
  /** The host logic; it is spawned with input `{ definition, ctx, attach, detach, report }`. */
  logic(definition: NAppDefinition<any>, ctx: NAppContext<any>): AnyActorLogic;
  accepts(snapshot: any): boolean;
  /** How a message reaches the host (SpawnOptions.deliver). */
  deliver?: SpawnOptions['deliver'];
  start(): { type: string };
  stop(): { type: string };
}

export interface NAppManagerOptions {
  system: ActorSystem;
  http: HttpServer;
  store: Store;
  log: Logger;
  host: NAppHostFactory;
  /** Folder holding `<username>/<name>/manifest.json`. */
  dir: string;
  latticeVersion: string;
  /** `napps.settings` from config. */
  settings: Record<string, Record<string, unknown>>;
  /** Platform services offered to NApps, each bound to its catalogue contract. */
  services: readonly ServiceBinding<any>[];
  askTimeoutMs: number;
  /** How long a NApp's setup may take before it is failed (0: no limit). */
  loadTimeoutMs: number;
}

interface Entry {
  id: string;
  /** Timers the NApp set through its context; cancelled at detach. */
  timers: Set<TimerHandle>;
  definition: NAppDefinition<any>;
  dir?: string;
  state: NAppState;
  error?: string;
  /** Set when its last shutdown threw (it is stopped all the same). */
  shutdownError?: string;
  waiters: { states: NAppState[]; resolve: (s: NAppState) => void }[];
  /** Its collections were brought to their declared schema versions (once per process). */
  migrated?: boolean;
  /** What `prepare` computed during setup, mounted when the NApp runs. */
  prepared?: { routes: RouteDefinition[]; wsRoutes: WsRouteDefinition[]; patterns: string[] };
}

/**
 * Finds, loads, starts and stops NApps. Each NApp is one host actor; its
 * routes mount at `/api/<username>/<name>/...`; its subscriptions deliver into
 * its mailbox; its context is scoped to it.
 */
export class NAppManager {
  private readonly entries = new Map<string, Entry>();
  /** NApps that could not be loaded at all, with the reason. */
  private readonly failures = new Map<string, string>();

  constructor(private readonly options: NAppManagerOptions) {}

  /** NApps found on disk: `[{ id, dir, manifest }]`. */
  async installed(): Promise<{ id: string; dir: string; manifest: NAppManifest }[]> {
    const root = resolve(this.options.dir);
    const out: { id: string; dir: string; manifest: NAppManifest }[] = [];
    if (!existsSync(root)) return out;
    for (const user of await readdir(root, { withFileTypes: true })) {
      if (!user.isDirectory()) continue;
      for (const napp of await readdir(join(root, user.name), { withFileTypes: true })) {
        const dir = join(root, user.name, napp.name);
        if (!napp.isDirectory() || !existsSync(join(dir, 'manifest.json'))) continue;
        const manifest = await readManifest(join(dir, 'manifest.json'), this.options.latticeVersion);
        out.push({ id: nappId(manifest), dir, manifest });
      }
    }
    for (const e of this.entries.values()) if (!out.some((o) => o.id === e.id)) out.push({ id: e.id, dir: e.dir ?? '', manifest: e.definition.manifest });
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Registers a definition given in code (the test kit does this). */
  register(definition: NAppDefinition<any>, dir?: string): string {
    const id = nappId(definition.manifest);
    if (!this.entries.has(id)) this.entries.set(id, { id, definition, dir, state: 'stopped', waiters: [], timers: new Set() });
    return id;
  }

  /** Loads `napps/<user>/<name>/index.ts` (its default export is the definition). */
  async load(id: string): Promise<Entry> {
    const known = this.entries.get(id);
    if (known) return known;
    const found = (await this.installed()).find((n) => n.id === id);
    if (!found) throw new NAppNotInstalledError(id);
    // From sources (the dev loader) index.ts, else a plain-JS index.js; compiled, index.js only (Node cannot run .ts).
    const index = (fromSources(import.meta.url) ? ['index.ts', 'index.js'] : ['index.js']).map((f) => join(found.dir, f)).find((f) => existsSync(f));
    if (!index) throw new NAppManifestError(id, `no index.${fromSources(import.meta.url) ? 'ts' : 'js'}`);
    const mod = (await import(pathToFileURL(index).href)) as { default?: NAppDefinition<any> };
    const definition = mod.default;
    if (!definition?.manifest) throw new NAppManifestError(id, 'index.ts must export default defineNApp({...})');
    if (nappId(definition.manifest) !== id) throw new NAppManifestError(id, `index.ts defines ${nappId(definition.manifest)}`);
    this.register(definition, found.dir);
    return this.entries.get(id)!;
  }

  /**
   * Loads and starts NApps in dependency order. A NApp that cannot load, whose
   * dependency is missing or failed, whose setup throws or does not finish
   * within `loadTimeoutMs`, is `failed` with its reason (in `core/status`);
   * the others start without it.
   */
  async startAll(ids: string[]): Promise<void> {
    const loaded: string[] = [];
    for (const id of ids) {
      try {
        await this.load(id);
        loaded.push(id);
      } catch (error) {
        this.loadFailed(id, error);
      }
    }
    const order: string[] = [];
    const visit = (id: string, path: string[]): boolean => {
      if (order.includes(id)) return true;
      if (path.includes(id)) {
        this.loadFailed(id, new NAppManifestError(id, `dependency cycle ${[...path, id].join(' -> ')}`));
        return false;
      }
      const entry = this.entries.get(id);
      if (!entry) return false;
      for (const dep of entry.definition.manifest.napp_dependencies ?? []) {
        if ((!loaded.includes(dep) && !this.isEnabled(dep)) || !visit(dep, [...path, id])) {
          this.report(entry, 'failed', new NAppDependencyError(id, dep));
          return false;
        }
      }
      order.push(id);
      return true;
    };
    for (const id of loaded) visit(id, []);
    // Every NApp's collections reach their schema versions before any NApp reads: a downgrade
    // or a failed migration refuses the start (nothing is half-upgraded behind a running NApp).
    // A store that is down fails only the NApps that need a migration (in enable, below).
    for (const id of order) {
      await this.migrate(this.entries.get(id)!).catch((error: unknown) => {
        if (!isStoreDown(error)) throw error;
      });
    }
    for (const id of order) {
      const missing = this.entries.get(id)!.definition.manifest.napp_dependencies?.find((d) => !this.isEnabled(d));
      if (missing) {
        this.report(this.entries.get(id)!, 'failed', new NAppDependencyError(id, missing));
        continue;
      }
      await this.enable(id);
    }
  }

  /** A NApp that could not even be loaded (not installed, bad manifest or index): failed, with its reason. */
  private loadFailed(id: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const entry = this.entries.get(id);
    if (entry) return this.report(entry, 'failed', error);
    this.failures.set(id, reason);
    this.options.log.error({ napp: id, err: error }, 'NApp failed to load');
  }

  isEnabled(id: string): boolean {
    return this.entries.get(id)?.state === 'running';
  }

  enabled(): string[] {
    return [...this.entries.values()].filter((e) => e.state === 'running').map((e) => e.id);
  }

  /** The running NApps, where their routes are mounted, and their openapi.yml (for the merged API docs). */
  documented(): { id: string; version: string; prefix: string; openapi?: string }[] {
    return [...this.entries.values()]
      .filter((e) => e.state === 'running')
      .map((e) => {
        // Declared by the definition, else an openapi.yml beside the NApp's index (one that validates its bodies itself).
        const beside = e.dir !== undefined && existsSync(join(e.dir, 'openapi.yml')) ? join(e.dir, 'openapi.yml') : undefined;
        const spec = e.definition.openapi ?? beside;
        return {
          id: e.id,
          version: e.definition.manifest.version,
          prefix: this.prefix(e),
          ...(spec ? { openapi: spec instanceof URL ? fileURLToPath(spec) : spec } : {}),
        };
      });
  }

  states(): { id: string; state: NAppState; version: string; error?: string }[] {
    const out: { id: string; state: NAppState; version: string; error?: string }[] = [...this.entries.values()].map((e) => ({
      id: e.id,
      state: e.state,
      version: e.definition.manifest.version,
      ...(e.error ? { error: e.error } : {}),
    }));
    for (const [id, error] of this.failures) if (!this.entries.has(id)) out.push({ id, state: 'failed', version: '', error });
    return out;
  }

  definition(id: string): NAppDefinition<any> | undefined {
    return this.entries.get(id)?.definition;
  }

  /** Starts a NApp (spawning its host actor the first time); resolves to its state. */
  async enable(id: string): Promise<NAppState> {
    const entry = await this.load(id);
    for (const dep of entry.definition.manifest.napp_dependencies ?? []) {
      if (!this.isEnabled(dep)) throw new NAppDependencyError(id, dep);
    }
    if (entry.state === 'running') return 'running';
    try {
      await this.migrate(entry);
    } catch (error) {
      this.report(entry, 'failed', error);
      return 'failed';
    }
    const actor = nappActorName(id);
    const waiting = this.withinLoadTimeout(entry, this.waitFor(entry, ['running', 'failed']));
    if (!this.options.system.has(actor)) {
      entry.state = 'setup';
      const ctx = this.context(entry);
      const input = {
        definition: entry.definition,
        ctx,
        prepare: () => this.prepare(entry, ctx),
        attach: () => this.attach(entry),
        detach: () => this.detach(entry),
        report: (state: string, error?: unknown) => this.report(entry, state as NAppState, error),
      };
      const logic = this.options.host.logic(entry.definition, ctx);
      this.options.system.spawn(actor, logic, { kind: 'napp', input, accepts: this.options.host.accepts, deliver: this.options.host.deliver });
    } else {
      entry.state = 'setup';
      this.options.system.tell(actor, this.options.host.start());
    }
    return waiting;
  }

  /** Runs the NApp's schema migrations (see `migrations.ts`), once per process. */
  private async migrate(entry: Entry): Promise<void> {
    const schema = entry.definition.schema;
    if (entry.migrated || !schema) return;
    const { store, log, system } = this.options;
    const owner = { owner: entry.id, store: store.scoped(entry.id), prefix: `${namespacePrefix(entry.id)}.`, schema };
    entry.migrated = await migrateOrTolerate(store, owner, log.child({ napp: entry.id, part: 'schema' }), system.clock);
  }

  /** Stops a NApp: its shutdown runs, its routes and subscriptions go. */
  async disable(id: string): Promise<NAppState> {
    const entry = this.entries.get(id);
    if (!entry) throw new NAppNotInstalledError(id);
    if (entry.state !== 'running' && entry.state !== 'failed') return entry.state;
    const dependants = [...this.entries.values()].filter(
      (e) => e.state === 'running' && e.definition.manifest.napp_dependencies?.includes(id),
    );
    for (const d of dependants) await this.disable(d.id);
    const waiting = this.waitFor(entry, ['stopped']);
    this.options.system.tell(nappActorName(id), this.options.host.stop());
    const state = await waiting;
    this.options.system.stop(nappActorName(id));
    return state;
  }

  /** Stops every NApp, dependants first; resolves to the ids of those whose shutdown failed. */
  async stopAll(): Promise<string[]> {
    const running = [...this.entries.values()].filter((e) => e.state === 'running').reverse();
    const failed: string[] = [];
    for (const e of running) {
      delete e.shutdownError;
      try {
        await this.disable(e.id);
      } catch (error) {
        e.shutdownError = error instanceof Error ? error.message : String(error);
        this.options.log.warn({ err: error, napp: e.id }, 'NApp shutdown failed');
      }
      if (e.shutdownError !== undefined) failed.push(e.id);
    }
    return failed;
  }

  /** Setup must finish within `loadTimeoutMs`: past it the NApp is failed and its actor stopped. */
  private withinLoadTimeout(entry: Entry, waiting: Promise<NAppState>): Promise<NAppState> {
    const { system, loadTimeoutMs } = this.options;
    if (!loadTimeoutMs) return waiting;
    const timer = system.clock.setTimeout(() => {
      if (entry.state !== 'setup') return;
      system.stop(nappActorName(entry.id));
      this.detach(entry);
      this.report(entry, 'failed', new Error(`setup did not finish within ${loadTimeoutMs} ms (napps.loadTimeoutMs)`));
    }, loadTimeoutMs);
    return waiting.finally(() => system.clock.clearTimeout(timer));
  }

  private waitFor(entry: Entry, states: NAppState[]): Promise<NAppState> {
    return new Promise((resolve) => entry.waiters.push({ states, resolve }));
  }

  private report(entry: Entry, state: NAppState, error?: unknown): void {
    entry.state = state;
    if (state === 'stopped' && error !== undefined) {
      entry.shutdownError = error instanceof Error ? error.message : String(error);
      this.options.log.error({ napp: entry.id, err: error }, 'NApp shutdown failed');
    } else if (error !== undefined) {
      entry.error = error instanceof Error ? error.message : String(error);
      this.options.log.error({ napp: entry.id, err: error }, 'NApp failed');
    } else if (state === 'running') {
      delete entry.error;
      this.options.log.info({ napp: entry.id }, 'NApp running');
      this.options.system.bus.publish(`${entry.id}.loaded`, {});
    }
    const ready = entry.waiters.filter((w) => w.states.includes(state));
    entry.waiters = entry.waiters.filter((w) => !w.states.includes(state));
    for (const w of ready) w.resolve(state);
  }

  private prefix(entry: Entry): string {
    return `/api/${entry.id}/`;
  }

  /**
   * Computes what the NApp mounts (its routes with their schemas, WebSocket
   * routes, subscriptions). Runs during setup, so a `routes()` that throws or
   * a missing `openapi.yml` leaves the NApp failed instead of crashing it.
   */
  private prepare(entry: Entry, ctx: NAppContext<any>): void {
    const def = entry.definition;
    const actor = nappActorName(entry.id);
    const schemas = def.openapi ? requestSchemas(def.openapi instanceof URL ? fileURLToPath(def.openapi) : def.openapi) : undefined;
    const routes = (def.routes?.(ctx) ?? []).map((r) => {
      const bodySchema = r.bodySchema ?? schemas?.get(schemaKey(r.method, r.path));
      return { ...r, ...(bodySchema ? { bodySchema } : {}), path: this.prefix(entry) + r.path.replace(/^\//, ''), owner: actor };
    });
    const wsRoutes = (def.wsRoutes?.(ctx) ?? []).map((w) => ({ ...w, path: this.prefix(entry) + w.path.replace(/^\//, ''), owner: actor }));
    // Every route says who may use it; a NApp that leaves one out (plain JS, a cast) does not start.
    for (const r of [...routes, ...wsRoutes]) {
      if (r.access !== 'read' && r.access !== 'write') {
        const what = 'method' in r ? `${r.method} ${r.path}` : `WebSocket ${r.path}`;
        throw new Error(`route ${what} declares no access ('read' or 'write')`);
      }
    }
    entry.prepared = { routes, wsRoutes, patterns: subscriptionPatterns(def) };
  }

  /** Mounts what `prepare` computed: routes, WebSocket routes, subscriptions. */
  private attach(entry: Entry): void {
    const actor = nappActorName(entry.id);
    this.unmount(entry);
    const p = entry.prepared;
    if (!p) return;
    if (p.patterns.length) this.options.system.bus.subscribe(actor, p.patterns);
    for (const r of p.routes) this.options.http.route(r);
    for (const w of p.wsRoutes) this.options.http.wsRoute(w);
  }

  /** Everything the NApp installed goes: timers, subscriptions, routes. */
  private detach(entry: Entry): void {
    for (const t of entry.timers) this.options.system.clock.clearTimeout(t);
    entry.timers.clear();
    this.unmount(entry);
  }

  private unmount(entry: Entry): void {
    this.options.system.bus.unsubscribeActor(nappActorName(entry.id));
    this.options.http.unmount(this.prefix(entry));
  }

  private context(entry: Entry): NAppContext<any> {
    const { system, store, log, services, askTimeoutMs } = this.options;
    const id = entry.id;
    const settings = { ...(entry.definition.settings ?? {}), ...(this.options.settings[id] ?? {}) };
    const scopedStore = store.scoped(id);
    const bound = new Map(services.map((b) => [b.contract.name, b.implementation]));
    const nappLog = log.child({ napp: id });
    return {
      id,
      self: nappActorName(id),
      manifest: entry.definition.manifest,
      settings,
      log: nappLog,
      clock: system.clock,
      store: scopedStore,
      emit: (event, content) => system.bus.publish(event.type, content as Record<string, unknown>),
      tell: (actor, message) => system.tell(actor, message as Message),
      ask: (contract, request, timeoutMs = askTimeoutMs) =>
        system.ask(nappActorName(contract.napp), { ...request, type: contract.type }, timeoutMs),
      lock: (key) => system.locks.acquire(key),
      withLock: (key, fn) => system.locks.run(key, fn),
      service: <T>(contract: ServiceContract<T>): T => {
        if (!bound.has(contract.name)) throw new NotFoundError(`no service named ${contract.name}`);
        return bound.get(contract.name) as T;
      },
      timers: ownedTimers(system.clock, entry.timers, (error) => nappLog.error({ err: error }, 'NApp timer callback failed (the NApp goes on)')),
    };
  }
}

