export { reply, replyError, type Reply, type Message, type KytosEvent, type BusEventMessage } from '../actor/index.js';
export type {
  HttpRequest,
  HttpResponse,
  HttpMethod,
  RouteDefinition,
  RouteHandlerFn,
  WsClient,
  WsRouteDefinition,
} from '../http/types.js';
export * from './napp.js';
export {
  LatticeError,
  HttpError,
  BadRequestError,
  NotFoundError,
  ConflictError,
  ValidationError,
  ErrorCode,
} from '../errors/index.js';
export * from './model.js';
export * from './openflow.js';
export * from './switches.js';
