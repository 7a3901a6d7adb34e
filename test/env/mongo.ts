/**
 * A real MongoDB-wire-protocol server for tests: `mongod` when one is on
 * PATH, otherwise FerretDB v1.x (SQLite backend) built by
 * test/env/go-tools.sh into $(go env GOPATH)/bin. It listens on a free
 * loopback port with its data in a fresh temp dir and is stopped by PID.
 *
 * With CI=true and no server available, startMongoWire() throws (tests fail,
 * never skip). Outside CI it throws MongoWireUnavailableError, which
 * `startMongoWireOrSkip` turns into a mocha skip with a clear message.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface MongoWire {
  uri: string;
  kind: 'mongod' | 'ferretdb';
  /** Stops the server for good and removes its data dir. */
  stop(): Promise<void>;
  /** Stops the server process (SIGTERM by default) but keeps its port and data dir. */
  pause(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port with the same data dir. */
  resume(): Promise<void>;
  /** Freezes the server process (SIGSTOP): it keeps its sockets but answers nothing, like a hung host. */
  freeze(): void;
  /** Unfreezes it (SIGCONT). */
  thaw(): void;
  readonly pid: number | undefined;
}

export class MongoWireUnavailableError extends Error {
  override readonly name = 'MongoWireUnavailableError';
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) if (c.exitCode === null) c.kill('SIGKILL'); // also ends a frozen (SIGSTOP) server
});

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function ferretdbPath(): string | undefined {
  if (process.env.LATTICE_FERRETDB_BIN && existsSync(process.env.LATTICE_FERRETDB_BIN)) {
    return process.env.LATTICE_FERRETDB_BIN;
  }
  let gopath: string | undefined;
  try {
    gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    gopath = path.join(os.homedir(), 'go');
  }
  const p = path.join(gopath, 'bin', 'ferretdb');
  return existsSync(p) ? p : onPath('ferretdb');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`MongoDB-wire server exited with ${child.exitCode}: ${tail(logFile)}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`MongoDB-wire server did not listen on ${port} within ${timeoutMs} ms: ${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

export async function startMongoWire(): Promise<MongoWire> {
  const mongod = onPath('mongod');
  const ferretdb = mongod ? undefined : ferretdbPath();
  if (!mongod && !ferretdb) {
    const msg =
      'no MongoDB-wire server: neither `mongod` on PATH nor FerretDB in $(go env GOPATH)/bin ' +
      '(build it with test/env/go-tools.sh)';
    if (process.env.CI === 'true') throw new Error(msg);
    throw new MongoWireUnavailableError(msg);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lattice-mongo-'));
  const port = await freePort();
  const logFile = path.join(dir, 'server.log');
  const kind: MongoWire['kind'] = mongod ? 'mongod' : 'ferretdb';
  const args = mongod
    ? ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']
    : [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-', // no metrics/debug HTTP listener
        '--telemetry=disable',
        '--test-telemetry-url=http://127.0.0.1:9/', // belt and braces: never leave loopback
        '--log-level=warn',
      ];
  let child: ChildProcess | undefined;

  const launch = async () => {
    const fd = openSync(logFile, 'a');
    try {
      child = spawn((mongod ?? ferretdb)!, args, { stdio: ['ignore', fd, fd], env: { ...process.env } });
    } finally {
      closeSync(fd);
    }
    live.add(child);
    await waitForPort(port, child, logFile, 20_000);
  };
  await launch();

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    kind,
    get pid() {
      return child?.pid;
    },
    async pause(signal: NodeJS.Signals = 'SIGTERM') {
      if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGCONT');
      if (child) await stopChild(child, signal);
    },
    async resume() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      await launch();
    },
    freeze() {
      if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGSTOP');
    },
    thaw() {
      if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGCONT');
    },
    async stop() {
      if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGCONT');
      if (child) await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** For mocha `before` hooks: a server, or a skip with the reason (outside CI only). */
export async function startMongoWireOrSkip(ctx: Mocha.Context): Promise<MongoWire> {
  try {
    return await startMongoWire();
  } catch (err) {
    if (err instanceof MongoWireUnavailableError) {
      console.warn(`  skipped: ${err.message}`);
      ctx.skip();
    }
    throw err;
  }
}
