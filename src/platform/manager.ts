import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { AnyActorLogic } from 'xstate';
import type { ActorSystem, TimerHandle } from '../actor/index.js';
import {
  NAppDependencyError,
  NAppFailedError,
  NAppManifestError,
  NAppNotInstalledError,
  NotFoundError,
} from '../errors/index.js';
import type { HttpServer } from '../http/server.js';
import type { Store } from '../store/ports.js';
import { readManifest } from './manifest.js';
import { requestSchemas, schemaKey } from './openapi.js';
import { nappActorName, nappId, type NAppContext, type NAppDefinition, type NAppManifest, type NAppTimers } from '../sdk/napp.js';

export type NAppState = 'loading' | 'setup' | 'running' | 'stopping' | 'stopped' | 'failed';

/** How a NApp host actor is built; injected by main.ts from `actors/napp-host`. */
export interface NAppHostFactory {
  /** The host logic; it is spawned with input `{ definition, ctx, attach, detach, report }`. */
  logic(definition: NAppDefinition<any>, ctx: NAppContext<any>): AnyActorLogic;
  accepts(snapshot: any): boolean;
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
  services: Record<string, unknown>;
  askTimeoutMs: number;
}

interface Entry {
  id: string;
  /** Timers the NApp set through its context; cancelled at detach. */
  timers: Set<TimerHandle>;
  definition: NAppDefinition<any>;
  dir?: string;
  state: NAppState;
  error?: string;
  waiters: { states: NAppState[]; resolve: (s: NAppState) => void }[];
}

/**
 * Finds, loads, starts and stops NApps. Each NApp is one host actor; its
 * routes mount at `/api/<username>/<name>/...`; its subscriptions deliver into
 * its mailbox; its context is scoped to it.
 */
