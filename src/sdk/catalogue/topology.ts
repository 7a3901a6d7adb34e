/**
 * Contracts of kytos/topology (kytos-api.md 2.2): its events, its asks (the
 * switch lookup, the whole topology, VLAN tag pools) and the events it takes
 * from of_lldp and maintenance.
 */
import type { InterfaceJson, SwitchJson } from '../../model/index.js';
import { defineAsk, defineEvent } from '../contract.js';
import type { PortCreatedContent } from './of-core.js';

export const TOPOLOGY = 'kytos/topology';

/** Kytos `Link.as_dict()`: both endpoints are full interfaces, keys in API order. */
export interface LinkJson {
  id: string;
  endpoint_a: InterfaceJson;
  endpoint_b: InterfaceJson;
  metadata: Record<string, unknown>;
  active: boolean;
  enabled: boolean;
  status: 'UP' | 'DOWN' | 'DISABLED';
  status_reason: string[];
}

export interface TopologyJson {
  switches: Record<string, SwitchJson>;
  links: Record<string, LinkJson>;
}

/** VLAN ranges as Kytos writes them: inclusive `[first, last]` pairs, sorted, disjoint. */
export type TagRanges = [number, number][];

/** One interface's tag pool as `GET v3/interfaces/{id}/tag_ranges` shows it (per tag type). */
export interface InterfaceTagsJson {
  default_tag_ranges: { vlan: TagRanges };
  available_tags: { vlan: TagRanges };
  tag_ranges: { vlan: TagRanges };
  default_special_tags: { vlan: string[] };
  special_tags: { vlan: string[] };
  special_available_tags: { vlan: string[] };
}

// --- asks -------------------------------------------------------------------

/** One switch as topology knows it (admin state included), or undefined when unknown. */
export const getTopologySwitch = defineAsk<{ dpid: string }, SwitchJson | undefined>()(TOPOLOGY, 'topology.switch.get');

/** The whole topology, as `GET v3/` shows it (without the envelope): one frozen value shared by every asker, made again only when the topology changes. */
export const getTopology = defineAsk<Record<never, never>, TopologyJson>()(TOPOLOGY, 'topology.get');

/** One link, or undefined when unknown. */
export const getTopologyLink = defineAsk<{ link_id: string }, LinkJson | undefined>()(TOPOLOGY, 'topology.link.get');

/**
 * Takes VLAN tags from an interface's pool: the named `tags`, or the first
 * `count` available ones. All or nothing; the pool is written durably before
 * the answer. Rejects with NotFoundError (unknown interface) or ConflictError
 * (a tag not available). Answers the tags taken.
 */
export const allocateTags = defineAsk<{ interface_id: string; tag_type?: 'vlan'; tags?: number[]; count?: number }, number[]>()(
  TOPOLOGY,
  'topology.tags.allocate',
);

/** Gives VLAN tags back to an interface's pool (tags not in use are ignored). Answers the tags released. */
export const releaseTags = defineAsk<{ interface_id: string; tag_type?: 'vlan'; tags: number[] }, number[]>()(TOPOLOGY, 'topology.tags.release');

/**
 * Takes the same VLAN tags on both endpoints of a link (an S-VLAN across it):
 * the named `tags`, or the first `count` free on both. All or nothing, claimed
 * on both interfaces, durable before the answer. Rejects with NotFoundError
 * (unknown link) or ConflictError. Answers the tags taken.
 */
export const allocateLinkTags = defineAsk<{ link_id: string; tag_type?: 'vlan'; tags?: number[]; count?: number }, number[]>()(
  TOPOLOGY,
  'topology.link_tags.allocate',
);

/** Gives tags back on both endpoints of a link. Answers the tags released. */
export const releaseLinkTags = defineAsk<{ link_id: string; tag_type?: 'vlan'; tags: number[] }, number[]>()(TOPOLOGY, 'topology.link_tags.release');

/** One interface's tag pool, or undefined when the interface is unknown. */
export const getInterfaceTags = defineAsk<{ interface_id: string }, InterfaceTagsJson | undefined>()(TOPOLOGY, 'topology.tags.get');

// --- events topology publishes ------------------------------------------------

export const topologySwitchEnabled = defineEvent<{ dpid: string }>()('kytos/topology.switch.enabled');
export const topologySwitchDisabled = defineEvent<{ dpid: string }>()('kytos/topology.switch.disabled');
export const topologySwitchDeleted = defineEvent<{ switch: SwitchJson }>()('kytos/topology.switch.deleted');

