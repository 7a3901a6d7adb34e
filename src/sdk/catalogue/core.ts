/** Contracts of the platform itself. */
import { defineEvent, defineService, type EventContract } from '../contract.js';

/** `<username>/<name>.loaded`: a NApp finished its setup and runs (as Kytos). */
export const nappLoaded = <N extends string>(napp: N): EventContract<`${N}.loaded`, Record<string, never>> =>
  defineEvent<Record<string, never>>()(`${napp}.loaded` as `${N}.loaded`);

/** `lattice/core.actor.crashed`: an actor crashed and is being restarted. */
export const actorCrashed = defineEvent<{ actor: string; error: string; restarts: number }>()('lattice/core.actor.crashed');

/**
 * The `metrics` service: gauges a NApp sets because it alone knows them
 * (flow_manager sets how many flows are in each state, from its own counters).
 */
export interface MetricsService {
  /** `lattice_flows{state}`: the number of flows in this state now. */
  setFlows(state: string, count: number): void;
}
export const metricsService = defineService<MetricsService>()('metrics');
