/**
 * Everything of_core uses from outside the SDK, in one place.
 * TODO(lead): re-export these from src/sdk (model, SwitchService, the codec's
 * message types and constants) so this file imports `src/sdk` only, as the
 * layering rule for napps/ requires; then only this file changes.
 */
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
} from '../../../src/model/index.js';
export type { SwitchService } from '../../../src/southbound/service.js';
export { ofp, type FeaturesReplyMessage, type MultipartReplyMessage, type OfDesc, type OfMessage, type OfPort, type PortStatusMessage } from '../../../src/openflow/index.js';
