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

/**
 * Runs the controller as `npm start` does (`node --import tsx src/main.ts`),
 * on loopback with ephemeral ports, and waits for its "REST on" line.
 */
export async function startControllerProcess(env: Record<string, string> = {}): Promise<ControllerProcess> {
  const child = spawn(process.execPath, ['--conditions=lattice-source', '--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      LATTICE_HTTP_PORT: '0',
      LATTICE_HTTP_HOST: '127.0.0.1',
      LATTICE_OPENFLOW_PORT: '0',
      LATTICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lattice-proc-')),
      LATTICE_LOG_LEVEL: 'warn',
      ...env,
    },
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
