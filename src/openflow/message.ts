/**
 * The message union and the dispatch between header type codes and the
 * per-message modules in ./messages/.
 */
import { OFP_HEADER_LEN, OFP_MAX_LEN, OFP_VERSION, OFPT } from './constants.js';
import { OfCodecError } from './errors.js';
import { peekHeader, type OfHeader } from './header.js';
import * as echo from './messages/echo.js';
import * as empty from './messages/empty.js';
import * as error from './messages/error.js';
import * as experimenter from './messages/experimenter.js';
import * as featuresReply from './messages/features-reply.js';
import * as flowMod from './messages/flow-mod.js';
import * as flowRemoved from './messages/flow-removed.js';
import * as groupMod from './messages/group-mod.js';
import * as hello from './messages/hello.js';
import * as meterMod from './messages/meter-mod.js';
import * as multipartReply from './messages/multipart-reply.js';
import * as multipartRequest from './messages/multipart-request.js';
import * as packetIn from './messages/packet-in.js';
import * as packetOut from './messages/packet-out.js';
import * as portStatus from './messages/port-status.js';
import * as raw from './messages/raw.js';
import * as role from './messages/role.js';
import * as switchConfig from './messages/switch-config.js';
import { Reader, Writer } from './wire.js';

export type OfMessage =
  | hello.HelloMessage
  | error.ErrorMessage
  | echo.EchoRequestMessage
  | echo.EchoReplyMessage
  | experimenter.ExperimenterMessage
  | empty.EmptyMessage<'features_request'>
  | featuresReply.FeaturesReplyMessage
  | empty.EmptyMessage<'get_config_request'>
  | switchConfig.GetConfigReplyMessage
  | switchConfig.SetConfigMessage
  | packetIn.PacketInMessage
  | flowRemoved.FlowRemovedMessage
  | portStatus.PortStatusMessage
  | packetOut.PacketOutMessage
  | flowMod.FlowModMessage
  | groupMod.GroupModMessage
  | multipartRequest.MultipartRequestMessage
  | multipartReply.MultipartReplyMessage
  | empty.EmptyMessage<'barrier_request'>
  | empty.EmptyMessage<'barrier_reply'>
  | role.RoleRequestMessage
  | role.RoleReplyMessage
  | meterMod.MeterModMessage
  | raw.RawMessage;

export type OfMessageType = OfMessage['type'];
/** The message of a given `type` name, e.g. OfMessageOf<'packet_in'>. */
export type OfMessageOf<T extends OfMessageType> = Extract<OfMessage, { type: T }>;

type Decode = (r: Reader, h: OfHeader) => OfMessage;
type Encode = (w: Writer, m: never) => void;

/** type name -> [header type code, body encoder]; 'raw' takes its code from the message. */
const ENCODERS: Record<Exclude<OfMessageType, 'raw'>, readonly [number, Encode]> = {
  hello: [OFPT.HELLO, hello.encode],
  error: [OFPT.ERROR, error.encode],
  echo_request: [OFPT.ECHO_REQUEST, echo.encode],
  echo_reply: [OFPT.ECHO_REPLY, echo.encode],
  experimenter: [OFPT.EXPERIMENTER, experimenter.encode],
  features_request: [OFPT.FEATURES_REQUEST, empty.encode],
  features_reply: [OFPT.FEATURES_REPLY, featuresReply.encode],
  get_config_request: [OFPT.GET_CONFIG_REQUEST, empty.encode],
  get_config_reply: [OFPT.GET_CONFIG_REPLY, switchConfig.encode],
  set_config: [OFPT.SET_CONFIG, switchConfig.encode],
  packet_in: [OFPT.PACKET_IN, packetIn.encode],
  flow_removed: [OFPT.FLOW_REMOVED, flowRemoved.encode],
  port_status: [OFPT.PORT_STATUS, portStatus.encode],
  packet_out: [OFPT.PACKET_OUT, packetOut.encode],
  flow_mod: [OFPT.FLOW_MOD, flowMod.encode],
  group_mod: [OFPT.GROUP_MOD, groupMod.encode],
  multipart_request: [OFPT.MULTIPART_REQUEST, multipartRequest.encode],
  multipart_reply: [OFPT.MULTIPART_REPLY, multipartReply.encode],
  barrier_request: [OFPT.BARRIER_REQUEST, empty.encode],
  barrier_reply: [OFPT.BARRIER_REPLY, empty.encode],
  role_request: [OFPT.ROLE_REQUEST, role.encode],
  role_reply: [OFPT.ROLE_REPLY, role.encode],
  meter_mod: [OFPT.METER_MOD, meterMod.encode],
};

