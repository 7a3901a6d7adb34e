/**
 * Running a search in slices: steps run until the slice's time is spent,
 * then the rest is scheduled for a later turn of the event loop, so a search
 * on a large graph never holds the loop longer than one slice (plus one
 * step) and other requests are served between slices. A search that needs
 * more than `maxSteps` steps is refused with a 400 that says why. Pure over
 * what it is given (the clock, the scheduler), so tests drive it by hand.
 */
import { BadRequestError } from '#sdk';

export interface SliceEnv {
  /** Monotonic milliseconds. */
  monotonic(): number;
  /** Runs `fn` in a later turn (the NApp's timers). */
  later(fn: () => void): void;
  /** Milliseconds one slice may run. */
  sliceMs: number;
  /** Steps (spur searches) one search may take. */
  maxSteps: number;
}

/** Runs `steps` to the end in slices; `done` gets the value or the error, once. */
export function runSliced<T>(steps: Generator<void, T>, env: SliceEnv, done: (result: { value: T } | { error: unknown }) => void): void {
  let taken = 0;
  const slice = (): void => {
    const end = env.monotonic() + env.sliceMs;
    try {
      for (;;) {
        const r = steps.next();
        if (r.done) return done({ value: r.value });
        if (++taken > env.maxSteps) {
          steps.return(undefined as T);
          return done({ error: new BadRequestError(`The search for paths needs more than ${env.maxSteps} steps (setting MAX_SEARCH_STEPS): ask for fewer paths (spf_max_paths) or fewer flexible metrics.`) });
        }
        if (env.monotonic() >= end) return env.later(slice);
      }
    } catch (error) {
      done({ error });
    }
  };
  slice();
}
