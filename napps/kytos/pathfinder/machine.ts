/**
 * The pathfinder machine: keeps the graph (a value) and answers `findPaths`.
 * Topology's events change the graph one entity at a time (a snapshot event
 * replaces it); nothing is rebuilt per request. At start it asks for
 * topology's snapshot through the `fetchTopology` effect: the events that
 * arrived meanwhile are replayed over it (each carries its entity's whole
 * state, so the order they came in settles any race), and an event snapshot
 * that arrived first wins. Effects (`fetchTopology`, `fetchSwitch`, `search`)
 * are provided by index.ts; tests run it as data.
 */
import { assign, setup } from 'xstate';
import { findPaths, topologyLoaded, topologySwitchEnabled, topologyUpdated, type PathRequest, type Reply } from '#sdk';
import { SUBSCRIPTIONS, TOPOLOGY_EVENT_NAMES, type PathfinderEvent, type TopologyDelivery } from './events.js';
import { applySwitchChange, applyTopology, emptyGraph, type PathGraph } from './graph.js';
import { graphAfter } from './logic.js';
import { defaults, type PathfinderSettings } from './settings.js';

export interface PathfinderContext {
  settings: PathfinderSettings;
  graph: PathGraph;
  /** A whole topology has been applied (from an event or the start-up fetch). */
  snapshotSeen: boolean;
  /** The start-up fetch has not answered yet. */
  fetching: boolean;
  /** Topology events taken while fetching, to replay over the fetched snapshot. */
  early: readonly TopologyDelivery[];
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
    fetchSwitch: (_, _p: { dpid: string }) => undefined,
    /** Answers a request from the graph as it is now (run in slices: it may answer later). */
    search: (_, _p: { replyTo?: Reply<never>; graph: PathGraph; request: PathRequest }) => undefined,
    applyEvent: assign(({ context, event }) => {
      if (!isTopology(event)) return {};
      const snapshotSeen = context.snapshotSeen || isSnapshot(event);
      return { graph: graphAfter(context.graph, event), snapshotSeen, early: context.fetching && !snapshotSeen ? [...context.early, event] : [] };
    }),
  },
});

export const pathfinderMachine = base.createMachine({
  id: 'pathfinder',
  context: ({ input }) => ({ settings: { ...defaults, ...input?.settings }, graph: emptyGraph(), snapshotSeen: false, fetching: true, early: [] }),
  entry: 'fetchTopology',
  initial: 'ready',
  states: {
    ready: {
      on: {
        ...Object.fromEntries(SUBSCRIPTIONS.map((c) => [c.type, { actions: 'applyEvent' as const }])),
        [topologySwitchEnabled.type]: {
          actions: { type: 'fetchSwitch', params: ({ event }) => ({ dpid: event.type === topologySwitchEnabled.type ? event.content.dpid : '' }) },
        },
        'pathfinder.switch.fetched': {
          actions: assign(({ context, event }) => ({
            graph: event.type === 'pathfinder.switch.fetched' && event.switch ? applySwitchChange(context.graph, event.switch) : context.graph,
          })),
        },
        'pathfinder.topology.fetched': {
          actions: assign(({ context, event }) => ({
            graph:
              event.type === 'pathfinder.topology.fetched' && event.topology && !context.snapshotSeen
                ? context.early.reduce(graphAfter, applyTopology(context.graph, event.topology))
                : context.graph,
            snapshotSeen: context.snapshotSeen || (event.type === 'pathfinder.topology.fetched' && event.topology !== undefined),
            fetching: false,
            early: [],
          })),
        },
        [findPaths.type]: {
          actions: {
            type: 'search',
            params: ({ context, event }) => {
              if (event.type !== findPaths.type) return { graph: context.graph, request: { source: '', destination: '' } };
              const { type: _t, replyTo, ...request } = event;
              return { replyTo, graph: context.graph, request };
            },
          },
        },
      },
    },
  },
});
