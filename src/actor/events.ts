import type { Reply } from './reply.js';

/** A message to an actor: a plain object with a `type`. */
export interface Message {
  type: string;
  [key: string]: unknown;
}

/** An event on the bus, shaped like Kytos' `KytosEvent.as_json()`. */
export interface KytosEvent {
  id: string;
  name: string;
  content: Record<string, unknown>;
  /** UTC, `%Y-%m-%dT%H:%M:%S` as Kytos writes it. */
  timestamp: string;
  reinjections: number;
}

/** What a bus subscriber receives in its mailbox. */
export interface BusEventMessage extends Message {
  type: 'bus.event';
  event: KytosEvent;
}

/** What a parent receives when one of its children crashed. */
export interface ChildCrashedMessage extends Message {
  type: 'actor.child_crashed';
  child: string;
  error: string;
  restarts: number;
}

export const busEvent = (event: KytosEvent): BusEventMessage => ({ type: 'bus.event', event });

export const childCrashed = (child: string, error: string, restarts: number): ChildCrashedMessage => ({
  type: 'actor.child_crashed',
  child,
  error,
  restarts,
});
