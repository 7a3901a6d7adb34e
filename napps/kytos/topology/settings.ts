/**
 * Settings of kytos/topology (Kytos names; times in seconds, fractions allowed).
 * Override with `napps.settings["kytos/topology"]` in config.
 */
export interface TopologySettings {
  /** A link counts as UP only once it has been active this long (Kytos: 10 s). */
  LINK_UP_TIMER: number;
  /** New switches, interfaces and links start enabled (Kytos-ng needs `-E` for that). */
  ENABLE_NEW_ENTITIES: boolean;
  /** VLAN held on every interface of an enabled switch (of_lldp's); null for none. */
  LLDP_VLAN: number | null;
  /** Publish `kytos/topology.updated` (coalesced: once per burst of changes). */
  PUBLISH_UPDATED: boolean;
}

export const defaults: TopologySettings = {
  LINK_UP_TIMER: 10,
  ENABLE_NEW_ENTITIES: true,
  LLDP_VLAN: 3799,
  PUBLISH_UPDATED: true,
};
