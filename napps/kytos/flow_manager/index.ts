/**
 * kytos/flow_manager: the single gateway for FlowMods (kytos-api.md 2.4).
 * Stores desired flows durably, sends FLOW_MODs with one barrier per switch
 * per group, confirms them, and keeps switches consistent with the store.
 * The machine decides (machine.ts, logic.ts); the effects below do.
 */
import { defineNApp, LatticeError, metricsService, ofp, switchesService, type NAppContext, type NAppMetrics, type OfMessage } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { KYTOS_FLOW_EVENTS, SUBSCRIPTIONS, type BarrierFailure } from './events.js';
import { flowManagerMachine } from './machine.js';
import { routes } from './routes.js';
import { defaults, type FlowManagerSettings } from './settings.js';
import { fromDocument, type FlowDocument, type FlowRecord } from './table.js';
import { importKytos } from './import-kytos.js';

/**
 * The `flows` collection (namespaced to kytos/flow_manager). No secondary
 * index: the NApp reads it whole at start and serves every query from memory,
 * and each index would cost every write.
 */
export const flowsCollection = (ctx: NAppContext<unknown>) => ctx.store.collection<FlowDocument>('flows', { key: 'id' });

/** Flow stats of every table. */
const FLOW_STATS: OfMessage = {
  type: 'multipart_request',
  version: 4,
  xid: 0,
  flags: 0,
  body: { mpType: 'flow', tableId: ofp.OFPTT.ALL, outPort: ofp.OFPP.ANY, outGroup: ofp.OFPG.ANY, cookie: 0n, cookieMask: 0n, match: [] },
};

/** Stored flows read by `setup`, handed to the machine when it starts (per NApp context). */
const loaded = new WeakMap<object, FlowRecord[]>();

/** The machine with its effects bound to the NApp's context. */
export function flowManagerLogic(ctx: NAppContext<FlowManagerSettings>) {
  const switches = ctx.service(switchesService);
  const flows = flowsCollection(ctx);
  const s = ctx.settings;
  const requestStats = (dpid: string) => {
    const requestedAt = ctx.clock.now();
    switches.requestMultipart(dpid, FLOW_STATS, { timeoutMs: s.STATS_TIMEOUT * 1000 }).then(
      (parts) => ctx.tell(ctx.self, { type: 'fm.stats', dpid, requestedAt, flows: parts.flatMap((p) => (p.body.mpType === 'flow' ? p.body.flows : [])) }),
      (err: unknown) => ctx.tell(ctx.self, { type: 'fm.stats', dpid, requestedAt, error: err instanceof Error ? err.message : String(err) }),
    );
  };
  let metrics: NAppMetrics | undefined;
  try {
    metrics = ctx.service(metricsService);
  } catch {
    metrics = undefined; // a host without metrics (stepNApp)
  }
  return flowManagerMachine(ctx.clock, () => loaded.get(ctx) ?? []).provide({
      actions: {
        flowCounts: (_, p) => {
          for (const [state, n] of Object.entries(p)) metrics?.setFlows(state, n);
        },
        persist: (_, p) => {
          const done = (error?: unknown) =>
            ctx.tell(ctx.self, {
              type: 'fm.persisted',
              writeId: p.writeId,
              connected: switches.list().map((i) => i.dpid),
              ...(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error) }),
            });
          if (p.ops.length === 0) queueMicrotask(() => done());
          else flows.batch(p.ops).then(() => done(), (err: unknown) => done(err ?? 'store error'));
        },
        sendBatch: (_, p) => {
          switches.sendWithBarrier(p.dpid, p.messages, { timeoutMs: s.BARRIER_TIMEOUT * 1000 }).then(
            () => ctx.tell(ctx.self, { type: 'fm.barrier', batchId: p.batchId }),
            (err: unknown) => {
              const e = err as { code?: string; details?: { index?: number; errType?: number; errCode?: number } };
              const failure: BarrierFailure = {
                code: e?.code ?? (err instanceof LatticeError ? err.code : 'ERROR'),
                index: e?.details?.index !== undefined && e.details.index >= 0 ? e.details.index : undefined,
                errType: e?.details?.errType,
                errCode: e?.details?.errCode,
              };
              ctx.tell(ctx.self, { type: 'fm.barrier', batchId: p.batchId, failure });
            },
          );
        },
        emit: (_, p) => {
          ctx.emit(p.event, p.content);
        },
        waitTimer: (_, p) => {
          ctx.timers.setTimeout(() => ctx.tell(ctx.self, { type: 'fm.wait_expired', jobId: p.jobId }), s.WAIT_TIMEOUT * 1000);
        },
        paceTimer: (_, p) => {
          ctx.timers.setTimeout(() => ctx.tell(ctx.self, { type: 'fm.pace', dpid: p.dpid }), p.ms);
        },
        retryTimer: (_, p) => {
          ctx.timers.setTimeout(() => ctx.tell(ctx.self, { type: 'fm.retry', retryId: p.retryId }), p.ms);
        },
        requestStats: (_, p) => requestStats(p.dpid),
        later: (_, p) => {
          void ctx.timers.yield().then(() => ctx.tell(ctx.self, p));
        },
        startTick: () => {
          ctx.timers.setTimeout(() => ctx.tell(ctx.self, { type: 'fm.tick' }), s.CONSISTENCY_INTERVAL * 1000);
        },
      },
    });
}

export default defineNApp<FlowManagerSettings>({
  manifest,
  schema: { flows: { version: 1 } },
  importKytos,
  settings: defaults,
  subscriptions: [...SUBSCRIPTIONS, KYTOS_FLOW_EVENTS],
  machine: flowManagerLogic,
  routes,
  setup: async (ctx) => {
    const records: FlowRecord[] = [];
    for await (const d of flowsCollection(ctx)) {
      try {
        records.push(fromDocument(d));
      } catch (err) {
        ctx.log.warn({ err, id: d.id }, 'a stored flow could not be read; left out');
      }
    }
    loaded.set(ctx, records);
    ctx.log.info({ flows: records.length }, 'flow_manager ready');
  },
});

