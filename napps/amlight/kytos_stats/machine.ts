/**
 * kytos_stats' machine: keeps the last counters of each switch from of_core's
 * stats events and answers the routes' queries. Flow replies go to
 * flow_manager (`describe`, an effect) for their Kytos ids first. Effects are
 * named actions provided by index.ts; tests run it as data.
 */
import { setup } from 'xstate';
import { flowStatsReceived, portStatsReceived, reply, tableStatsReceived, topologySwitchDeleted, type FlowStats, type Reply } from '#sdk';
import { queryFlow, queryFlowStats, queryPortStats, querySwitchFlows, queryTableStats, type KytosStatsEvent } from './events.js';
import {
  applyFlows,
  applyPortStats,
  applyTableStats,
  dropSwitch,
  emptyState,
  findFlow,
  flowStatsView,
  nextFlowSeq,
  portStatsView,
  switchFlows,
  tableStatsView,
  type StatsState,
} from './logic.js';

export interface KytosStatsContext {
  st: StatsState;
}

export type DescribeParams = { dpid: string; seq: number; flows: readonly FlowStats[] };

const base = setup({
  types: { context: {} as KytosStatsContext, events: {} as KytosStatsEvent },
  actions: {
    /** Asks flow_manager for the flows' Kytos ids; its answer comes back as `kytos_stats.flows.described`. */
    describe: (_, _p: DescribeParams) => undefined,
    answer: (_, p: { to: { replyTo?: Reply<never> }; value: unknown }) => reply(p.to as { replyTo?: Reply<unknown> }, p.value),
  },
});

export const kytosStatsMachine = base.createMachine({
  id: 'kytos_stats',
  context: () => ({ st: emptyState() }),
  initial: 'running',
  states: {
    running: {
      on: {
        [flowStatsReceived.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type !== flowStatsReceived.type) return;
            const { switch: dpid, replies_flows: flows } = event.content;
            enqueue({ type: 'describe', params: { dpid, seq: nextFlowSeq(context.st), flows } });
          }),
        },
        'kytos_stats.flows.described': {
          actions: ({ context, event }) => {
            if (event.type !== 'kytos_stats.flows.described' || !event.flows) return;
            applyFlows(context.st, event.dpid, event.seq, event.flows);
          },
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
          actions: ({ context, event }) => {
            if (event.type !== topologySwitchDeleted.type) return;
            dropSwitch(context.st, event.content.switch.dpid);
          },
        },
        [queryFlowStats.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type !== queryFlowStats.type) return;
            enqueue({ type: 'answer', params: { to: event, value: flowStatsView(context.st, event.dpids) } });
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
            if (event.type !== queryFlow.type) return;
            enqueue({ type: 'answer', params: { to: event, value: findFlow(context.st, event.flowId) } });
          }),
        },
        [querySwitchFlows.type]: {
          actions: base.enqueueActions(({ context, event, enqueue }) => {
            if (event.type !== querySwitchFlows.type) return;
            enqueue({ type: 'answer', params: { to: event, value: switchFlows(context.st, event.dpid) } });
          }),
        },
      },
    },
  },
});
