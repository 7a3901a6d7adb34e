/**
 * Messages the pathfinder machine takes: the `findPaths` ask, topology's
 * events (each changes the graph), and the snapshot fetched at start.
 */
import { defineAsk, findPaths, type AskMessage, type BusDelivery } from '#sdk';
import type { InterfaceLike, LinkLike, SwitchLike, TopologyLike } from './graph.js';

/**
 * The topology events pathfinder follows (kytos-api.md 2.2), with the part of
 * their content it reads; kytos/topology's JSON shapes fit these.
 */
export const TOPOLOGY_EVENTS = {
  loaded: 'kytos/topology.topology_loaded',
  updated: 'kytos/topology.updated',
  linkUp: 'kytos/topology.link_up',
  linkDown: 'kytos/topology.link_down',
  linkEnabled: 'kytos/topology.link.enabled',
  linkDisabled: 'kytos/topology.link.disabled',
  linkDeleted: 'kytos/topology.link.deleted',
  linkMetadataAdded: 'kytos/topology.links.metadata.added',
  linkMetadataRemoved: 'kytos/topology.links.metadata.removed',
  switchDisabled: 'kytos/topology.switch.disabled',
  switchDeleted: 'kytos/topology.switch.deleted',
  interfaceEnabled: 'kytos/topology.interface.enabled',
  interfaceDisabled: 'kytos/topology.interface.disabled',
  interfaceUp: 'kytos/topology.interface.up',
  interfaceDown: 'kytos/topology.interface.down',
  interfaceDeleted: 'kytos/topology.interface.deleted',
} as const;

type Names = typeof TOPOLOGY_EVENTS;
type IntfContent = { interface: InterfaceLike & { switch?: string } };

export type TopologyDelivery =
  | BusDelivery<Names['loaded'] | Names['updated'], { topology: TopologyLike }>
  | BusDelivery<
      Names['linkUp'] | Names['linkDown'] | Names['linkEnabled'] | Names['linkDisabled'] | Names['linkDeleted'] | Names['linkMetadataAdded'] | Names['linkMetadataRemoved'],
      { link: LinkLike }
    >
  | BusDelivery<Names['switchDisabled'], { dpid: string }>
  | BusDelivery<Names['switchDeleted'], { switch: SwitchLike }>
  | BusDelivery<Names['interfaceEnabled'] | Names['interfaceDisabled'] | Names['interfaceUp'] | Names['interfaceDown'] | Names['interfaceDeleted'], IntfContent>;

/** Exact-name subscription patterns of the topology events. */
export const SUBSCRIPTIONS: readonly string[] = Object.values(TOPOLOGY_EVENTS).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));

/** The start-up fetch of topology's snapshot finished (no topology: undefined). */
export interface TopologyFetched {
  type: 'pathfinder.topology.fetched';
  topology?: TopologyLike;
}

export const topologyFetched = (topology?: TopologyLike): TopologyFetched => ({ type: 'pathfinder.topology.fetched', ...(topology ? { topology } : {}) });

export type PathfinderEvent = AskMessage<typeof findPaths> | TopologyDelivery | TopologyFetched;

/** kytos/topology's whole-topology ask (the same name topology answers), until its contract is on main. */
export const topologySnapshot = defineAsk<Record<never, never>, TopologyLike>()('kytos/topology', 'topology.get');
