/**
 * The mef_eline machine: it decides which effect a message calls for; the
 * effects (index.ts) run the EVC service, whose per-EVC state machines
 * (evc-machine.ts) and locks keep concurrent operations apart. Link events are
 * run one after another, in arrival order.
 */
import { setup } from 'xstate';
import { checkEvcFlows, interfaceLinkDown, interfaceLinkUp, flowError, flowRemoved, getEvcs, topologyInterfaceDown, topologyInterfaceUp, topologyLinkDown, topologyLinkUp, type Reply } from '#sdk';
import type { MefElineEvent } from './events.js';

export type LinkJob = { kind: 'link_down' | 'link_up'; linkId: string } | { kind: 'uni'; interfaceId: string; active: boolean } | { kind: 'flow_gone' | 'flow_removed'; cookie: bigint | number } | { kind: 'consistency'; replyTo?: Reply<never> } | { kind: 'prune' };

export const mefElineMachine = setup({
  types: { events: {} as MefElineEvent },
  actions: {
    /** Effects, provided by index.ts. */
    run: (_, _p: LinkJob) => undefined,
    startConsistency: () => undefined,
    startPrune: () => undefined,
    answerEvcs: (_, _p: { replyTo?: Reply<never>; archived?: boolean }) => undefined,
  },
}).createMachine({
  id: 'mef_eline',
  entry: ['startConsistency', 'startPrune'],
  initial: 'ready',
  states: {
    ready: {
      on: {
        [topologyLinkDown.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'link_down', linkId: event.content.link.id }) } },
        [topologyLinkUp.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'link_up', linkId: event.content.link.id }) } },
        [topologyInterfaceDown.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'uni', interfaceId: event.content.interface.id, active: false }) } },
        [topologyInterfaceUp.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'uni', interfaceId: event.content.interface.id, active: true }) } },
        [interfaceLinkDown.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'uni', interfaceId: event.content.interface.id, active: false }) } },
        [interfaceLinkUp.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'uni', interfaceId: event.content.interface.id, active: true }) } },
        // As Kytos-ng: a flow the switch removed (OFPT_FLOW_REMOVED) is only recorded in `flow_removed_at`.
        [flowRemoved.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'flow_removed', cookie: event.content.flow.cookie }) } },
        [flowError.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'flow_gone', cookie: event.content.flow.cookie }) } },
        'mef_eline.consistency.tick': { actions: { type: 'run', params: { kind: 'consistency' } } },
        'mef_eline.prune.tick': { actions: { type: 'run', params: { kind: 'prune' } } },
        [checkEvcFlows.type]: { actions: { type: 'run', params: ({ event }) => ({ kind: 'consistency', replyTo: event.replyTo }) } },
        [getEvcs.type]: {
          actions: {
            type: 'answerEvcs',
            params: ({ event }) => (event.type === getEvcs.type ? { replyTo: event.replyTo as Reply<never>, ...(event.archived === undefined ? {} : { archived: event.archived }) } : {}),
          },
        },
      },
    },
  },
});
