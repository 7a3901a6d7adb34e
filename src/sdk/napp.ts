import type { AnyStateMachine } from 'xstate';
import type { Logger } from 'pino';
import type { Clock, KytosEvent, Message, TimerHandle } from '../actor/index.js';
import type { RouteDefinition, WsRouteDefinition } from '../http/types.js';
import type { Store } from '../store/ports.js';

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
  /** Publishes a bus event. */
  emit(name: string, content?: Record<string, unknown>): KytosEvent;
  /** Sends a message to an actor (false when refused). */
  tell(actor: string, message: Message): boolean;
  /** Asks an actor and waits for its answer. */
  ask<R>(actor: string, message: Message, timeoutMs?: number): Promise<R>;
  /** Asks another NApp's actor ("username/name"). */
  askNApp<R>(napp: string, message: Message, timeoutMs?: number): Promise<R>;
  /** Takes the async mutex of a resource ("flows:<dpid>"); call the result to release. */
  lock(key: string): Promise<() => void>;
  /** Runs `fn` holding the resource's mutex. */
  withLock<T>(key: string, fn: () => Promise<T> | T): Promise<T>;
  /** Platform services wired by the controller (e.g. "switches"). */
  service<T>(name: string): T;
  /** Timers on the controller's clock that the SDK cancels when the NApp stops or restarts. */
  readonly timers: NAppTimers;
}

/** Timers owned by a NApp: every one still pending is cancelled when the NApp stops. */
export interface NAppTimers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
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
  /** Event name patterns (Kytos regex semantics) delivered to `machine` as `{ type: 'bus.event', event }`. */
  subscriptions?: string[];
  /**
   * The NApp's behaviour: an xstate machine that receives its subscribed bus
   * events and the messages sent to the NApp (answer asks with `reply`).
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
  return definition;
}

export const nappId = (m: Pick<NAppManifest, 'username' | 'name'>): string => `${m.username}/${m.name}`;
export const nappActorName = (id: string): string => `napp:${id}`;
export type { Message, KytosEvent };
