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
} from '../../../src/sdk/model.js';
export type { SwitchService } from '../../../src/sdk/switches.js';
export { ofp, type FeaturesReplyMessage, type MultipartReplyMessage, type OfDesc, type OfMessage, type OfPort, type PortStatusMessage } from '../../../src/sdk/openflow.js';
