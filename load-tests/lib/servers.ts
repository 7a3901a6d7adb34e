/**
 * Start the servers under test as child processes (so their CPU can be read by PID): the bare
 * uWebSockets.js baseline and the Lattice controller (`node --import tsx src/main.ts`). Both
 * listen on loopback ports chosen here; both are stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './tool-select.js';

export type ServerKind = 'bare' | 'lattice';

export interface ServerProcess {
  kind: ServerKind;
  pid: number;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export const CONTROLLER_ENTRY = join(PROJECT_ROOT, 'src', 'main.ts');
export const BARE_SERVER_ENTRY = join(PROJECT_ROOT, 'load-tests', 'bare-server.ts');

export function controllerExists(): boolean {
  return existsSync(CONTROLLER_ENTRY);
}

/** A TCP port free on 127.0.0.1 right now (the kernel's choice). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function spawnNode(entry: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Spawned {
  const child = spawn(process.execPath, [...nodeArgs, '--conditions=lattice-source', '--import', 'tsx', entry, ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => tail, exited };
}

function stopper(spawned: Spawned, cleanup: () => void): ServerProcess['stop'] {
  const onExit = (): void => {
    // The runner is exiting: do not leave the server behind.
    if (spawned.child.exitCode === null) spawned.child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  return async (graceMs = 10_000) => {
    process.removeListener('exit', onExit);
    if (spawned.child.exitCode === null && spawned.child.signalCode === null) {
      spawned.child.kill('SIGTERM');
      const killed = await Promise.race([spawned.exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (killed) {
        spawned.child.kill('SIGKILL');
        await spawned.exited;
      }
    }
    cleanup();
  };
}

/** Poll `url` until it answers `okStatus` (any status with 'any'); rejects if the process exits or the time runs out. */
export async function waitReady(url: string, spawned: Pick<Spawned, 'child' | 'output'>, timeoutMs: number, okStatus: number | 'any' = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (spawned.child.exitCode !== null) {
      throw new Error(`server exited with code ${spawned.child.exitCode} before it was ready:\n${spawned.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (okStatus === 'any' || res.status === okStatus) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`server not ready at ${url} after ${timeoutMs} ms (${last}):\n${spawned.output()}`);
}

export interface BareOptions {
  /** A responses file (see bare-responses.ts); defaults to the scenarios' own bytes. */
  responsesFile?: string;
  /** Polled until it answers 200; without it, any HTTP answer means ready. */
  readyPath?: string;
}

/**
 * Wait until the process's output shows its port (`pattern`'s first group). Servers bind port 0
 * themselves: a port picked here and bound later could be taken in between, and uWebSockets.js
 * binds with SO_REUSEPORT, so it would then silently share the port with another server.
 */
async function announcedPort(spawned: Spawned, pattern: RegExp, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(spawned.output());
    if (match) return Number(match[1]);
    if (spawned.child.exitCode !== null) throw new Error(`server exited with code ${spawned.child.exitCode} before listening:\n${spawned.output()}`);
    await sleep(50);
  }
  throw new Error(`server did not announce its port within ${timeoutMs} ms:\n${spawned.output()}`);
}

export async function startBareServer(options: BareOptions = {}): Promise<ServerProcess> {
  const args = ['--port', '0', '--host', '127.0.0.1'];
  if (options.responsesFile) args.push('--responses', options.responsesFile);
  const spawned = spawnNode(BARE_SERVER_ENTRY, args, { ...process.env });
  const stop = stopper(spawned, () => {});
  try {
    const port = await announcedPort(spawned, /\{"listening":(\d+),/, 15_000);
    const url = `http://127.0.0.1:${port}`;
    await waitReady(`${url}${options.readyPath ?? '/'}`, spawned, 15_000, options.readyPath ? 200 : 'any');
    return { kind: 'bare', pid: spawned.child.pid!, port, url, output: spawned.output, stop };
  } catch (error) {
    await stop(2000);
    throw error;
  }
}

export interface ControllerOptions {
  logLevel?: string;
  /** Extra environment (LATTICE_*) for the controller. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export class ControllerMissingError extends Error {
  override name = 'ControllerMissingError';
}

/** Start `node --import tsx src/main.ts` on free loopback ports with a throw-away data dir. */
export async function startController(options: ControllerOptions = {}): Promise<ServerProcess> {
  if (!controllerExists()) throw new ControllerMissingError(`the controller entry ${CONTROLLER_ENTRY} does not exist yet`);
  const dataDir = mkdtempSync(join(tmpdir(), 'lattice-load-data-'));
  // BENCH_CONTROLLER_NODE_ARGS: extra node flags for the controller only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeArgs = (process.env.BENCH_CONTROLLER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const spawned = spawnNode(CONTROLLER_ENTRY, [], {
    ...process.env,
    LATTICE_HTTP_HOST: '127.0.0.1',
    LATTICE_HTTP_PORT: '0',
    LATTICE_OPENFLOW_PORT: '0',
    LATTICE_DATA_DIR: dataDir,
    LATTICE_LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  }, nodeArgs);
  const stop = stopper(spawned, () => rmSync(dataDir, { recursive: true, force: true }));
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  try {
    // src/main.ts announces "REST on http://<host>:<port>/api/kytos/core/status/" on stderr.
    const port = await announcedPort(spawned, /REST on http:\/\/[^\s/]+:(\d+)\//, timeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitReady(`${url}/api/kytos/core/status/`, spawned, timeoutMs);
    return { kind: 'lattice', pid: spawned.child.pid!, port, url, output: spawned.output, stop };
  } catch (error) {
    await stop(5000);
    throw error;
  }
}
