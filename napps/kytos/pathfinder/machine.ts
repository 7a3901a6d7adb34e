/**
 * The pathfinder machine: keeps the graph (a value) and answers `findPaths`.
 * Topology's events change the graph one entity at a time (a snapshot event
 * replaces it); nothing is rebuilt per request. At start it asks for
 * topology's snapshot through the `fetchTopology` effect; an event snapshot
 * that arrived first wins. Effects (`fetchTopology`, `answer`) are provided by
 * index.ts; tests run it as data.
 */
import { assign, setup } from 'xstate';
import { findPaths, topologyLoaded, topologyUpdated, type Reply } from '#sdk';
import { SUBSCRIPTIONS, TOPOLOGY_EVENT_NAMES, type PathfinderEvent, type TopologyDelivery } from './events.js';
import { applyTopology, emptyGraph, type PathGraph } from './graph.js';
import { answerFor, graphAfter } from './logic.js';
import { defaults, type PathfinderSettings } from './settings.js';

export interface PathfinderContext {
  settings: PathfinderSettings;
  graph: PathGraph;
  /** A whole topology has been applied (from an event or the start-up fetch). */
  snapshotSeen: boolean;
}

const isTopology = (e: PathfinderEvent): e is TopologyDelivery => TOPOLOGY_EVENT_NAMES.has(e.type);
const isSnapshot = (e: PathfinderEvent): boolean => e.type === topologyLoaded.type || e.type === topologyUpdated.type;

const base = setup({
  types: {
    context: {} as PathfinderContext,
    events: {} as PathfinderEvent,
    input: {} as { settings?: Partial<PathfinderSettings> },
  },
  actions: {
    /** Effects, provided by index.ts. */
    fetchTopology: () => undefined,
    answer: (_, _p: { replyTo?: Reply<never>; value?: unknown; error?: unknown }) => undefined,
    applyEvent: assign(({ context, event }) =>
      isTopology(event) ? { graph: graphAfter(context.graph, event), snapshotSeen: context.snapshotSeen || isSnapshot(event) } : {},
    ),
  },
});

export const pathfinderMachine = base.createMachine({
  id: 'pathfinder',
  context: ({ input }) => ({ settings: { ...defaults, ...input?.settings }, graph: emptyGraph(), snapshotSeen: false }),
  entry: 'fetchTopology',
  initial: 'ready',
  states: {
    ready: {
      on: {
        ...Object.fromEntries(SUBSCRIPTIONS.map((c) => [c.type, { actions: 'applyEvent' as const }])),
        'pathfinder.topology.fetched': {
          guard: ({ context, event }) => !context.snapshotSeen && event.type === 'pathfinder.topology.fetched' && event.topology !== undefined,
          actions: assign(({ context, event }) => ({
            graph: event.type === 'pathfinder.topology.fetched' && event.topology ? applyTopology(context.graph, event.topology) : context.graph,
            snapshotSeen: true,
          })),
        },
        [findPaths.type]: {
          actions: {
            type: 'answer',
            params: ({ context, event }) => (event.type === findPaths.type ? { replyTo: event.replyTo, ...answerFor(context.graph, event) } : {}),
          },
        },
      },
    },
  },
});
