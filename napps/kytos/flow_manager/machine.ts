/**
 * flow_manager's machine: decides, never does. Each input goes to a logic
 * function (logic.ts, consistency.ts) that returns effects; the machine
 * enqueues them as named actions provided by index.ts (persist -> sendBatch ->
 * emit/answer). Its context owns the flow table and the pipeline's bookkeeping.
 */
import { setup } from 'xstate';
import {
  deleteFlows,
  emission,
  flowRemoved,
  flowRemovedIn,
  flowStatsReceived,
  describeFlowStats,
  getStoredFlows,
  installFlows,
  reply,
  switchReady,
  type Emission,
  type FlowApplyResult,
  type FlowModMessage,
  type ReportedFlowJson,
  type StoredFlowState,
  type FlowStats,
  type Reply,
} from '#sdk';
import { beginCheck, beginDescribe, continueCheck, continueDescribe } from './consistency.js';
import {
  applyFlows,
  queryReported,
  queryStored,
  type ApplyRequest,
  type FlowManagerEvent,
  type KytosFlowsContent,
  type LaterEvent,
} from './events.js';
import { reportedFlowJson } from './flow.js';
import { initialState, onApply, onRetry, removedContent, onBarrier, onPaceTimer, onPersisted, onWaitExpired, prune, queryStoredFlows, type Effect, type FmState } from './logic.js';
import { defaults, type FlowManagerSettings } from './settings.js';
import type { DocOp, FlowRecord } from './table.js';

export interface FlowManagerContext {
  settings: FlowManagerSettings;
  st: FmState;
  /** What each switch last reported (GET v2/flows); made Kytos flow dicts when asked. */
  reported: Map<string, readonly FlowStats[]>;
  /** The table's `version` when its counts were last reported (flowCounts). */
  countsVersion: number;
}

export interface FlowManagerInput {
  settings?: Partial<FlowManagerSettings>;
}

const isKytosFlows = (c: unknown): c is KytosFlowsContent => {
  const x = c as Partial<KytosFlowsContent> | undefined;
  return typeof x?.dpid === 'string' && Array.isArray(x.flow_dict?.flows) && x.flow_dict.flows.length > 0;
};

const KYTOS_EVENT = /^kytos\.flow_manager\.flows\.(single\.)?(install|delete)$/;

/**
 * The machine on a clock; `stored` gives the flows loaded from the store when
 * it starts (the NApp's setup reads them).
 */
