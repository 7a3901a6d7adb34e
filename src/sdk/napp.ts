import type { AnyStateMachine } from 'xstate';
import type { Logger } from 'pino';
import type { Clock, KytosEvent, Message, TimerHandle } from '../actor/index.js';
import type { RouteDefinition, WsRouteDefinition } from '../http/types.js';
import type { Store } from '../store/ports.js';
import type { AskContract, EventContract, ServiceContract } from './contract.js';
import { checkSchema, type SchemaDeclaration } from './schema.js';
import type { KytosImporter } from './kytos-import.js';

/** `manifest.json` of a NApp folder. */
export interface NAppManifest {
  username: string;
  name: string;
  version: string;
  description?: string;
  /** Other NApps this one needs, as "username/name". */
  napp_dependencies?: string[];
  /** Lattice versions this NApp supports, e.g. ">=0.1 <1". */
  lattice?: string;
}

/** What a NApp sees of the controller: its own scope, nothing of other NApps' internals. */
export interface NAppContext<S = Record<string, unknown>> {
  /** "username/name". */
  readonly id: string;
  /** The NApp's actor name, to `ask` itself from route handlers. */
  readonly self: string;
  readonly manifest: NAppManifest;
  readonly settings: S;
  readonly log: Logger;
  readonly clock: Clock;
  /** This NApp's collections (namespaced to it). */
  readonly store: Store;
  /** Publishes a bus event declared in the catalogue (`ctx.emit(linkUp, { link })`). */
  emit<N extends string, P>(event: EventContract<N, P>, content: P): KytosEvent;
  /** Sends a message to an actor, usually the NApp itself (`ctx.tell(ctx.self, ...)`); false when refused. */
  tell<M extends { readonly type: string }>(actor: string, message: M): boolean;
  /**
   * Asks a NApp (itself or another) through a catalogue contract and waits for
   * its answer: `await ctx.ask(getSwitch, { dpid })`.
   */
  ask<T extends string, Req extends object, Res>(contract: AskContract<T, Req, Res>, request: Req, timeoutMs?: number): Promise<Res>;
  /** Takes the async mutex of a resource ("flows:<dpid>"); call the result to release. */
  lock(key: string): Promise<() => void>;
  /** Runs `fn` holding the resource's mutex. */
  withLock<T>(key: string, fn: () => Promise<T> | T): Promise<T>;
  /** A platform service wired by the controller (`ctx.service(switchesService)`). */
  service<T>(contract: ServiceContract<T>): T;
  /** Timers on the controller's clock that the SDK cancels when the NApp stops or restarts. */
  readonly timers: NAppTimers;
}

/** Timers owned by a NApp: every one still pending is cancelled when the NApp stops. */
export interface NAppTimers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
  /**
   * Resolves on a later turn of the event loop, after pending I/O (not a timer: no delay and no
   * clock), so a long piece of work can let other requests and switches in between its slices.
   */
  yield(): Promise<void>;
  /** Timers pending now. */
  readonly pending: number;
}

/**
 * A route of a NApp: a route definition whose `path` is relative to
 * `/api/<username>/<name>/`, like Kytos' `@rest` rule ("v3/switches/{dpid}" or
 * "/v3/switches/{dpid}"). Without `bodySchema`, the NApp's openapi.yml gives it.
 */
export type NAppRoute = Omit<RouteDefinition, 'owner'>;

/** A WebSocket route of a NApp, relative to `/api/<username>/<name>/`. */
export type NAppWsRoute = WsRouteDefinition;

export interface NAppDefinition<S = Record<string, unknown>> {
  manifest: NAppManifest;
  /** Default settings; `napps.settings["username/name"]` in config overrides them. */
  settings?: S;
  /**
   * Bus events delivered to `machine`: catalogue contracts (preferred) or Kytos
   * regex patterns. Each arrives as a machine event whose `type` is the event
   * name (`{ type, content, event }`), so machines write `on: { [linkUp.type]: ... }`.
   */
  subscriptions?: readonly (EventContract<string, any> | string)[];
  /**
   * The NApp's behaviour: an xstate machine that receives its subscribed bus
   * events and the messages sent to the NApp (answer asks with `reply`). Its
   * side effects are named actions the NApp provides (`machine.provide(...)`):
   * store first, then send, then emit.
   */
  machine?: (ctx: NAppContext<S>) => AnyStateMachine;
  routes?: (ctx: NAppContext<S>) => NAppRoute[];
  wsRoutes?: (ctx: NAppContext<S>) => NAppWsRoute[];
  /**
   * The NApp's OpenAPI spec (a path, usually `new URL('./openapi.yml', import.meta.url)`):
   * routes without a `bodySchema` validate their JSON body against its
   * requestBody schema, compiled once when the NApp starts.
   */
  openapi?: string | URL;
  /**
   * The schema version of each collection the NApp owns (by the name it opens
   * it with) and the migrations to it; they run before `setup` (see schema.ts).
   * An undeclared collection is at version 1 and never migrated.
   */
  schema?: SchemaDeclaration;
  /** Maps Kytos-ng's documents into the NApp's own (`lattice import-kytos`; see kytos-import.ts). */
  importKytos?: KytosImporter<S>;
  /** Runs before the NApp takes messages. A throw leaves the NApp `failed`. */
  setup?: (ctx: NAppContext<S>) => Promise<void> | void;
  /** Runs when the NApp is disabled or the controller stops; remove what it installed. */
  shutdown?: (ctx: NAppContext<S>) => Promise<void> | void;
}

const ID = /^[a-z0-9_]+$/i;

/** Declares a NApp. Checks the shape now, so a broken NApp fails at load, not later. */
export function defineNApp<S = Record<string, unknown>>(definition: NAppDefinition<S>): NAppDefinition<S> {
  const m = definition.manifest;
  if (!m || !ID.test(m.username ?? '') || !ID.test(m.name ?? '')) {
    throw new TypeError('defineNApp: manifest needs a username and name of letters, digits and _');
  }
  for (const key of ['machine', 'routes', 'wsRoutes', 'setup', 'shutdown'] as const) {
    if (definition[key] !== undefined && typeof definition[key] !== 'function') {
      throw new TypeError(`defineNApp ${m.username}/${m.name}: ${key} must be a function`);
    }
  }
  if (definition.schema !== undefined) checkSchema(`defineNApp ${m.username}/${m.name}`, definition.schema);
  for (const s of definition.subscriptions ?? []) {
    if (typeof s !== 'string' && s?.kind !== 'event') {
      throw new TypeError(`defineNApp ${m.username}/${m.name}: a subscription is a pattern or an event contract`);
    }
  }
  return definition;
}

export const nappId = (m: Pick<NAppManifest, 'username' | 'name'>): string => `${m.username}/${m.name}`;
export const nappActorName = (id: string): string => `napp:${id}`;
export type { Message, KytosEvent };

/** The bus patterns of a NApp's subscriptions (contracts become exact-name patterns). */
export const subscriptionPatterns = (definition: Pick<NAppDefinition<any>, 'subscriptions'>): string[] =>
  (definition.subscriptions ?? []).map((s) => (typeof s === 'string' ? s : s.pattern));
