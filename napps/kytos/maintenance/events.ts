/** Messages the maintenance machine takes: its asks (from its routes), effect results, timers. */
import {
  createMaintenance,
  deleteMaintenance,
  endMaintenance,
  extendMaintenance,
  getMaintenance,
  listMaintenances,
  updateMaintenance,
  type AskMessage,
  type HeldInterruption,
  type Reply,
} from '#sdk';
import type { Win } from './logic.js';

/** What follows a durable write: the window's new timers, an interruption, an answer. */
export interface After {
  /** (Re)arm the window's timer for its next edge. */
  schedule?: boolean;
  /** Cancel the window's timers. */
  unschedule?: boolean;
  /** Publish topology's interruption. */
  interrupt?: 'start' | 'end';
  replyTo?: Reply<unknown>;
  value?: unknown;
}

/** One durable write: put (or delete) the window, then `after`. */
export interface Write extends After {
  op: 'create' | 'put' | 'delete';
  window: Win;
}

/** The `load` effect read the collection at `now`, and the interruptions topology holds. */
export interface Loaded {
  type: 'maintenance.loaded';
  windows: Win[];
  now: number;
  held?: HeldInterruption[];
}
export interface LoadFailed {
  type: 'maintenance.load_failed';
  error: unknown;
}
/** The `persist` effect finished. */
export interface Persisted extends Write {
  type: 'maintenance.persisted';
}
/** The `persist` effect failed: nothing changed. */
export interface PersistFailed {
  type: 'maintenance.persist_failed';
  id: string;
  error: unknown;
  replyTo?: Reply<unknown>;
}
/** A window's timer fired at `now`. */
export interface Due {
  type: 'maintenance.due';
  id: string;
  edge: 'start' | 'end';
  now: number;
}

/** A pruning pass is due (timer): finished windows last changed `retentionMs` before `now` go, at most `batch`. */
export interface Prune {
  type: 'maintenance.prune';
  now: number;
  retentionMs: number;
  batch: number;
}

export type MaintenanceEvent =
  | AskMessage<typeof listMaintenances>
  | AskMessage<typeof getMaintenance>
  | AskMessage<typeof createMaintenance>
  | AskMessage<typeof updateMaintenance>
  | AskMessage<typeof deleteMaintenance>
  | AskMessage<typeof endMaintenance>
  | AskMessage<typeof extendMaintenance>
  | Loaded
  | LoadFailed
  | Persisted
  | PersistFailed
  | Due
  | Prune;
