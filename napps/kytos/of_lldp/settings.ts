/**
 * Settings of kytos/of_lldp (Kytos names where Kytos has one; times in
 * seconds, fractions allowed). Override with `napps.settings["kytos/of_lldp"]`.
 */
export interface OfLldpSettings {
  /** Seconds between two LLDP rounds on every port (Kytos: 3); `POST v1/polling_time` changes it until restart. */
  POLLING_TIME: number;
  /** VLAN the LLDP frames carry and the punt flow matches (topology holds it on every interface; its `LLDP_VLAN`). */
  FLOW_VLAN_VID: number;
  /** Priority of the punt flow. */
  FLOW_PRIORITY: number;
  /** High byte of the punt flow's cookie. */
  COOKIE_PREFIX: number;
  /** Liveness dead interval = POLLING_TIME x this (fixed at start, as Kytos). */
  LIVENESS_DEAD_MULTIPLIER: number;
  /** Hellos an interface needs before its liveness is `up`. */
  LIVENESS_MIN_HELLOS_UP: number;
  /** What a detected loop does: `log` and/or `disable` (disables the receiving port through topology). */
  LLDP_LOOP_ACTIONS: Array<'log' | 'disable'>;
  /** Loops ignored per dpid: {"dpid": [[1, 2]]}; a switch's `ignored_loops` metadata adds to it. */
  LLDP_IGNORED_LOOPS: Record<string, number[][]>;
  /** A loop not seen for POLLING_TIME x this is `stopped`. */
  LLDP_LOOP_DEAD_MULTIPLIER: number;
  /**
   * HMAC-SHA256 key of the authentication TLV (hex or text; never shown by
   * `core/config`). Empty: a random key generated once and kept in the store.
   */
  LLDP_HMAC_KEY: string;
  /** Seconds a frame stays fresh (its timestamp to its arrival); null: 2 x POLLING_TIME. Capped at 2 x POLLING_TIME. */
  FRESHNESS_WINDOW: number | null;
  /** Most timer slots one round is spread over. */
  MAX_SLOTS: number;
  /**
   * Frames per slot a round is cut for (ports / SLOT_FRAMES slots, rounded up, ports dealt
   * evenly): a small round goes out in a few slots instead of one wake-up per port; a large one is
   * still spread over `MAX_SLOTS` slots.
   */
  SLOT_FRAMES: number;
  /**
   * The table of each flow group (Kytos-ng's `table_group`; only `base`, the punt flow's): the
   * start value, changed at run time by `kytos/of_multi_table.enable_table` as in Kytos-ng.
   */
  TABLE_GROUP: Record<string, number>;
}

export const defaults: OfLldpSettings = {
  POLLING_TIME: 3,
  FLOW_VLAN_VID: 3799,
  FLOW_PRIORITY: 50000,
  COOKIE_PREFIX: 0xab,
  LIVENESS_DEAD_MULTIPLIER: 5,
  LIVENESS_MIN_HELLOS_UP: 2,
  LLDP_LOOP_ACTIONS: ['log'],
  LLDP_IGNORED_LOOPS: {},
  LLDP_LOOP_DEAD_MULTIPLIER: 5,
  LLDP_HMAC_KEY: '',
  FRESHNESS_WINDOW: null,
  MAX_SLOTS: 50,
  SLOT_FRAMES: 8,
  TABLE_GROUP: { base: 0 },
};
