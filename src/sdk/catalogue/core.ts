/** Contracts of the platform itself. */
import { defineEvent, defineService, type EventContract } from '../contract.js';

/** `<username>/<name>.loaded`: a NApp finished its setup and runs (as Kytos). */
export const nappLoaded = <N extends string>(napp: N): EventContract<`${N}.loaded`, Record<string, never>> =>
  defineEvent<Record<string, never>>()(`${napp}.loaded` as `${N}.loaded`);

/** `lattice/core.actor.crashed`: an actor crashed and is being restarted. */
export const actorCrashed = defineEvent<{ actor: string; error: string; restarts: number }>()('lattice/core.actor.crashed');

/** Counters NApps add to (declared once in src/metrics/definitions.ts; shown under `metrics` in `core/status`). */
export interface NAppMetrics {
  /** Adds to a counter NApps may count: `lldpFramesRejected` (label: the reason). */
  count(metric: 'lldpFramesRejected', by: number, ...labels: string[]): void;
}
export const metricsService = defineService<NAppMetrics>()('metrics');
