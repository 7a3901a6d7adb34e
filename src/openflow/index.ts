/**
 * OpenFlow 1.3 wire codec: the public API. Pure (no I/O) and a leaf: it
 * imports only Node built-ins. Framing (cutting a byte stream into frames)
 * belongs to src/southbound, which uses `peekHeader` and `decodeMessage`.
 */
export { OFP_VERSION, OFP_HEADER_LEN, OFP_MAX_LEN } from './constants.js';
export * as ofp from './constants.js';
export { OfCodecError, isOfCodecError, HELLO_INCOMPATIBLE, type OfCodecErrorCode } from './errors.js';
export { peekHeader, type OfHeader, type MessageBase } from './header.js';
export {
  decodeMessage,
  encodeMessage,
  messageTypeCode,
  messageTypeName,
  type OfMessage,
  type OfMessageType,
  type OfMessageOf,
} from './message.js';
export { errorReplyFor, ERROR_DATA_LEN, type ErrorMessage } from './messages/error.js';
export type { HelloMessage } from './messages/hello.js';
export type { EchoRequestMessage, EchoReplyMessage } from './messages/echo.js';
export type { EmptyMessage } from './messages/empty.js';
export type { ExperimenterMessage } from './messages/experimenter.js';
export type { FeaturesReplyMessage } from './messages/features-reply.js';
export type { GetConfigReplyMessage, SetConfigMessage } from './messages/switch-config.js';
export type { PacketInMessage } from './messages/packet-in.js';
export type { PacketOutMessage } from './messages/packet-out.js';
export type { FlowRemovedMessage } from './messages/flow-removed.js';
export type { PortStatusMessage } from './messages/port-status.js';
export type { FlowModMessage } from './messages/flow-mod.js';
export type { GroupModMessage } from './messages/group-mod.js';
export type { MeterModMessage } from './messages/meter-mod.js';
export type { MultipartRequestMessage, MultipartRequestBody } from './messages/multipart-request.js';
export type { MultipartReplyMessage, MultipartReplyBody } from './messages/multipart-reply.js';
export type { RoleRequestMessage, RoleReplyMessage } from './messages/role.js';
export type { RawMessage } from './messages/raw.js';
export { versionBitmap, bitmapVersions, type HelloElement } from './hello-element.js';
export type { OfPort } from './port.js';
export type { Match, Oxm, OxmBasic, OxmOther, OxmFieldName } from './match.js';
export { OXM_FIELDS } from './match.js';
export type { Action } from './action.js';
export type { Instruction } from './instruction.js';
export type { Bucket } from './bucket.js';
export type { MeterBand } from './meter-band.js';
export type { OfDesc } from './multipart/desc.js';
export type { FlowStats, FlowStatsRequest } from './multipart/flow-stats.js';
export type { TableStats } from './multipart/table-stats.js';
export type { PortStats } from './multipart/port-stats.js';
export { macToString, macToBytes, ipv4ToString, ipv4ToBytes, ipv6ToString, ipv6ToBytes } from './addr.js';
