/**
 * Contracts of kytos/maintenance (kytos-api.md 2.7): its windows and the asks
 * its routes make. On a window's start and end it publishes topology's
 * `topology.interruption.start|end` (declared in topology.ts).
 */
import { defineAsk } from '../contract.js';

export const MAINTENANCE = 'kytos/maintenance';

export type MaintenanceStatus = 'pending' | 'running' | 'finished';

/** A window as stored: dates are UTC ISO strings (`...Z`). */
export interface MaintenanceWindowDoc {
  id: string;
  start: string;
  end: string;
  switches: string[];
  interfaces: string[];
  links: string[];
  description: string;
  status: MaintenanceStatus;
  inserted_at: string | null;
  updated_at: string | null;
  last_modified: string | null;
}

/** Every window, ordered by start. */
export const listMaintenances = defineAsk<Record<never, never>, MaintenanceWindowDoc[]>()(MAINTENANCE, 'maintenance.list');
/** One window, or undefined. */
export const getMaintenance = defineAsk<{ id: string }, MaintenanceWindowDoc | undefined>()(MAINTENANCE, 'maintenance.get');
/** Stores a validated new window (409 on a duplicate id, 400 on an overlap); answers `{ mw_id }`. */
export const createMaintenance = defineAsk<{ window: MaintenanceWindowDoc; force: boolean; now: number }, { mw_id: string }>()(
  MAINTENANCE,
  'maintenance.create',
);
/** Applies a partial window to a pending or finished one; answers the message. */
export const updateMaintenance = defineAsk<{ id: string; data: Record<string, unknown>; now: number }, { response: string }>()(
  MAINTENANCE,
  'maintenance.update',
);
export const deleteMaintenance = defineAsk<{ id: string }, { response: string }>()(MAINTENANCE, 'maintenance.delete');
/** Ends a running window now. */
export const endMaintenance = defineAsk<{ id: string; now: number }, { response: string }>()(MAINTENANCE, 'maintenance.end');
/** Moves a running window's end later by `ms`. */
export const extendMaintenance = defineAsk<{ id: string; ms: number; now: number }, { response: string }>()(MAINTENANCE, 'maintenance.extend');
