/**
 * kytos/mef_eline: EVCs between two UNIs (kytos-api.md 2.6), placed on static
 * or pathfinder paths, S-VLANs from topology's tag pools, flows through
 * flow_manager's asks, with pre-installed failover paths (EP029).
 */
import {
  allocateLinkTags,
  allocateTags,
  defineNApp,
  evcsLoaded,
  deleteFlows,
  findPaths,
  getStoredFlows,
  getTopology,
  installFlows,
  releaseLinkTags,
  releaseTags,
  reply,
  replyError,
  type NAppContext,
  type Reply,
} from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import type { ServiceDeps } from './deps.js';
import { consistencyTick, pruneTick, SUBSCRIPTIONS } from './events.js';
import { handleLinkDown, handleLinkUp } from './failover.js';
import { mefElineMachine, type LinkJob } from './machine.js';
import type { EvcDoc } from './model.js';
import { routes } from './routes.js';
import { EvcService } from './service.js';
import { defaults, type MefElineSettings } from './settings.js';
import { checkDeadLinks, checkStoredFlows, onFlowGone, onFlowRemoved, onUniActive } from './consistency.js';
import { importKytos } from './import-kytos.js';

/** The EVCs collection (namespaced to kytos/mef_eline by the SDK). */
export const evcCollection = (ctx: NAppContext<MefElineSettings>) => ctx.store.collection<EvcDoc>('evcs', { key: 'id', indexes: ['archived'] });

/** Service dependencies bound to the context's asks and store. */
export function contextDeps(ctx: NAppContext<MefElineSettings>): ServiceDeps {
  const t = ctx.settings.ASK_TIMEOUT_MS;
  const owner = 'mef_eline';
  let evcs: ReturnType<typeof evcCollection> | undefined;
  return {
    settings: ctx.settings,
    now: () => ctx.clock.now(),
    log: ctx.log,
    lock: (key) => ctx.lock(`mef_eline:${key}`),
    topology: () => ctx.ask(getTopology, {}, t),
    allocateLinkTags: (link_id, req) => ctx.ask(allocateLinkTags, { link_id, ...req }, t),
    releaseLinkTags: async (link_id, tags) => void (await ctx.ask(releaseLinkTags, { link_id, tags }, t)),
    allocateIntfTags: async (interface_id, tags) => void (await ctx.ask(allocateTags, { interface_id, tags }, t)),
    releaseIntfTags: async (interface_id, tags) => void (await ctx.ask(releaseTags, { interface_id, tags }, t)),
    findPaths: async (req) => (await ctx.ask(findPaths, req, t)).paths,
    install: (dpid, flows) => ctx.ask(installFlows, { dpid, flows, owner, force: true, wait: true }, t),
    remove: (dpid, flows) => ctx.ask(deleteFlows, { dpid, flows, owner, force: true }, t),
    storedFlows: (dpids) => ctx.ask(getStoredFlows, { dpids, states: ['pending', 'installed'] }, t),
    save: (doc) => (evcs ??= evcCollection(ctx)).put(doc),
    saveMany: (docs) => (evcs ??= evcCollection(ctx)).batch(docs.map((doc) => ({ op: 'put' as const, doc }))),
    removeMany: (ids) => (evcs ??= evcCollection(ctx)).batch(ids.map((key) => ({ op: 'delete' as const, key }))),
    timers: { after: (fn, ms) => ctx.timers.setTimeout(fn, ms), cancel: (h) => ctx.timers.clear(h) },
    emit: (event, content) => void ctx.emit(event, content),
  };
}

/** What the machine, the routes and setup share for one run of the NApp (keyed by its context). */
interface Runtime {
  svc: EvcService;
  /** Link, UNI and flow events run one after another. */
  queue: Promise<void>;
}
const runtimes = new WeakMap<object, Runtime>();
function runtimeOf(ctx: NAppContext<MefElineSettings>): Runtime {
  let r = runtimes.get(ctx);
  if (!r) {
    r = { svc: new EvcService(contextDeps(ctx)), queue: Promise.resolve() };
    runtimes.set(ctx, r);
  }
  return r;
}

async function runJob(svc: EvcService, job: LinkJob): Promise<void> {
  switch (job.kind) {
    case 'link_down':
      return handleLinkDown(svc, job.linkId);
    case 'link_up':
      return handleLinkUp(svc, job.linkId);
    case 'uni':
      return onUniActive(svc, job.interfaceId, job.active);
    case 'flow_gone':
      return onFlowGone(svc, job.cookie);
    case 'prune':
      await svc.pruneArchived();
      return undefined;
    case 'flow_removed':
      return onFlowRemoved(svc, job.cookie);
    case 'consistency': {
      const to = { replyTo: job.replyTo as Reply<unknown> | undefined };
      try {
        const redeployed = await checkStoredFlows(svc);
        await checkDeadLinks(svc);
        reply(to, redeployed);
      } catch (error) {
        replyError(to, error);
      }
      return undefined;
    }
  }
}

/** The machine with its effects bound to the NApp's context. */
export function mefElineLogic(ctx: NAppContext<MefElineSettings>) {
  const rt = runtimeOf(ctx);
  return mefElineMachine.provide({
    actions: {
      run: (_, job) => {
        rt.queue = rt.queue.then(() => runJob(rt.svc, job)).catch((err: unknown) => ctx.log.warn({ err, job: job.kind }, 'mef_eline job failed'));
      },
      startConsistency: () => {
        const s = ctx.settings.CONSISTENCY_INTERVAL;
        if (s > 0) ctx.timers.setInterval(() => ctx.tell(ctx.self, consistencyTick()), s * 1000);
      },
      startPrune: () => {
        const s = ctx.settings.PRUNE_INTERVAL;
        if (s > 0 && ctx.settings.ARCHIVED_RETENTION > 0) ctx.timers.setInterval(() => ctx.tell(ctx.self, pruneTick()), s * 1000);
      },
      answerEvcs: (_, p) => reply({ replyTo: p.replyTo as Reply<unknown> | undefined }, rt.svc.list(p.archived ?? false)),
    },
  });
}

export default defineNApp<MefElineSettings>({
  manifest,
  schema: { evcs: { version: 1 } },
  importKytos,
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: mefElineLogic,
  routes: (ctx) => routes(ctx, () => runtimeOf(ctx).svc),
  openapi: new URL('./openapi.yml', import.meta.url),
  setup: async (ctx) => {
    const svc = runtimeOf(ctx).svc;
    svc.restore(await evcCollection(ctx).all());
    ctx.emit(evcsLoaded, svc.list(false));
  },
});
