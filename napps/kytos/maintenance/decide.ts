/**
 * The decisions of the maintenance machine, as pure functions of its context
 * and one message: the writes to make (each followed by its effects) or the
 * error to answer, with Kytos-ng's messages.
 */
import { BadRequestError, ConflictError, NotFoundError, type HeldInterruption } from '#sdk';
import type { MaintenanceEvent, Write } from './events.js';
import { asInput, iso, overdue, overlapMessage, overlapping, validateWindow, type Win } from './logic.js';

export interface MaintenanceContext {
  /** Windows as stored, by id. */
  windows: Record<string, Win>;
  /** Windows with a write in flight, by id (new windows included). */
  inflight: Record<string, Win>;
  /** Asks taken while the windows were loading, answered once they are. */
  waiting: MaintenanceEvent[];
}

export type Decision = { write: Write } | { error: Error };

const notFound = (id: string) => new NotFoundError(`Maintenance with id ${id} not found`);
const busy = (id: string) => new ConflictError(`Maintenance ${id} is being changed; try again`);

export function decideCreate(c: MaintenanceContext, req: { window: Win; force: boolean; now: number }): Decision {
  const w = req.window;
  if (c.windows[w.id] || c.inflight[w.id]) return { error: new ConflictError(`Window with id: ${w.id} already exists`) };
  const clash = overlapping(w, [...Object.values(c.windows), ...Object.values(c.inflight)], req.force);
  if (clash.length > 0) return { error: new BadRequestError(overlapMessage(w, clash)) };
  const at = iso(req.now);
  const window: Win = { ...w, status: 'pending', inserted_at: at, updated_at: at, last_modified: at };
  return { write: { op: 'create', window, schedule: true, value: { mw_id: w.id } } };
}

export function decideUpdate(c: MaintenanceContext, req: { id: string; data: Record<string, unknown>; now: number }): Decision {
  const old = c.windows[req.id];
  if (!old) return { error: notFound(req.id) };
  if (c.inflight[req.id]) return { error: busy(req.id) };
  if (old.status === 'running') return { error: new BadRequestError('Updating a running maintenance is not allowed') };
  if ('status' in req.data) return { error: new BadRequestError('Updating a maintenance status is not allowed') };
  const v = validateWindow({ ...asInput(old), ...req.data }, req.now, old);
  if ('error' in v) return { error: new BadRequestError(v.error) };
  if (v.window.id !== old.id) return { error: new BadRequestError('Updated id must match old id') };
  const at = iso(req.now);
  return { write: { op: 'put', window: { ...v.window, updated_at: at, last_modified: at }, schedule: true, value: { response: `Maintenance ${req.id} updated` } } };
}

export function decideDelete(c: MaintenanceContext, req: { id: string }): Decision {
  const old = c.windows[req.id];
  if (!old) return { error: notFound(req.id) };
  if (c.inflight[req.id]) return { error: busy(req.id) };
  if (old.status === 'running') return { error: new BadRequestError('Deleting a running maintenance is not allowed') };
  return { write: { op: 'delete', window: old, unschedule: true, value: { response: `Maintenance with id ${req.id} successfully removed` } } };
}

/** `end` and `extend` need a running window. */
function running(c: MaintenanceContext, id: string): Win | Error {
  const old = c.windows[id];
  if (!old) return notFound(id);
  if (c.inflight[id]) return busy(id);
  if (old.status === 'pending') return new BadRequestError(`Maintenance window ${id} has not yet started`);
  if (old.status === 'finished') return new BadRequestError(`Maintenance window ${id} has already finished`);
  return old;
}

/** Ends a running window now; like Kytos-ng, its `end` stays as it was. */
export function decideEnd(c: MaintenanceContext, req: { id: string; now: number }): Decision {
  const old = running(c, req.id);
  if (old instanceof Error) return { error: old };
  const at = iso(req.now);
  const window: Win = { ...old, status: 'finished', updated_at: at, last_modified: at };
  return { write: { op: 'put', window, unschedule: true, interrupt: 'end', value: { response: `Maintenance window ${req.id} finished` } } };
}

export function decideExtend(c: MaintenanceContext, req: { id: string; ms: number; now: number }): Decision {
  const old = running(c, req.id);
  if (old instanceof Error) return { error: old };
  const at = iso(req.now);
  const end = iso(Math.min(Date.parse(old.end) + req.ms, 253402300799000));
  return { write: { op: 'put', window: { ...old, end, updated_at: at, last_modified: at }, schedule: true, value: { response: `Maintenance ${req.id} extended` } } };
}

/** A timer fired: the window's status moves on, or nothing when it already did. */
export function decideDue(c: MaintenanceContext, ev: { id: string; edge: 'start' | 'end'; now: number }): Write | undefined {
  const w = c.windows[ev.id];
  if (!w || c.inflight[ev.id]) return undefined;
  const at = iso(ev.now);
  if (ev.edge === 'start' && w.status === 'pending') return { op: 'put', window: { ...w, status: 'running', last_modified: at }, schedule: true, interrupt: 'start' };
  if (ev.edge === 'end' && w.status === 'running') return { op: 'put', window: { ...w, status: 'finished', last_modified: at }, unschedule: true, interrupt: 'end' };
  return undefined;
}

/**
 * Start-up: overdue windows move to running or finished at once (written, then
 * started); running ones are interrupted again; the rest are scheduled.
 * Interruptions topology still holds for windows that are not running (their
 * end was stored but never reached topology) are released.
 */
export function decideLoaded(windows: Win[], now: number, held: readonly HeldInterruption[] = []): { writes: Write[]; start: Win[]; schedule: Win[]; release: HeldInterruption[] } {
  const out = { writes: [] as Write[], start: [] as Win[], schedule: [] as Win[], release: [] as HeldInterruption[] };
  // Running windows (overdue ones end through their own write) and those starting now keep theirs.
  const keep = new Set(windows.filter((w) => w.status === 'running' || overdue(w, now) === 'running').map((w) => w.id));
  for (const h of held) if (h.type === 'maintenance' && (h.id === null || !keep.has(h.id))) out.release.push(h);
  const at = iso(now);
  for (const w of windows) {
    const next = overdue(w, now);
    if (next === 'running') out.writes.push({ op: 'put', window: { ...w, status: 'running', last_modified: at }, schedule: true, interrupt: 'start' });
    else if (next === 'finished') {
      // A window that was running is interrupted no more; one that never ran is just closed.
      out.writes.push({ op: 'put', window: { ...w, status: 'finished', last_modified: at }, ...(w.status === 'running' ? { interrupt: 'end' as const } : {}) });
    } else if (w.status === 'running') {
      out.start.push(w);
      out.schedule.push(w);
    } else if (w.status === 'pending') out.schedule.push(w);
  }
  return out;
}

/**
 * Retention: finished windows whose last change is at or before `now - retentionMs`, none with a
 * write in flight, oldest first, at most `batch`, each as a delete.
 */
export function decidePrune(c: MaintenanceContext, now: number, retentionMs: number, batch: number): Write[] {
  if (retentionMs <= 0 || batch <= 0) return [];
  const cutoff = now - retentionMs;
  return Object.values(c.windows)
    .filter((w) => w.status === 'finished' && !c.inflight[w.id])
    .map((w) => ({ w, at: Date.parse(w.last_modified ?? w.updated_at ?? w.end) }))
    .filter((x) => Number.isFinite(x.at) && x.at <= cutoff)
    .sort((a, b) => a.at - b.at || (a.w.id < b.w.id ? -1 : 1))
    .slice(0, batch)
    .map((x) => ({ op: 'delete' as const, window: x.w }));
}
