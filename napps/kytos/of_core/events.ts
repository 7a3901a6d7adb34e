/** Messages the of_core machine takes. Bus events and asks are the catalogue's (`#sdk`). */
import {
  connectionLost,
  getSwitch,
  getSwitches,
  portStatusIn,
  switchReady,
  type AskMessage,
  type DeliveriesOf,
  type MultipartReplyMessage,
} from '#sdk';

export type StatsKind = 'flow' | 'port_stats' | 'table';

/** What of_core subscribes to. */
export const SUBSCRIPTIONS = [switchReady, connectionLost, portStatusIn] as const;

/** A stats timer fell due. */
export interface TimerEvent {
  type: 'timer';
  key: string;
}

/** A stats request finished (parts) or failed (error code). */
export interface StatsResultEvent {
  type: 'stats.result';
  dpid: string;
  kind: StatsKind;
  gen: number;
  /** Clock ms when the request was sent. */
  requestedAt?: number;
  parts?: MultipartReplyMessage[];
  error?: string;
}

export type OfCoreEvent =
  | DeliveriesOf<typeof SUBSCRIPTIONS>
  | TimerEvent
  | StatsResultEvent
  | AskMessage<typeof getSwitches>
  | AskMessage<typeof getSwitch>;

export const timerEvent = (key: string): TimerEvent => ({ type: 'timer', key });
export const statsResult = (r: Omit<StatsResultEvent, 'type'>): StatsResultEvent => ({ type: 'stats.result', ...r });
