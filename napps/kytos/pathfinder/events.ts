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
  topologyInterfaceCreated,
  topologyInterfaceUp,
  topologyLinkDeleted,
  topologyLinkDisabled,
  topologyLinkDown,
  topologyLinkEnabled,
  topologyLinkUp,
  topologyLoaded,
  topologySwitchDeleted,
  topologySwitchDisabled,
  topologySwitchEnabled,
  topologyUpdated,
  type AskMessage,
  type DeliveriesOf,
} from '#sdk';
import type { SwitchLike, TopologyLike } from './graph.js';

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
  topologySwitchEnabled,
  topologySwitchDisabled,
  topologySwitchDeleted,
  topologyInterfaceCreated,
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

/** A switch's state fetched from topology after `switch.enabled` (which names only its dpid). */
export interface SwitchFetched {
  type: 'pathfinder.switch.fetched';
  dpid: string;
  switch?: SwitchLike;
}

export const switchFetched = (dpid: string, sw?: SwitchLike): SwitchFetched => ({ type: 'pathfinder.switch.fetched', dpid, ...(sw ? { switch: sw } : {}) });

export type PathfinderEvent = AskMessage<typeof findPaths> | TopologyDelivery | TopologyFetched | SwitchFetched;
