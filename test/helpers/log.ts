import { pino } from 'pino';

/** A logger that writes nothing, for tests. */
export const silentLog = () => pino({ level: 'silent' });

/** Resolves after the event loop has turned `n` times. */
export async function ticks(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Polls `fn` every `everyMs` until it returns truthy or `ms` pass (a poll's own time counts). */
export async function until<T>(fn: () => T | Promise<T>, ms = 5000, what = 'condition', everyMs = 10): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