/** Header type code -> body decoder. Codes not listed decode as 'raw'. */
const DECODERS: ReadonlyArray<Decode | undefined> = (() => {
  const t: Decode[] = [];
  t[OFPT.HELLO] = hello.decode;
  t[OFPT.ERROR] = error.decode;
  t[OFPT.ECHO_REQUEST] = echo.decode;
  t[OFPT.ECHO_REPLY] = echo.decode;
  t[OFPT.EXPERIMENTER] = experimenter.decode;
  t[OFPT.FEATURES_REQUEST] = empty.decodeAs('features_request');
  t[OFPT.FEATURES_REPLY] = featuresReply.decode;
  t[OFPT.GET_CONFIG_REQUEST] = empty.decodeAs('get_config_request');
  t[OFPT.GET_CONFIG_REPLY] = switchConfig.decode;
  t[OFPT.SET_CONFIG] = switchConfig.decode;
  t[OFPT.PACKET_IN] = packetIn.decode;
  t[OFPT.FLOW_REMOVED] = flowRemoved.decode;
  t[OFPT.PORT_STATUS] = portStatus.decode;
  t[OFPT.PACKET_OUT] = packetOut.decode;
  t[OFPT.FLOW_MOD] = flowMod.decode;
  t[OFPT.GROUP_MOD] = groupMod.decode;
  t[OFPT.MULTIPART_REQUEST] = multipartRequest.decode;
  t[OFPT.MULTIPART_REPLY] = multipartReply.decode;
  t[OFPT.BARRIER_REQUEST] = empty.decodeAs('barrier_request');
  t[OFPT.BARRIER_REPLY] = empty.decodeAs('barrier_reply');
  t[OFPT.ROLE_REQUEST] = role.decode;
  t[OFPT.ROLE_REPLY] = role.decode;
  t[OFPT.METER_MOD] = meterMod.decode;
  return t;
})();

/** Types whose layout every OpenFlow version shares: decoded whatever the version. */
const ANY_VERSION = new Set<number>([OFPT.HELLO, OFPT.ERROR, OFPT.ECHO_REQUEST, OFPT.ECHO_REPLY]);

/**
 * Decodes exactly one message (header included; `frame.length` must equal the
 * header's length). Throws only OfCodecError. Unknown type codes give a 'raw'
 * message. HELLO, ERROR and ECHO are decoded for any version (negotiation
 * needs them); everything else must be version 0x04.
 */
export function decodeMessage(frame: Buffer): OfMessage {
  const h = peekHeader(frame);
  if (!h) throw new OfCodecError('SHORT_HEADER', `frame of ${frame.length} bytes has no header`);
  if (h.length < OFP_HEADER_LEN) throw new OfCodecError('BAD_LENGTH', `header length ${h.length} < ${OFP_HEADER_LEN}`);
  if (h.length !== frame.length) throw new OfCodecError('BAD_LENGTH', `header length ${h.length} != frame length ${frame.length}`);
  if (h.version !== OFP_VERSION && !ANY_VERSION.has(h.type)) {
    throw new OfCodecError('BAD_VERSION', `version 0x${h.version.toString(16)} is not OpenFlow 1.3`);
  }
  const r = new Reader(frame, OFP_HEADER_LEN);
  const msg = (DECODERS[h.type] ?? raw.decode)(r, h);
  if (r.remaining !== 0) throw new OfCodecError('BAD_LENGTH', `${r.remaining} bytes after the message body`);
  return msg;
}

/** Header type code of a message object. */
export function messageTypeCode(msg: OfMessage): number {
  if (msg.type === 'raw') return msg.msgType;
  const e = Object.hasOwn(ENCODERS, msg.type) ? ENCODERS[msg.type] : undefined;
  if (!e) throw new OfCodecError('BAD_TYPE', `unknown message type ${String((msg as { type: unknown }).type)}`);
  return e[0];
}

/** Encodes a message, header included; the length field is computed. */
export function encodeMessage(msg: OfMessage): Buffer {
  const code = messageTypeCode(msg);
  const w = new Writer(256);
  w.u8(msg.version ?? OFP_VERSION, 'version').u8(code, 'type').u16(0).u32(msg.xid, 'xid');
  if (msg.type === 'raw') raw.encode(w, msg);
  else (ENCODERS[msg.type][1] as (w: Writer, m: OfMessage) => void)(w, msg);
  if (w.offset > OFP_MAX_LEN) throw new OfCodecError('BAD_LENGTH', `message of ${w.offset} bytes exceeds ${OFP_MAX_LEN}`);
  w.patchU16(2, w.offset);
  return w.finish();
}

const TYPE_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [k, v] of Object.entries(OFPT)) names[v] = `ofpt_${k.toLowerCase()}`;
  return names;
})();

/** Kytos-style name of a header type code: 10 -> 'ofpt_packet_in'; unknown -> 'ofpt_unknown'. */
export function messageTypeName(type: number): string {
  return TYPE_NAMES[type] ?? 'ofpt_unknown';
}
