/**
 * Messages the pathfinder machine takes: the `findPaths` ask, kytos/topology's
 * events (each changes the graph) and the snapshot fetched at start. The
 * contracts are topology's, from the catalogue.
 */
import {
  findPaths,
  linkMetadataAdded,
  linkMetadataRemoved,
  topologyInterfaceDeleted,
  topologyInterfaceDisabled,
  topologyInterfaceDown,
  topologyInterfaceEnabled,
  topologyInterfaceUp,
  topologyLinkDeleted,
  topologyLinkDisabled,
  topologyLinkDown,
  topologyLinkEnabled,
  topologyLinkUp,
  topologyLoaded,
  topologySwitchDeleted,
  topologySwitchDisabled,
  topologyUpdated,
  type AskMessage,
  type DeliveriesOf,
} from '#sdk';
import type { TopologyLike } from './graph.js';

/** The topology events pathfinder follows (kytos-api.md 2.2). */
export const SUBSCRIPTIONS = [
  topologyLoaded,
  topologyUpdated,
  topologyLinkUp,
  topologyLinkDown,
  topologyLinkEnabled,
  topologyLinkDisabled,
  topologyLinkDeleted,
  linkMetadataAdded,
  linkMetadataRemoved,
  topologySwitchDisabled,
  topologySwitchDeleted,
  topologyInterfaceEnabled,
  topologyInterfaceDisabled,
  topologyInterfaceUp,
  topologyInterfaceDown,
  topologyInterfaceDeleted,
] as const;

export type TopologyDelivery = DeliveriesOf<typeof SUBSCRIPTIONS>;

/** The names of the topology events, to tell them from other messages. */
export const TOPOLOGY_EVENT_NAMES: ReadonlySet<string> = new Set(SUBSCRIPTIONS.map((c) => c.type));

/** The start-up fetch of topology's snapshot finished (no topology: undefined). */
export interface TopologyFetched {
  type: 'pathfinder.topology.fetched';
  topology?: TopologyLike;
}

export const topologyFetched = (topology?: TopologyLike): TopologyFetched => ({ type: 'pathfinder.topology.fetched', ...(topology ? { topology } : {}) });

export type PathfinderEvent = AskMessage<typeof findPaths> | TopologyDelivery | TopologyFetched;