export const topologyUpdated = defineEvent<{ topology: TopologyJson }>()('kytos/topology.updated');
export const topologyLoaded = defineEvent<{ topology: TopologyJson; failed_switches: Record<string, string>; failed_links: Record<string, string> }>()(
  'kytos/topology.topology_loaded',
);

export interface LinkContent {
  link: LinkJson;
}
export const topologyLinkEnabled = defineEvent<LinkContent>()('kytos/topology.link.enabled');
export const topologyLinkDisabled = defineEvent<LinkContent>()('kytos/topology.link.disabled');
export const topologyLinkDeleted = defineEvent<LinkContent>()('kytos/topology.link.deleted');
/** Edge-triggered: each transition of a link to UP (no status reason) fires once, and back. */
export const topologyLinkUp = defineEvent<LinkContent & { reason: string }>()('kytos/topology.link_up');
export const topologyLinkDown = defineEvent<LinkContent & { reason: string }>()('kytos/topology.link_down');

export interface InterfaceReasonContent {
  interface: InterfaceJson;
  reason: string;
}
export const topologyInterfaceEnabled = defineEvent<InterfaceReasonContent>()('kytos/topology.interface.enabled');
export const topologyInterfaceDisabled = defineEvent<InterfaceReasonContent>()('kytos/topology.interface.disabled');
/** From interruptions: `reason` is the interruption type (`maintenance`). */
export const topologyInterfaceUp = defineEvent<InterfaceReasonContent>()('kytos/topology.interface.up');
export const topologyInterfaceDown = defineEvent<InterfaceReasonContent>()('kytos/topology.interface.down');
export const topologyInterfaceDeleted = defineEvent<{ interface: InterfaceJson }>()('kytos/topology.interface.deleted');
export const topologyPortCreated = defineEvent<PortCreatedContent>()('kytos/topology.port.created');
export const topologyInterfaceCreated = defineEvent<{ interface: InterfaceJson }>()('kytos/topology.switch.interface.created');

export const switchMetadataAdded = defineEvent<{ switch: SwitchJson; metadata: Record<string, unknown> }>()('kytos/topology.switches.metadata.added');
export const switchMetadataRemoved = defineEvent<{ switch: SwitchJson; metadata: Record<string, unknown> }>()('kytos/topology.switches.metadata.removed');
export const interfaceMetadataAdded = defineEvent<{ interface: InterfaceJson; metadata: Record<string, unknown> }>()(
  'kytos/topology.interfaces.metadata.added',
);
export const interfaceMetadataRemoved = defineEvent<{ interface: InterfaceJson; metadata: Record<string, unknown> }>()(
  'kytos/topology.interfaces.metadata.removed',
);
export const linkMetadataAdded = defineEvent<{ link: LinkJson; metadata: Record<string, unknown> }>()('kytos/topology.links.metadata.added');
export const linkMetadataRemoved = defineEvent<{ link: LinkJson; metadata: Record<string, unknown> }>()('kytos/topology.links.metadata.removed');

// --- events topology takes from other NApps ------------------------------------

/** An interface as of_lldp names it in `is.nni`: its id at least. */
export type InterfaceRef = Pick<InterfaceJson, 'id'> & Partial<InterfaceJson>;

/** `kytos/of_lldp.interface.is.nni`: LLDP saw `interface_a` and `interface_b` connected (of_lldp produces it). */
export const interfaceIsNni = defineEvent<{ interface_a: InterfaceRef; interface_b: InterfaceRef }>()('kytos/of_lldp.interface.is.nni');

/** Content of `topology.interruption.start|end` (maintenance produces them): the entities affected. */
export interface InterruptionContent {
  /** The interruption type, used as status reason (`maintenance`). */
  type: string;
  /**
   * The producer's own id for it (maintenance: the window's id). Topology holds the interruption
   * under (type, id), stored, until an end with the same id, whatever items that end lists; without
   * an id an end releases the items it names.
   */
  id?: string;
  switches?: string[];
  interfaces?: string[];
  links?: string[];
}
export const interruptionStart = defineEvent<InterruptionContent>()('topology.interruption.start');
export const interruptionEnd = defineEvent<InterruptionContent>()('topology.interruption.end');
/** An interruption topology holds (stored; a restart begins with it): what its start named. */
export interface HeldInterruption {
  type: string;
  /** The start's id, or null when it came without one. */
  id: string | null;
  switches: string[];
  interfaces: string[];
  links: string[];
}
/** The interruptions topology holds now (maintenance reconciles them with its windows at start-up). */
export const listInterruptions = defineAsk<Record<never, never>, HeldInterruption[]>()(TOPOLOGY, 'topology.interruptions.list');
