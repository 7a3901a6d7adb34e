/**
 * The typed contracts NApps and the platform share: bus events, asks and
 * services. A contract is declared once (in `src/sdk/catalogue/`) and imported
 * by its producer and every consumer, so a changed payload is a type error in
 * every one of them.
 *
 *   export const linkUp = defineEvent<LinkUpContent>()('kytos/topology.link_up');
 *   ctx.emit(linkUp, { link });                                  // producer
 *   on: { [linkUp.type]: { actions: ... } }                      // consumer's machine
 */
import type { KytosEvent } from '../actor/index.js';
import type { Reply } from '../actor/reply.js';

/** Escapes a literal event name into a Kytos subscription pattern (a regex matching only it). */
export const exactPattern = (name: string): string => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A bus event: its name and the type of its content. */
export interface EventContract<N extends string = string, P = unknown> {
  readonly kind: 'event';
  /** The Kytos event name; also the `type` of the machine event a subscriber receives. */
  readonly type: N;
  /** A subscription pattern matching exactly this name. */
  readonly pattern: string;
  /** Phantom: the content type (never set at run time). */
  readonly content?: P;
}

/** A bus event as a NApp's machine receives it: `type` is the event name. */
export interface BusDelivery<N extends string = string, P = unknown> {
  readonly type: N;
  readonly content: P;
  /** The event as published (id, timestamp, reinjections). */
  readonly event: KytosEvent;
}

/** The machine event a subscriber of `C` receives. */
export type DeliveryOf<C> = C extends EventContract<infer N, infer P> ? BusDelivery<N, P> : never;

/** The union of machine events for a list of subscribed contracts. */
export type DeliveriesOf<L extends readonly EventContract<string, any>[]> = DeliveryOf<L[number]>;

/** The content type of an event contract. */
export type ContentOf<C> = C extends EventContract<string, infer P> ? P : never;

/**
 * Declares a bus event. Curried so the content type is explicit and the name
 * literal is inferred: `defineEvent<{ dpid: string }>()('kytos/x.y')`.
 */
export const defineEvent =
  <P>() =>
  <N extends string>(name: N): EventContract<N, P> =>
    Object.freeze({ kind: 'event' as const, type: name, pattern: exactPattern(name) });

/** True when a machine event is the delivery of `contract` (for code outside `on:` maps). */
export const isDelivery = <N extends string, P>(contract: EventContract<N, P>, message: { type: string }): message is BusDelivery<N, P> =>
  message.type === contract.type;

/** A bus event to publish, decided by pure logic and published by an effect (`ctx.emit(e.event, e.content)`). */
export interface Emission {
  readonly event: EventContract<string, unknown>;
  readonly content: unknown;
}

/** Pairs a contract with its content, type-checked. */
export const emission = <N extends string, P>(event: EventContract<N, P>, content: P): Emission => ({ event: event as EventContract<string, unknown>, content });

/** Turns a published bus event into the machine event a NApp receives. */
export const toDelivery = (event: KytosEvent): BusDelivery => ({ type: event.name, content: event.content, event });

/** A request one NApp answers for others: its message type, request fields and answer. */
export interface AskContract<T extends string = string, Req extends object = object, Res = unknown> {
  readonly kind: 'ask';
  /** The answering NApp, "username/name". */
  readonly napp: string;
  /** The message `type` the answering machine handles (`on: { [ask.type]: ... }`). */
  readonly type: T;
  /** Phantoms: request and answer types. */
  readonly request?: Req;
  readonly response?: Res;
}

/** The message an answering machine receives for an ask. Answer it with `reply(event, value)`. */
export type AskMessage<C> = C extends AskContract<infer T, infer Req, infer Res> ? { type: T; replyTo?: Reply<Res> } & Req : never;

/** The answer type of an ask contract. */
export type ResponseOf<C> = C extends AskContract<string, object, infer Res> ? Res : never;
/** The request fields of an ask contract. */
export type RequestOf<C> = C extends AskContract<string, infer Req, unknown> ? Req : never;

/** Declares an ask: `defineAsk<{ dpid: string }, SwitchJson | undefined>()('kytos/of_core', 'of_core.switch.get')`. */
export const defineAsk =
  <Req extends object, Res>() =>
  <T extends string>(napp: string, type: T): AskContract<T, Req, Res> =>
    Object.freeze({ kind: 'ask' as const, napp, type });

/** Builds the message of an ask (for `tell`, tests and the step harness). */
export const askMessage = <T extends string, Req extends object, Res>(contract: AskContract<T, Req, Res>, request: Req): AskMessage<AskContract<T, Req, Res>> =>
  ({ ...request, type: contract.type }) as AskMessage<AskContract<T, Req, Res>>;

/** A platform service NApps reach through their context (`ctx.service(switches)`). */
export interface ServiceContract<T = unknown> {
  readonly kind: 'service';
  readonly name: string;
  /** Phantom: the service's interface. */
  readonly api?: T;
}

/** Declares a service: `defineService<SwitchService>()('switches')`. */
export const defineService =
  <T>() =>
  (name: string): ServiceContract<T> =>
    Object.freeze({ kind: 'service' as const, name });

/** A service contract bound to its implementation (what the composition root hands the NApp manager). */
export interface ServiceBinding<T = unknown> {
  readonly contract: ServiceContract<T>;
  readonly implementation: T;
}

/** Binds an implementation to a service contract, type-checked. */
export const provide = <T>(contract: ServiceContract<T>, implementation: T): ServiceBinding<T> => ({ contract, implementation });
