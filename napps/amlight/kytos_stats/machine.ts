/**
 * kytos_stats' machine: keeps the last counters of each switch from of_core's
 * stats events and answers the routes' queries. A switch's latest flow reply
 * is kept as decoded; a query that reads it sends it to flow_manager
 * (`describe`, an effect) for its Kytos ids first and is answered when they
 * come back. Effects are
 * named actions provided by index.ts; tests run it as data.
 */
import { setup } from 'xstate';
import { flowStatsReceived, portStatsReceived, reply, tableStatsReceived, topologySwitchDeleted, type AskMessage, type FlowStats, type Reply } from '#sdk';
import { queryFlow, queryFlowStats, queryPortStats, querySwitchFlows, queryTableStats, type KytosStatsEvent } from './events.js';
import {
  applyPortStats,
  applyTableStats,
  described,
  describesFor,
  dropSwitch,
  emptyState,
  findFlow,
  flowStatsView,
  keepFlowReply,
  portStatsView,
  switchFlows,
  tableStatsView,
  waitsForDescription,
  type FlowQueryScope,
  type StatsState,
} from './logic.js';

export interface KytosStatsContext {
  st: StatsState;
  /** Flow queries waiting for descriptions in flight. */
  parked: FlowQuery[];
}

export type DescribeParams = { dpid: string; seq: number; flows: readonly FlowStats[] };

type FlowQuery = AskMessage<typeof queryFlowStats> | AskMessage<typeof queryFlow> | AskMessage<typeof querySwitchFlows>;

/** The switches a flow query reads (undefined: all). */
const scopeOf = (q: FlowQuery): FlowQueryScope =>
  q.type === queryFlowStats.type ? (q.dpids.length ? q.dpids : undefined) : q.type === querySwitchFlows.type ? [q.dpid] : undefined;

const valueOf = (st: StatsState, q: FlowQuery): unknown =>
  q.type === queryFlowStats.type ? flowStatsView(st, q.dpids) : q.type === querySwitchFlows.type ? switchFlows(st, q.dpid) : findFlow(st, q.flowId);

const base = setup({
  types: { context: {} as KytosStatsContext, events: {} as KytosStatsEvent },
  actions: {
    /** Asks flow_manager for the flows' Kytos ids; its answer comes back as `kytos_stats.flows.described`. */
    describe: (_, _p: DescribeParams) => undefined,
    answer: (_, p: { to: { replyTo?: Reply<never> }; value: unknown }) => reply(p.to as { replyTo?: Reply<unknown> }, p.value),
  },
});

type Enqueue = Parameters<Parameters<typeof base.enqueueActions>[0]>[0]['enqueue'];

/** A flow query: the replies it reads described first (asked now, if not yet), then answered. */
function flowQuery(context: KytosStatsContext, q: FlowQuery, enqueue: Enqueue): void {
  const scope = scopeOf(q);
  for (const d of describesFor(context.st, scope)) enqueue({ type: 'describe', params: d });
  if (waitsForDescription(context.st, scope)) context.parked.push(q);
  else enqueue({ type: 'answer', params: { to: q, value: valueOf(context.st, q) } });
}

/** Answers the parked queries no description in flight holds back any more. */
function release(context: KytosStatsContext, enqueue: Enqueue): void {
  const still: FlowQuery[] = [];
  for (const q of context.parked) {
    if (waitsForDescription(context.st, scopeOf(q))) still.push(q);
    else enqueue({ type: 'answer', params: { to: q, value: valueOf(context.st, q) } });
  }
  context.parked = still;
}

export const kytosStatsMachine = base.createMachine({
  id: 'kytos_stats',
  context: () => ({ st: emptyState(), parked: [] }),
  initial: 'running',
  states: {
    running: {
      on: {
        [flowStatsReceived.type]: {
          actions: ({ context, event }) => {
            if (event.type !== flowStatsReceived.type) return;
            keepFlowReply(context.st, event.content.switch, event.content.replies_flows);
          },
        },
        'kytos_stats.flows.described': {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type !== 'kytos_stats.flows.described') return;
            described(context.st, event.dpid, event.seq, event.flows);
            release(context, enqueue);
          }),
        },
        [portStatsReceived.type]: {
          actions: ({ context, event }) => {
            if (event.type !== portStatsReceived.type) return;
            applyPortStats(context.st, event.content.switch, event.content.port_stats, event.event.timestamp);
          },
        },
        [tableStatsReceived.type]: {
          actions: ({ context, event }) => {
            if (event.type !== tableStatsReceived.type) return;
            applyTableStats(context.st, event.content.switch, event.content.replies_tables);
          },
        },
        [topologySwitchDeleted.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type !== topologySwitchDeleted.type) return;
            dropSwitch(context.st, event.content.switch.dpid);
            release(context, enqueue);
          }),
        },
        [queryFlowStats.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type === queryFlowStats.type) flowQuery(context, event, enqueue);
          }),
        },
        [queryTableStats.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type !== queryTableStats.type) return;
            enqueue({ type: 'answer', params: { to: event, value: tableStatsView(context.st, event.dpids, event.tables) } });
          }),
        },
        [queryPortStats.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type !== queryPortStats.type) return;
            enqueue({ type: 'answer', params: { to: event, value: portStatsView(context.st, event.dpids, event.ports) } });
          }),
        },
        [queryFlow.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type === queryFlow.type) flowQuery(context, event, enqueue);
          }),
        },
        [querySwitchFlows.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type === querySwitchFlows.type) flowQuery(context, event, enqueue);
          }),
        },
      },
    },
  },
});
