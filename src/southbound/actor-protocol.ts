/**
 * The one contract between the socket adapter (src/southbound/connection.ts)
 * and a switch-connection actor (actors/switch-connection implements it; main.ts
 * passes that machine in, so src/ never imports actors/): the messages the
 * actor takes from outside, with their creators; the named side effects the
 * adapter implements, with their parameters; the actor's input.
 */
import type { AnyActorLogic } from 'xstate';
import type { Reply } from '../actor/reply.js';
import type { OfMessage } from '../openflow/index.js';

/** What a request waits for: one reply, a whole multipart reply, or a barrier after the messages. */
export type Expect = 'reply' | 'multipart' | 'barrier';

/** One complete OpenFlow frame from the socket (framing already done). */
export type FrameEvent = {
  type: 'of.frame';
  frame: Buffer;
};

/** The byte stream could not be framed (length < 8, oversize, not OpenFlow): answer and close. */
export type FramingErrorEvent = {
  type: 'of.framing_error';
  /** The first bytes of the offending frame. */
  bytes: Buffer;
  xid: number;
  reason: string;
};

/** A timer the actor asked for fell due. */
export type TimerEvent = {
  type: 'timer';
  key: string;
};

/** Fire-and-forget messages to the switch, in order. */
export type SendEvent = {
  type: 'of.send';
  messages: OfMessage[];
};

/** Messages to the switch whose answer (reply, assembled multipart, or barrier) is awaited. */
export type RequestEvent = {
  type: 'of.request';
  messages: OfMessage[];
  expect: Expect;
  timeoutMs: number;
  replyTo?: Reply<unknown>;
};

/** The southbound granted this connection its dpid. */
export type DpidGrantedEvent = {
  type: 'dpid.granted';
};

/** Another live connection owns this dpid: the newcomer closes. */
export type DpidRefusedEvent = {
  type: 'dpid.refused';
  owner: string;
};

/** The peer closed, or the socket failed. */
export type SocketClosedEvent = {
  type: 'socket.closed';
  reason: string;
};

/** Close the connection (replaced by a newer one, controller stopping, ...). */
export type CloseEvent = {
  type: 'close';
  reason: string;
};

/** The adapter could not encode a message the actor sent (a NApp built a bad message). */
export type EncodeFailedEvent = {
  type: 'of.encode_failed';
  xid: number;
  reason: string;
};

/** Messages into the actor from outside it. */
export type SwitchActorMessage =
  | FrameEvent
  | FramingErrorEvent
  | TimerEvent
  | SendEvent
  | RequestEvent
  | DpidGrantedEvent
  | DpidRefusedEvent
  | SocketClosedEvent
  | CloseEvent
  | EncodeFailedEvent;

export const frameEvent = (frame: Buffer): FrameEvent => ({ type: 'of.frame', frame });
export const framingError = (bytes: Buffer, xid: number, reason: string): FramingErrorEvent => ({ type: 'of.framing_error', bytes, xid, reason });
export const timerEvent = (key: string): TimerEvent => ({ type: 'timer', key });
export const sendEvent = (messages: OfMessage[]): SendEvent => ({ type: 'of.send', messages });
export const requestEvent = (messages: OfMessage[], expect: Expect, timeoutMs: number): RequestEvent => ({ type: 'of.request', messages, expect, timeoutMs });
export const dpidGranted = (): DpidGrantedEvent => ({ type: 'dpid.granted' });
export const dpidRefused = (owner: string): DpidRefusedEvent => ({ type: 'dpid.refused', owner });
export const socketClosed = (reason: string): SocketClosedEvent => ({ type: 'socket.closed', reason });
export const closeEvent = (reason: string): CloseEvent => ({ type: 'close', reason });
export const encodeFailed = (xid: number, reason: string): EncodeFailedEvent => ({ type: 'of.encode_failed', xid, reason });

/** Parameters of the named side effects the adapter implements. */
export interface SwitchActorEffects {
  /** Write these messages to the socket, in order. */
  send: { messages: OfMessage[] };
  /** Publish a bus event (names and contents are the catalogue's southbound contracts). */
  emit: { name: string; content: Record<string, unknown> };
  /** The handshake finished: the adapter records the switch as connected (before the ready event is published). */
  switchReady: { dpid: string };
  startTimer: { key: string; ms: number };
  cancelTimer: { key: string };
  claimDpid: { dpid: string };
  closeSocket: { reason: string; dpid: string | null; owner: boolean };
}

export const SWITCH_ACTOR_EFFECTS = ['send', 'emit', 'switchReady', 'startTimer', 'cancelTimer', 'claimDpid', 'closeSocket'] as const satisfies readonly (keyof SwitchActorEffects)[];

/** Input the actor is spawned with. */
export interface SwitchActorInput {
  connectionId: string;
  /** `ip:port` of the peer (Kytos' `connection`). */
  remote: string;
  options: { echoIntervalMs: number; echoMissedLimit: number; handshakeTimeoutMs: number; malformedBudget: number; malformedWindowMs: number };
}

/** One effect's implementation, as the adapter binds it (it finds its connection through the actor's context). */
export type SwitchEffectImpl<K extends keyof SwitchActorEffects> = (args: { context: { connectionId: string } }, params: SwitchActorEffects[K]) => void;

/** The machine main.ts passes in: actor logic whose named effects the adapter provides. */
export interface SwitchActorLogic extends AnyActorLogic {
  provide(implementations: { actions: { [K in keyof SwitchActorEffects]: SwitchEffectImpl<K> } }): AnyActorLogic;
}
