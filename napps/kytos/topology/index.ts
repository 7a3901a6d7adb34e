/**
 * kytos/topology: the live network model (switches and interfaces from
 * of_core, links from of_lldp's `is.nni`), Kytos-ng's v3 API, admin state,
 * metadata and VLAN tag pools, persisted in its own collections.
 */
import { assign } from 'xstate';
import { defineNApp, getSwitches, replyError, reply, topologyLoaded, topologyUpdated, type NAppContext, type Reply, type SwitchJson } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { restore, type ClaimDoc, type InterruptionDoc, type LinkDoc, type StoredTopology, type SwitchDoc, type TagDoc, type Write } from './docs.js';
import { withHeldReasons } from './interruptions.js';
import { claimsFound, persisted, SUBSCRIPTIONS, timerEvent } from './events.js';
import { topologyMachine } from './machine.js';
import { routes } from './routes.js';
import { defaults, type TopologySettings } from './settings.js';
import { topologyJson, type TopoState } from './state.js';
import { TopologyView } from './view.js';
import { importKytos } from './import-kytos.js';

/** The NApp's collections (namespaced to kytos/topology by the SDK). */
export function collections(ctx: NAppContext<TopologySettings>) {
  return {
    switches: ctx.store.collection<SwitchDoc>('switches', { key: 'id' }),
    links: ctx.store.collection<LinkDoc>('links', { key: 'id' }),
    tags: ctx.store.collection<TagDoc>('interface_details', { key: 'id' }),
    claims: ctx.store.collection<ClaimDoc>('tag_claims', { key: 'id', indexes: ['interface_id'] }),
    interruptions: ctx.store.collection<InterruptionDoc>('interruptions', { key: 'key' }),
  };
}

/**
 * What the machine, the routes and setup share for one run of the NApp: the
 * state loaded by setup, and the view the GET routes serve. Keyed by the
 * context the NApp manager hands all three.
 */
interface Runtime {
  loaded: { state: TopoState; failedSwitches: Record<string, string>; failedLinks: Record<string, string> } | undefined;
  view: TopologyView;
  /** The switches of_core served when setup ran. */
  served: SwitchJson[];
  /** Durable writes run one after another, in the order the machine decided them. */
  tail: Promise<void>;
  updateScheduled: boolean;
}

const runtimes = new WeakMap<object, Runtime>();
function runtimeOf(ctx: NAppContext<TopologySettings>): Runtime {
  let r = runtimes.get(ctx);
  if (!r) {
    r = { loaded: undefined, view: new TopologyView(), served: [], tail: Promise.resolve(), updateScheduled: false };
    runtimes.set(ctx, r);
  }
  return r;
}

/** Claims of some commands of a group were refused: nothing of the group was kept. */
class ClaimsRefused extends Error {
  readonly code = 'CONFLICT';
  constructor(readonly failed: number[]) {
    super('tag claims held elsewhere');
  }
}

const isCreate = (w: Write): w is Extract<Write, { create: unknown }> => w.coll === 'claims' && 'create' in w;
const docKey = (w: Write): string => `${w.coll}|${'delete' in w ? w.delete : 'doc' in w ? w.doc.id : ''}`;

/**
 * Writes one or more commands' writes (a group commit) durably, in two
 * rounds of concurrent writes (the embedded store puts each round in one
 * transaction and one flush): first every claim with the store's
 * create-if-absent; then, only if all were made, the last version of each
 * other document. When a claim is refused, the claims this write made are
 * removed again, nothing else is written, and the error names the commands
 * whose claims were refused (`ClaimsRefused`); another error fails them all.
 */
async function applyWrites(ctx: NAppContext<TopologySettings>, groups: readonly (readonly Write[])[]): Promise<void> {
  const c = collections(ctx);
  const creates = groups.map((ws) => ws.filter(isCreate));
  const results = await Promise.all(creates.map((ws) => Promise.allSettled(ws.map((w) => c.claims.create(w.create)))));
  const failed = results.flatMap((r, i) => (r.some((x) => x.status === 'rejected') ? [i] : []));
  if (failed.length > 0) {
    await Promise.all(results.flatMap((r, i) => r.map((x, j) => (x.status === 'fulfilled' ? c.claims.delete(creates[i]![j]!.create.id).catch(() => false) : false))));
    const errors = results.flatMap((r) => r.flatMap((x) => (x.status === 'rejected' ? [x.reason as unknown] : [])));
    const other = errors.find((e) => (e as { code?: string }).code !== 'CONFLICT');
    throw other ?? new ClaimsRefused(failed);
  }
  const last = new Map<string, Write>();
  for (const w of groups.flat()) {
    if (isCreate(w)) continue;
    const k = docKey(w);
    last.delete(k); // keep the order of last writes
    last.set(k, w);
  }
  await Promise.all(
    [...last.values()].map(async (w) => {
      if ('delete' in w) await c[w.coll].delete(w.delete);
      else if (w.coll === 'switches') await c.switches.put(w.doc);
      else if (w.coll === 'links') await c.links.put(w.doc);
      else if (w.coll === 'tags') await c.tags.put(w.doc);
      else if (w.coll === 'interruptions') await c.interruptions.put(w.doc);
    }),
  );
}

