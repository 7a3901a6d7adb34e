/** Contracts of the platform itself. */
import { defineEvent, type EventContract } from '../contract.js';

/** `<username>/<name>.loaded`: a NApp finished its setup and runs (as Kytos). */
export const nappLoaded = <N extends string>(napp: N): EventContract<`${N}.loaded`, Record<string, never>> =>
  defineEvent<Record<string, never>>()(`${napp}.loaded` as `${N}.loaded`);

/** `lattice/core.actor.crashed`: an actor crashed and is being restarted. */
export const actorCrashed = defineEvent<{ actor: string; error: string; restarts: number }>()('lattice/core.actor.crashed');
