import type { ActorSystem, KytosEvent } from '../actor/index.js';
import { compilePattern } from '../actor/index.js';
import { publicConfig, type Config } from '../config/index.js';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import type { HttpServer } from '../http/server.js';
import type { HttpResponse, RouteDefinition, WsClient, WsRouteDefinition } from '../http/types.js';
import type { MetricsRegistry } from '../metrics/index.js';
import type { Store } from '../store/ports.js';
import type { NAppManager } from './manager.js';

export interface CoreApiDeps {
  system: ActorSystem;
  http: HttpServer;
  napps: NAppManager;
  store: Store;
  config: Config;
  version: string;
  startedAt: Date;
  /** What `core/status` shows under `auth` (whether the first-run bootstrap applies, and so on). */
  authStatus?: () => unknown;
  /** Shown under `metrics` in the status (the HTTP server's registry when not given). */
  metrics?: MetricsRegistry;
}

const CORE = '/api/kytos/core';
/** Routes that take no body still get one read: keep it tiny. */
const NO_BODY_BYTES = 1024;
/** An event name and a list of ids: 64 KiB is over a thousand ids. */
const DEAD_LETTER_BODY_BYTES = 65_536;
const ok = (body: unknown, status = 200): HttpResponse => ({ status, body });
/** The liveness probe's answer: the cheapest route through the full actor path. */
const PONG: HttpResponse = Object.freeze({ status: 200, body: Object.freeze({ response: 'pong' }) });

const deadLetterPatch = {
  type: 'object',
  required: ['event_name', 'ids'],
  properties: {
    event_name: { type: 'string', minLength: 1 },
    ids: { type: 'array', items: { type: 'string' } },
    kytos_queue_buffer: { type: 'string', enum: ['app', 'msg_in'] },
  },
  additionalProperties: false,
};

