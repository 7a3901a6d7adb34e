/**
 * The contract between the socket adapter and a switch-connection actor
 * (actors/switch-connection implements it; main.ts passes that machine in, so
 * src/ never imports actors/). Messages the adapter sends, and the names and
 * parameters of the side-effect actions the adapter implements.
 */
import type { AnyStateMachine } from 'xstate';
import type { OfMessage } from '../openflow/index.js';

export interface ReplyLike {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  readonly settled?: boolean;
}

/** Messages into the actor. */
export type SwitchActorMessage =
  | { type: 'of.frame'; frame: Buffer }
  | { type: 'of.framing_error'; bytes: Buffer; xid: number; reason: string }
  | { type: 'timer'; key: string }
  | { type: 'socket.closed'; reason: string }
  | { type: 'close'; reason: string }
  | { type: 'dpid.granted' }
  | { type: 'dpid.refused'; owner: string }
  | { type: 'of.send'; messages: OfMessage[] }
  | { type: 'of.encode_failed'; xid: number; reason: string }
  | { type: 'of.request'; messages: OfMessage[]; expect: 'reply' | 'multipart' | 'barrier'; timeoutMs: number };

/** Parameters of the actions the adapter implements. */
export interface SwitchActorEffects {
  send: { messages: OfMessage[] };
  emit: { name: string; content: Record<string, unknown> };
  startTimer: { key: string; ms: number };
  cancelTimer: { key: string };
  claimDpid: { dpid: string };
  closeSocket: { reason: string; dpid: string | null; owner: boolean };
}

/** Input the actor is spawned with. */
export interface SwitchActorInput {
  connectionId: string;
  remote: string;
  options: { echoIntervalMs: number; echoMissedLimit: number; handshakeTimeoutMs: number };
}

/** Bus event the actor emits when its handshake is done (the adapter records the switch as ready). */
export const SWITCH_READY_EVENT = 'lattice/southbound.switch.ready';

/** The machine main.ts passes in (actors/switch-connection/machine.ts). */
export type SwitchActorLogic = AnyStateMachine;
