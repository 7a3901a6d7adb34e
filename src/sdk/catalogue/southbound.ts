/**
 * Contracts of the southbound: the events every switch connection publishes
 * (actors/switch-connection produces them) and the `switches` service.
 */
import type {
  ErrorMessage,
  FeaturesReplyMessage,
  FlowRemovedMessage,
  OfDesc,
  OfMessage,
  OfPort,
  PacketInMessage,
  PortStatusMessage,
} from '../../openflow/index.js';
import type { SwitchService } from '../../southbound/service.js';
import { defineEvent, defineService, type EventContract } from '../contract.js';

/** Which connection a message came from (Kytos' `source`). */
export interface ConnectionSource {
  connection_id: string;
  /** `ip:port` of the switch. */
  connection: string;
  /** Colon-form dpid; null before FEATURES_REPLY. */
  dpid: string | null;
}

/** `lattice/southbound.switch.ready`: a switch finished its handshake. */
export interface SwitchReadyContent extends ConnectionSource {
  dpid: string;
  features: FeaturesReplyMessage;
  ports: OfPort[];
  /** Per-connection sequence number of the PORT_DESC snapshot (orders it against PORT_STATUS). */
  portsSeq: number;
  desc: OfDesc | null;
}
export const switchReady = defineEvent<SwitchReadyContent>()('lattice/southbound.switch.ready');

/** `kytos/core.openflow.connection.lost`: a connection ended (dpid null when it never had one or did not own it). */
export interface ConnectionLostContent {
  connection_id: string;
  connection: string;
  dpid: string | null;
  reason: string;
}
export const connectionLost = defineEvent<ConnectionLostContent>()('kytos/core.openflow.connection.lost');

/** `kytos/of_core.hello_failed`: version negotiation failed. */
export const helloFailed = defineEvent<{ source: ConnectionSource }>()('kytos/of_core.hello_failed');

/** Every inbound message of a ready switch: `kytos/of_core.v0x04.messages.in.ofpt_<type>`. */
export interface MessageInContent<M extends OfMessage = OfMessage> {
  source: ConnectionSource;
  message: M;
  /** Per-connection arrival sequence number. */
  seq: number;
}

const MESSAGE_IN_PREFIX = 'kytos/of_core.v0x04.messages.in.ofpt_';

/** The contract of the `messages.in` event of one OpenFlow message type (`port_status`, `packet_in`, ...). */
export const messageIn = <T extends string>(type: T): EventContract<`${typeof MESSAGE_IN_PREFIX}${T}`, MessageInContent> =>
  defineEvent<MessageInContent>()(`${MESSAGE_IN_PREFIX}${type}` as `${typeof MESSAGE_IN_PREFIX}${T}`);

export const portStatusIn = defineEvent<MessageInContent<PortStatusMessage>>()('kytos/of_core.v0x04.messages.in.ofpt_port_status');
export const packetIn = defineEvent<MessageInContent<PacketInMessage>>()('kytos/of_core.v0x04.messages.in.ofpt_packet_in');
export const flowRemovedIn = defineEvent<MessageInContent<FlowRemovedMessage>>()('kytos/of_core.v0x04.messages.in.ofpt_flow_removed');
export const errorIn = defineEvent<MessageInContent<ErrorMessage>>()('kytos/of_core.v0x04.messages.in.ofpt_error');

/** The switches service: connected switches and ways to talk to them. */
export const switchesService = defineService<SwitchService>()('switches');
