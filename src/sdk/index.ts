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
/** Compact JSON as the HTTP layer writes it (bigints as exact integers), for NApps that serve pre-serialized bodies. */
export { toJson } from '../http/codec.js';
/** One request header by its lower-case name; on the front end it reads only that header (`req.headers` reads them all). */
export { headerOf } from '../http/request.js';
export * from './napp.js';
export * from './schema.js';
export * from './kytos-import.js';
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
export * from './contract.js';
export * from './catalogue/index.js';
export { stepNApp, deliver, askInput, type StepInput, type StepOptions, type StepResult } from './step.js';
export { ManualClock, type Clock, type TimerHandle } from '../actor/clock.js';