export function flowManagerMachine(clock: { now(): number }, stored: () => readonly FlowRecord[] = () => []) {
  const base = setup({
    types: {
      context: {} as FlowManagerContext,
      events: {} as FlowManagerEvent,
      input: {} as FlowManagerInput,
    },
    actions: {
      /** Effects, provided by index.ts. */
      persist: (_, _p: { writeId: number; ops: DocOp[] }) => undefined,
      sendBatch: (_, _p: { dpid: string; batchId: number; messages: FlowModMessage[] }) => undefined,
      emit: (_, _p: Emission) => undefined,
      answer: (_, p: { replyTo?: Reply<never>; value: unknown }) => reply({ replyTo: p.replyTo as Reply<unknown> | undefined }, p.value),
      waitTimer: (_, _p: { jobId: number }) => undefined,
      paceTimer: (_, _p: { dpid: string; ms: number }) => undefined,
      retryTimer: (_, _p: { retryId: number; ms: number }) => undefined,
      requestStats: (_, _p: { dpid: string }) => undefined,
      /** Sends the machine this message once the event loop has turned (a pass's or a description's next slice). */
      later: (_, _p: LaterEvent) => undefined,
      startTick: () => undefined,
      /** Stored flows per state, for the `lattice_flows` gauge (counted as records change, never scanned). */
      flowCounts: (_, _p: Readonly<Record<StoredFlowState, number>>) => undefined,
    },
  });

  type Enqueue = Parameters<Parameters<typeof base.enqueueActions>[0]>[0]['enqueue'];
  const run = (enqueue: Enqueue, context: FlowManagerContext, effects: Effect[]) => {
    for (const e of effects) enqueue(e);
    const table = context.st.table;
    if (table.version !== context.countsVersion) {
      context.countsVersion = table.version;
      enqueue({ type: 'flowCounts', params: table.counts() });
    }
  };

  const apply = (enqueue: Enqueue, context: FlowManagerContext, req: ApplyRequest, replyTo?: Reply<FlowApplyResult>) =>
    run(enqueue, context, onApply(context.st, req, replyTo, clock.now(), context.settings));

  return base.createMachine({
    id: 'flow_manager',
    context: ({ input }) => {
      const settings = { ...defaults, ...input?.settings };
      const st = initialState(settings.ACTION_PACES);
      for (const r of stored()) st.table.set(r);
      return { settings, st, reported: new Map(), countsVersion: -1 };
    },
    initial: 'running',
    states: {
      running: {
        entry: [
          'startTick',
          // The flows loaded from the store, counted once at start.
          base.enqueueActions(({ context, enqueue }) => run(enqueue, context, [])),
        ],
        on: {
          [applyFlows.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== applyFlows.type) return;
              const { type: _t, replyTo, ...req } = event;
              apply(enqueue, context, req, replyTo);
            }),
          },
          [installFlows.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== installFlows.type) return;
              apply(enqueue, context, { command: 'add', targets: [{ dpid: event.dpid, flows: event.flows }], force: !!event.force, wait: !!event.wait, owner: event.owner }, event.replyTo);
            }),
          },
          [deleteFlows.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== deleteFlows.type) return;
              apply(enqueue, context, { command: 'delete', targets: [{ dpid: event.dpid, flows: event.flows }], force: !!event.force, wait: !!event.wait, owner: event.owner }, event.replyTo);
            }),
          },
          [getStoredFlows.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== getStoredFlows.type) return;
              enqueue({ type: 'answer', params: { replyTo: event.replyTo as Reply<never>, value: queryStoredFlows(context.st, { dpids: event.dpids, states: event.states }) } });
            }),
          },
          [describeFlowStats.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== describeFlowStats.type) return;
              run(enqueue, context, beginDescribe(context.st, event.dpid, event.flows, event.replyTo as Reply<never>));
            }),
          },
          'fm.describe_more': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.describe_more') return;
              run(enqueue, context, continueDescribe(context.st, event.describeId));
            }),
          },
          [queryStored.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== queryStored.type) return;
              const { type: _t, replyTo, ...q } = event;
              enqueue({ type: 'answer', params: { replyTo: replyTo as Reply<never>, value: queryStoredFlows(context.st, q) } });
            }),
          },
          [queryReported.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== queryReported.type) return;
              const out: Record<string, { flows: ReportedFlowJson[] }> = {};
              for (const dpid of event.dpids) out[dpid] = { flows: (context.reported.get(dpid) ?? []).map((f) => reportedFlowJson(dpid, f)) };
              enqueue({ type: 'answer', params: { replyTo: event.replyTo as Reply<never>, value: out } });
            }),
          },
          'fm.persisted': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.persisted') return;
              run(enqueue, context, onPersisted(context.st, event.writeId, event.error, new Set(event.connected), clock.now()));
            }),
          },
          'fm.barrier': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.barrier') return;
              const s = context.settings;
              const retry = { max: s.CONN_ERR_MAX_RETRIES, minWaitMs: s.CONN_ERR_MIN_WAIT * 1000, multiplier: s.CONN_ERR_MULTIPLIER };
              run(enqueue, context, onBarrier(context.st, event.batchId, event.failure, clock.now(), retry));
            }),
          },
          'fm.retry': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.retry') return;
              run(enqueue, context, onRetry(context.st, event.retryId, clock.now()));
            }),
          },
          'fm.pace': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.pace') return;
              run(enqueue, context, onPaceTimer(context.st, event.dpid, clock.now()));
            }),
          },
          'fm.wait_expired': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.wait_expired') return;
              run(enqueue, context, onWaitExpired(context.st, event.jobId));
            }),
          },
          'fm.stats': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.stats' || !event.flows) return;
              context.reported.set(event.dpid, event.flows);
              if (!context.settings.ENABLE_CONSISTENCY_CHECK) return;
              run(enqueue, context, beginCheck(context.st, event.dpid, event.flows, event.requestedAt, clock.now(), context.settings));
            }),
          },
          'fm.check_more': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== 'fm.check_more') return;
              run(enqueue, context, continueCheck(context.st, event.dpid, clock.now(), context.settings));
            }),
          },
          'fm.tick': {
            actions: base.enqueueActions(({ context, enqueue }) => {
              run(enqueue, context, prune(context.st, clock.now(), context.settings.DELETED_RETENTION * 1000, context.settings.PRUNE_BATCH));
              enqueue('startTick');
            }),
          },
          [switchReady.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== switchReady.type || !context.settings.ENABLE_CONSISTENCY_CHECK) return;
              enqueue({ type: 'requestStats', params: { dpid: (event.content as { dpid: string }).dpid } });
            }),
          },
          [flowStatsReceived.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== flowStatsReceived.type) return;
              // of_core's periodic flow stats (FLOW_STATS_INTERVAL) drive the consistency check.
              const { switch: dpid, replies_flows: flows, requested_at } = event.content;
              context.reported.set(dpid, flows);
              if (!context.settings.ENABLE_CONSISTENCY_CHECK) return;
              // Without the request time, flows changed within the stats timeout are not judged.
              const requestedAt = requested_at ?? clock.now() - context.settings.STATS_TIMEOUT * 1000;
              run(enqueue, context, beginCheck(context.st, dpid, flows, requestedAt, clock.now(), context.settings));
            }),
          },
          [flowRemovedIn.type]: {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              if (event.type !== flowRemovedIn.type) return;
              const dpid = event.content.source.dpid;
              if (!dpid) return;
              enqueue({ type: 'emit', params: emission(flowRemoved, removedContent(context.st, dpid, event.content.message)) });
            }),
          },
          '*': {
            actions: base.enqueueActions(({ context, event, enqueue }) => {
              // Kytos' event forms: {dpid, flow_dict: {flows}, force}; no answer.
              const e: { type: string; content?: unknown } = event;
              const m = KYTOS_EVENT.exec(e.type);
              const c = e.content;
              if (!m || !isKytosFlows(c)) return;
              apply(enqueue, context, { command: m[2] === 'install' ? 'add' : 'delete', targets: [{ dpid: c.dpid, flows: c.flow_dict.flows }], force: !!c.force, wait: false });
            }),
          },
        },
      },
    },
  });
}
