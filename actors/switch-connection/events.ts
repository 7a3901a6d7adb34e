/**
 * Messages a SwitchConnection actor takes, and the creator functions that make them.
 * Outbound requests carry codec messages (`OfMessage`); the actor assigns xids.
 */
import type { OfMessage } from '../../src/openflow/index.js';

/** The reply channel `ask` attaches (structurally the runtime's `Reply`). */
export interface ReplyTo {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  readonly settled?: boolean;
}

/** What a request waits for: one reply, a whole multipart reply, or a barrier after the messages. */
export type Expect = 'reply' | 'multipart' | 'barrier';

/** One complete OpenFlow frame from the socket (framing already done). */
export interface FrameEvent {
  type: 'of.frame';
  frame: Buffer;
}

/** The byte stream could not be framed (length < 8 or oversize): answer and close. */
export interface FramingErrorEvent {
  type: 'of.framing_error';
  /** The first bytes of the offending frame. */
  bytes: Buffer;
  xid: number;
  reason: string;
}

/** A timer the actor asked for fell due. */
export interface TimerEvent {
  type: 'timer';
  key: string;
}

/** Fire-and-forget messages to the switch, in order. */
export interface SendEvent {
  type: 'of.send';
  messages: OfMessage[];
}

/** Messages to the switch whose answer (reply, assembled multipart, or barrier) is awaited. */
export interface RequestEvent {
  type: 'of.request';
  messages: OfMessage[];
  expect: Expect;
  timeoutMs: number;
  replyTo?: ReplyTo;
}

/** The southbound granted this connection its dpid. */
export interface DpidGrantedEvent {
  type: 'dpid.granted';
}

/** Another live connection owns this dpid: the newcomer closes. */
export interface DpidRefusedEvent {
  type: 'dpid.refused';
  owner: string;
}

/** The peer closed, or the socket failed. */
export interface SocketClosedEvent {
  type: 'socket.closed';
  reason: string;
}

/** Close the connection (replaced by a newer one, controller stopping, ...). */
export interface CloseEvent {
  type: 'close';
  reason: string;
}

/** The adapter could not encode a message the actor sent (a NApp built a bad message). */
export interface EncodeFailedEvent {
  type: 'of.encode_failed';
  xid: number;
  reason: string;
}

/** Raised internally after decoding a frame. */
export interface InboundEvent {
  type: 'of.in';
  message: OfMessage;
}

/** Raised internally when the codec rejected a frame. */
export interface BadFrameEvent {
  type: 'of.bad';
  frame: Buffer;
  ofType: number;
  ofCode: number;
  code: string;
}

export type SwitchConnectionEvent =
  | FrameEvent
  | FramingErrorEvent
  | TimerEvent
  | SendEvent
  | RequestEvent
  | DpidGrantedEvent
  | DpidRefusedEvent
  | SocketClosedEvent
  | CloseEvent
  | InboundEvent
  | BadFrameEvent
  | EncodeFailedEvent;

export const frameEvent = (frame: Buffer): FrameEvent => ({ type: 'of.frame', frame });
export const framingError = (bytes: Buffer, xid: number, reason: string): FramingErrorEvent => ({
  type: 'of.framing_error',
  bytes,
  xid,
  reason,
});
export const timerEvent = (key: string): TimerEvent => ({ type: 'timer', key });
export const sendEvent = (messages: OfMessage[]): SendEvent => ({ type: 'of.send', messages });
export const requestEvent = (messages: OfMessage[], expect: Expect, timeoutMs: number): RequestEvent => ({
  type: 'of.request',
  messages,
  expect,
  timeoutMs,
});
export const dpidGranted = (): DpidGrantedEvent => ({ type: 'dpid.granted' });
export const dpidRefused = (owner: string): DpidRefusedEvent => ({ type: 'dpid.refused', owner });
export const socketClosed = (reason: string): SocketClosedEvent => ({ type: 'socket.closed', reason });
export const closeEvent = (reason: string): CloseEvent => ({ type: 'close', reason });

/** Bus event names the actor emits (through its injected `emit` action). */
export const SOUTHBOUND_EVENTS = {
  /** Handshake done: `{ connection_id, connection, dpid, features, ports, desc }`. */
  ready: 'lattice/southbound.switch.ready',
  /** Every inbound message once ready: `kytos/of_core.v0x04.messages.in.ofpt_<type>`. */
  messageIn: (type: string): string => `kytos/of_core.v0x04.messages.in.ofpt_${type}`,
  /** Version negotiation failed: `{ source }`. */
  helloFailed: 'kytos/of_core.hello_failed',
  /** A connection ended: `{ connection_id, connection, dpid, reason }` (dpid null when it had none). */
  connectionLost: 'kytos/core.openflow.connection.lost',
} as const;