/** The machine with its effects bound to the NApp's context. */
export function topologyLogic(ctx: NAppContext<TopologySettings>) {
  const rt = runtimeOf(ctx);
  return topologyMachine.provide({
    actions: {
      restore: assign(() => (rt.loaded ? { state: rt.loaded.state } : {})),
      resync: () => {
        if (rt.served.length > 0) ctx.tell(ctx.self, { type: 'topology.resync', switches: rt.served });
      },
      persist: (_, p) => {
        const run = rt.tail.then(() => applyWrites(ctx, p.groups ?? [p.writes]));
        rt.tail = run.catch(() => undefined);
        run.then(
          () => {
            if (p.ticket !== undefined) ctx.tell(ctx.self, persisted(p.ticket));
          },
          (error: unknown) => {
            ctx.log.warn({ err: error, ticket: p.ticket }, 'topology write failed');
            if (p.ticket !== undefined) ctx.tell(ctx.self, persisted(p.ticket, error, error instanceof ClaimsRefused ? error.failed : undefined));
          },
        );
      },
      emit: (_, p) => {
        ctx.emit(p.event, p.content);
      },
      answer: (_, p) => {
        const to = { replyTo: p.replyTo as Reply<unknown> | undefined };
        if (p.error !== undefined) replyError(to, p.error);
        else reply(to, p.value);
      },
      reloadClaims: (_, p) => {
        collections(ctx)
          .claims.list({ index: 'interface_id', equals: p.interfaceId })
          .then(
            (held) => ctx.tell(ctx.self, claimsFound(p.interfaceId, held.map((x) => x.tag))),
            (err: unknown) => ctx.log.warn({ err }, 'tag claims not read'),
          );
      },
      startTimer: (_, p) => {
        ctx.timers.setTimeout(() => ctx.tell(ctx.self, timerEvent(p.key)), p.ms);
      },
      publish: (_, p) => {
        rt.view.update(p.state);
        if (!ctx.settings.PUBLISH_UPDATED || rt.updateScheduled) return;
        // One `updated` per burst: after the mailbox drained this turn. On the NApp's timers (the
        // injected clock; cancelled when the NApp stops).
        rt.updateScheduled = true;
        ctx.timers.setTimeout(() => {
          rt.updateScheduled = false;
          try {
            ctx.emit(topologyUpdated, { topology: rt.view.topology() });
          } catch (err) {
            ctx.log.debug({ err }, 'topology.updated not published (stopping?)');
          }
        }, 0);
      },
    },
  });
}

async function load(ctx: NAppContext<TopologySettings>): Promise<void> {
  const c = collections(ctx);
  const stored: StoredTopology = {
    switches: await c.switches.all(),
    links: await c.links.all(),
    tags: await c.tags.all(),
    claims: await c.claims.all(),
    interruptions: await c.interruptions.all(),
  };
  const rt = runtimeOf(ctx);
  const restored = restore(stored);
  // Held interruptions (running maintenance windows) are on their entities before any switch reconnects.
  rt.loaded = { ...restored, state: withHeldReasons(restored.state, { now: ctx.clock.now(), settings: ctx.settings }) };
  // A publish timer of a previous run was cancelled with that run's timers.
  rt.updateScheduled = false;
  rt.view.update(rt.loaded.state);
  ctx.log.info({ switches: stored.switches.length, links: stored.links.length, interruptions: stored.interruptions?.length ?? 0 }, 'topology loaded');
}

export default defineNApp<TopologySettings>({
  manifest,
  schema: { switches: { version: 1 }, links: { version: 1 }, interface_details: { version: 1 }, tag_claims: { version: 1 }, interruptions: { version: 1 } },
  importKytos,
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: topologyLogic,
  routes: (ctx) => routes(ctx, runtimeOf(ctx).view),
  openapi: new URL('./openapi.yml', import.meta.url),
  setup: async (ctx) => {
    await load(ctx);
    // Switches of_core already serves (connected before we listened, or we restarted): none when it is not running.
    try {
      runtimeOf(ctx).served = Object.values(await ctx.ask(getSwitches, {}, 2000));
    } catch {
      runtimeOf(ctx).served = [];
    }
    const loaded = runtimeOf(ctx).loaded!;
    ctx.emit(topologyLoaded, { topology: topologyJson(loaded.state), failed_switches: loaded.failedSwitches, failed_links: loaded.failedLinks });
  },
});

