import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './log.js';

export interface ControllerProcess {
  child: ChildProcess;
  /** The HTTP base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  stderr(): string;
  /** What it wrote to stdout (its JSON log lines). */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends it (SIGTERM, SIGKILL after 10 s) if it still runs. */
  stop(): Promise<void>;
}

/** Another way to run it than the default (the sources under the dev loader, as `npm run dev`). */
export interface ControllerCommand {
  /** Default: this node, running src/main.ts under the dev loader. */
  command?: string;
  args?: string[];
  cwd?: string;
  /** The base environment (default process.env); the LATTICE_* defaults and `env` go over it. */
  baseEnv?: Record<string, string | undefined>;
  /** Variables removed last (e.g. LATTICE_LOG_LEVEL, so that the config file's level applies). */
  unsetEnv?: string[];
}

/**
 * Runs the controller as `npm run dev` does (`node --import tsx src/main.ts`),
 * or as `how` says (e.g. `npm start` in a built copy), on loopback with
 * ephemeral ports, and waits for its "REST on" line.
 */
export async function startControllerProcess(env: Record<string, string> = {}, how?: ControllerCommand): Promise<ControllerProcess> {
  const command = how?.command ?? process.execPath;
  const args = how?.args ?? ['--conditions=lattice-source', '--import', 'tsx', 'src/main.ts'];
  const childEnv: Record<string, string | undefined> = {
    ...(how?.baseEnv ?? process.env),
    LATTICE_HTTP_PORT: '0',
    LATTICE_HTTP_HOST: '127.0.0.1',
    LATTICE_OPENFLOW_PORT: '0',
    LATTICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lattice-proc-')),
    LATTICE_LOG_LEVEL: 'warn',
    ...env,
  };
  for (const name of how?.unsetEnv ?? []) delete childEnv[name];
  const child = spawn(command, args, {
    ...(how?.cwd ? { cwd: how.cwd } : {}),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => (stdout += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const line = /REST on http:\/\/127\.0\.0\.1:(\d+)/;
  await until(() => {
    if (gone) throw new Error(`the controller exited before it started: ${stderr}`);
    return line.test(stderr);
  }, 30_000, 'the controller to start');
  const port = Number(line.exec(stderr)![1]);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    stop: async () => {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
