/** Everything of_core uses from the SDK's model, switch and codec entry points, in one place. */
export {
  formatDpid,
  interfaceFromPort,
  interfaceToJson,
  linkDown,
  newSwitch,
  switchToJson,
  withInterface,
  type Interface,
  type InterfaceJson,
  type Switch,
  type SwitchJson,
} from '#sdk';
export type { SwitchService } from '#sdk';
export { ofp, type FeaturesReplyMessage, type MultipartReplyMessage, type OfDesc, type OfMessage, type OfPort, type PortStatusMessage } from '#sdk';