export class NAppManager {
  private readonly entries = new Map<string, Entry>();

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
    const index = ['index.ts', 'index.js'].map((f) => join(found.dir, f)).find((f) => existsSync(f));
    if (!index) throw new NAppManifestError(id, 'no index.ts');
    const mod = (await import(pathToFileURL(index).href)) as { default?: NAppDefinition<any> };
    const definition = mod.default;
    if (!definition?.manifest) throw new NAppManifestError(id, 'index.ts must export default defineNApp({...})');
    if (nappId(definition.manifest) !== id) throw new NAppManifestError(id, `index.ts defines ${nappId(definition.manifest)}`);
    this.register(definition, found.dir);
    return this.entries.get(id)!;
  }

  /** Loads and starts NApps in dependency order; fails fast on a missing dependency or a failed setup. */
  async startAll(ids: string[]): Promise<void> {
    const wanted = new Set(ids);
    for (const id of ids) await this.load(id);
    const order: string[] = [];
    const visit = (id: string, path: string[]) => {
      if (order.includes(id)) return;
      if (path.includes(id)) throw new NAppManifestError(id, `dependency cycle ${[...path, id].join(' -> ')}`);
      const entry = this.entries.get(id)!;
      for (const dep of entry.definition.manifest.napp_dependencies ?? []) {
        if (!wanted.has(dep) && !this.isEnabled(dep)) throw new NAppDependencyError(id, dep);
        visit(dep, [...path, id]);
      }
      order.push(id);
    };
    for (const id of ids) visit(id, []);
    for (const id of order) {
      const state = await this.enable(id);
      if (state !== 'running') throw new NAppFailedError(id, { cause: this.entries.get(id)?.error });
    }
  }

  isEnabled(id: string): boolean {
    return this.entries.get(id)?.state === 'running';
  }

  enabled(): string[] {
    return [...this.entries.values()].filter((e) => e.state === 'running').map((e) => e.id);
  }

  states(): { id: string; state: NAppState; version: string; error?: string }[] {
    return [...this.entries.values()].map((e) => ({
      id: e.id,
      state: e.state,
      version: e.definition.manifest.version,
      ...(e.error ? { error: e.error } : {}),
    }));
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
    const actor = nappActorName(id);
    const waiting = this.waitFor(entry, ['running', 'failed']);
    if (!this.options.system.has(actor)) {
      entry.state = 'setup';
      const ctx = this.context(entry);
      const input = {
        definition: entry.definition,
        ctx,
        attach: () => this.attach(entry, ctx),
        detach: () => this.detach(entry),
        report: (state: string, error?: unknown) => this.report(entry, state as NAppState, error),
      };
      const logic = this.options.host.logic(entry.definition, ctx);
      this.options.system.spawn(actor, logic, { kind: 'napp', input, accepts: this.options.host.accepts });
    } else {
      entry.state = 'setup';
      this.options.system.tell(actor, this.options.host.start());
    }
    return waiting;
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

  /** Stops every NApp, dependants first. */
  async stopAll(): Promise<void> {
    const running = [...this.entries.values()].filter((e) => e.state === 'running').reverse();
    for (const e of running) {
      try {
        await this.disable(e.id);
      } catch (error) {
        this.options.log.warn({ err: error, napp: e.id }, 'NApp shutdown failed');
      }
    }
  }

  private waitFor(entry: Entry, states: NAppState[]): Promise<NAppState> {
    return new Promise((resolve) => entry.waiters.push({ states, resolve }));
  }

  private report(entry: Entry, state: NAppState, error?: unknown): void {
    entry.state = state;
    if (error !== undefined) {
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

  private attach(entry: Entry, ctx: NAppContext<any>): void {
    const def = entry.definition;
    const actor = nappActorName(entry.id);
    this.unmount(entry);
    if (def.subscriptions?.length) this.options.system.bus.subscribe(actor, def.subscriptions);
    const schemas = def.openapi ? requestSchemas(def.openapi instanceof URL ? fileURLToPath(def.openapi) : def.openapi) : undefined;
    for (const r of def.routes?.(ctx) ?? []) {
      const bodySchema = r.bodySchema ?? schemas?.get(schemaKey(r.method, r.path));
      this.options.http.route({
        ...r,
        ...(bodySchema ? { bodySchema } : {}),
        path: this.prefix(entry) + r.path.replace(/^\//, ''),
        owner: actor,
      });
    }
    for (const w of def.wsRoutes?.(ctx) ?? []) {
      this.options.http.wsRoute({ ...w, path: this.prefix(entry) + w.path.replace(/^\//, ''), owner: actor });
    }
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

  private timers(entry: Entry): NAppTimers {
    const clock = this.options.system.clock;
    const owned = entry.timers;
    return {
      setTimeout: (fn, ms) => {
        const handle = clock.setTimeout(() => {
          owned.delete(handle);
          fn();
        }, ms);
        owned.add(handle);
        return handle;
      },
      setInterval: (fn, ms) => {
        const handle = clock.setInterval(fn, ms);
        owned.add(handle);
        return handle;
      },
      clear: (handle) => {
        if (!handle) return;
        clock.clearTimeout(handle);
        owned.delete(handle);
      },
      get pending() {
        return owned.size;
      },
    };
  }

  private context(entry: Entry): NAppContext<any> {
    const { system, store, log, services, askTimeoutMs } = this.options;
    const id = entry.id;
    const settings = { ...(entry.definition.settings ?? {}), ...(this.options.settings[id] ?? {}) };
    const scopedStore = store.scoped(id);
    return {
      id,
      self: nappActorName(id),
      manifest: entry.definition.manifest,
      settings,
      log: log.child({ napp: id }),
      clock: system.clock,
      store: scopedStore,
      emit: (name, content = {}) => system.bus.publish(name, content),
      tell: (actor, message) => system.tell(actor, message),
      ask: (actor, message, timeoutMs = askTimeoutMs) => system.ask(actor, message, timeoutMs),
      askNApp: (napp, message, timeoutMs = askTimeoutMs) => system.ask(nappActorName(napp), message, timeoutMs),
      lock: (key) => system.locks.acquire(key),
      withLock: (key, fn) => system.locks.run(key, fn),
      service: <T>(name: string): T => {
        if (!(name in services)) throw new NotFoundError(`no service named ${name}`);
        return services[name] as T;
      },
      timers: this.timers(entry),
    };
  }
}