const deadLetterDelete = {
  type: 'object',
  required: ['event_name'],
  properties: {
    event_name: { type: 'string', minLength: 1 },
    ids: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

/** The Kytos-compatible core routes (kytos-api.md 1.5), plus actor introspection. */
export function coreRoutes(deps: CoreApiDeps): RouteDefinition[] {
  const { system, napps, store, config, version, startedAt } = deps;
  const nappPair = (id: string) => id.split('/') as [string, string];

  const enable = async (user: string, name: string): Promise<HttpResponse> => {
    const id = `${user}/${name}`;
    if (!(await napps.installed()).some((n) => n.id === id)) return ok({ response: 'not installed' }, 400);
    try {
      const state = await napps.enable(id);
      return state === 'running' ? ok({ response: 'enabled' }) : ok({ response: 'error' }, 500);
    } catch (error) {
      return ok({ response: 'error', description: (error as Error).message }, 500);
    }
  };
  const disable = async (user: string, name: string): Promise<HttpResponse> => {
    const id = `${user}/${name}`;
    if (!(await napps.installed()).some((n) => n.id === id)) return ok({ response: 'not installed' }, 400);
    try {
      await napps.disable(id);
      return ok({ response: 'disabled' });
    } catch (error) {
      return ok({ response: 'error', description: (error as Error).message }, 500);
    }
  };

  const routes: RouteDefinition[] = [
    {
      method: 'GET', access: 'read',
      path: `${CORE}/status`,
      handler: () => {
        const actors = system.list();
        const byKind: Record<string, number> = {};
        for (const a of actors) byKind[a.kind] = (byKind[a.kind] ?? 0) + a.mailbox.depth;
        const storeStatus = store.status();
        const nappStates = napps.states();
        const degraded = !storeStatus.up || nappStates.some((n) => n.state === 'failed') || actors.some((a) => a.status === 'failed');
        return ok({
          response: 'running',
          system_status: degraded ? 'degradated' : 'running',
          started_at: startedAt.toISOString(),
          uptime_seconds: Math.floor((system.clock.now() - startedAt.getTime()) / 1000),
          buffers_qsize: byKind,
          mailboxes: { actors: actors.length, queued: system.queuedMessages(), refused: system.refusedCount, crashes: system.crashCount },
          dead_letters: system.deadLetters.size,
          http: deps.http.stats,
          websocket: deps.http.ws.stats,
          store: storeStatus,
          napps: Object.fromEntries(nappStates.map((n) => [n.id, n.state])),
          ...(deps.authStatus ? { auth: deps.authStatus() } : {}),
          /** Why each failed NApp failed. */
          napps_failed: Object.fromEntries(nappStates.filter((n) => n.state === 'failed').map((n) => [n.id, n.error ?? 'failed'])),
          metrics: (deps.metrics ?? deps.http.metrics).toJSON(),
        });
      },
    },
    { method: 'GET', access: 'read', path: `${CORE}/config`, handler: () => ok(publicConfig(config)) },
    {
      method: 'GET', access: 'read',
      path: `${CORE}/metadata`,
      handler: () =>
        ok({
          __version__: version,
          __author__: 'Lattice developers',
          __author_email__: '',
          __license__: 'Apache-2.0',
          __url__: '',
          __description__: 'SDN controller for OpenFlow 1.3 with a Kytos-ng compatible API and an actor-model core',
        }),
    },
    { method: 'GET', access: 'read', path: `${CORE}/napps_enabled`, handler: () => ok({ napps: napps.enabled().map(nappPair) }) },
    {
      method: 'GET', access: 'read',
      path: `${CORE}/napps_installed`,
      handler: async () => ok({ napps: (await napps.installed()).map((n) => nappPair(n.id)) }),
    },
    // Kytos-ng's GET forms change state on a GET: off (405) unless `auth.kytosGetNAppToggles`, and then always behind a token.
    ...(config.auth.kytosGetNAppToggles ? (['POST', 'GET'] as const) : (['POST'] as const)).flatMap((method): RouteDefinition[] => [
      {
        method,
        access: 'write',
        tokenAlways: method === 'GET',
        path: `${CORE}/napps/{username}/{napp_name}/enable`,
        maxBodyBytes: NO_BODY_BYTES,
        handler: (r) => enable(r.params.username!, r.params.napp_name!),
      },
      {
        method,
        access: 'write',
        tokenAlways: method === 'GET',
        path: `${CORE}/napps/{username}/{napp_name}/disable`,
        maxBodyBytes: NO_BODY_BYTES,
        handler: (r) => disable(r.params.username!, r.params.napp_name!),
      },
    ]),
    {
      method: 'GET', access: 'read',
      path: `${CORE}/napps/{username}/{napp_name}/metadata/{key}`,
      handler: async (r) => {
        const id = `${r.params.username}/${r.params.napp_name}`;
        const found = (await napps.installed()).find((n) => n.id === id);
        if (!found) throw new BadRequestError('NApp is not installed.');
        const key = r.params.key!;
        if (!['napp_dependencies', 'description', 'version'].includes(key)) throw new BadRequestError('Invalid key.');
        const value = (found.manifest as unknown as Record<string, unknown>)[key] ?? (key === 'napp_dependencies' ? [] : '');
        return ok({ [key]: value });
      },
    },
    {
      method: 'GET', access: 'read',
      path: `${CORE}/dead_letter`,
      handler: (r) => {
        const name = new URLSearchParams(r.queryString).get('event_name') ?? undefined;
        return ok(system.deadLetters.list(name));
      },
    },
    {
      method: 'PATCH', access: 'write',
      path: `${CORE}/dead_letter`,
      maxBodyBytes: DEAD_LETTER_BODY_BYTES,
      bodySchema: deadLetterPatch,
      handler: (r) => {
        const body = r.body as { event_name: string; ids: string[] };
        system.reinject(system.deadLetters.take(body.event_name, body.ids));
        return ok({});
      },
    },
    {
      method: 'DELETE', access: 'write',
      path: `${CORE}/dead_letter`,
      maxBodyBytes: DEAD_LETTER_BODY_BYTES,
      bodySchema: deadLetterDelete,
      handler: (r) => {
        const body = r.body as { event_name: string; ids?: string[] };
        system.deadLetters.delete(body.event_name, body.ids ?? []);
        return ok({});
      },
    },
    {
      method: 'GET', access: 'read',
      path: `${CORE}/actors`,
      handler: (r) => {
        const kind = new URLSearchParams(r.queryString).get('kind');
        const actors = system.list().filter((a) => !kind || a.kind === kind);
        return ok({ actors });
      },
    },
    {
      method: 'GET', access: 'read',
      path: `${CORE}/actors/{name:path}`,
      handler: (r) => {
        if (!system.has(r.params.name!)) throw new NotFoundError(`actor ${r.params.name} not found`);
        return ok(system.info(r.params.name!));
      },
    },
    { method: 'GET', access: 'read', path: `${CORE}/ping`, handler: () => PONG },
  ];
  return routes.map((r) => ({ ...r, owner: r.owner ?? 'core' }));
}

/**
 * `/api/kytos/core/events/ws`: a client sends `{"subscribe": [patterns]}` or
 * `{"unsubscribe": [patterns]}` and receives every matching bus event, live.
 */
export function eventStreamRoute(system: ActorSystem): WsRouteDefinition {
  const subs = new WeakMap<WsClient, Map<string, () => void>>();
  const patternsOf = (value: unknown, key: string): string[] | undefined => {
    const list = (value as Record<string, unknown> | null)?.[key];
    return Array.isArray(list) && list.every((p) => typeof p === 'string') ? (list as string[]) : undefined;
  };
  return {
    path: `${CORE}/events/ws`,
    access: 'read',
    owner: 'core',
    open: (client) => {
      subs.set(client, new Map());
    },
    message: (client, value) => {
      const mine = subs.get(client)!;
      const subscribe = patternsOf(value, 'subscribe');
      const unsubscribe = patternsOf(value, 'unsubscribe');
      if (!subscribe && !unsubscribe) {
        client.send({ error: 'expected {"subscribe": [pattern, ...]} or {"unsubscribe": [pattern, ...]}' });
        return;
      }
      for (const p of unsubscribe ?? []) {
        mine.get(p)?.();
        mine.delete(p);
      }
      for (const p of subscribe ?? []) {
        if (mine.has(p)) continue;
        try {
          compilePattern(p);
        } catch (error) {
          client.send({ error: `invalid pattern ${JSON.stringify(p)}: ${(error as Error).message}` });
          continue;
        }
        mine.set(p, system.bus.on([p], (event: KytosEvent) => client.send(event)));
      }
      client.send({ subscribed: [...mine.keys()] });
    },
    close: (client) => {
      for (const off of subs.get(client)?.values() ?? []) off();
      subs.delete(client);
    },
  };
}
