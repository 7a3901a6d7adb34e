/**
 * A progress line for long runs (benches, load runs): every few seconds while a
 * person watches (stdout is a TTY), nothing otherwise, so logs and CI output
 * stay as they were. `LATTICE_PROGRESS=1` forces it on, `=0` off.
 */
export interface Progress {
  /** What runs now, and how many of the planned steps are done. */
  step(label: string, done?: number): void;
  /** For synchronous loops, where the timer cannot fire: prints now if a line is due. */
  poll(): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Planned steps (runs), for "3/20"; omitted when unknown. */
  total?: number;
  /** Print at most this often; the default (4 s) keeps a line at least every 5 s. */
  everyMs?: number;
  /** Where lines go (stdout). */
  write?: (line: string) => void;
  /** Overrides the TTY check (tests). */
  enabled?: boolean;
  /** Milliseconds now (tests); performance.now otherwise. */
  now?: () => number;
}

export function progressEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.LATTICE_PROGRESS === '1') return true;
  if (env.LATTICE_PROGRESS === '0') return false;
  return stream.isTTY === true;
}

const clockText = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** The line printed: `[bench:http 1:05] 7/20 done, now: rate round 2 lattice`. */
export function progressLine(name: string, elapsedMs: number, label: string, done: number, total?: number): string {
  const count = total === undefined ? `${done} done` : `${done}/${total} done`;
  return `[${name} ${clockText(elapsedMs)}] ${count}${label ? `, now: ${label}` : ''}`;
}

export function startProgress(name: string, options: ProgressOptions = {}): Progress {
  const enabled = options.enabled ?? progressEnabled();
  const now = options.now ?? (() => performance.now());
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = now();
  let label = '';
  let done = 0;
  if (!enabled) return { step: () => undefined, poll: () => undefined, stop: () => undefined };
  const every = options.everyMs ?? 4000;
  let last = started;
  let stopped = false;
  const print = () => {
    last = now();
    write(progressLine(name, last - started, label, done, options.total));
  };
  const timer = setInterval(print, every);
  timer.unref();
  return {
    step: (l, d) => {
      label = l;
      if (d !== undefined) done = d;
    },
    poll: () => {
      if (!stopped && now() - last >= every) print();
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
