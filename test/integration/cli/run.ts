/**
 * The real `lattice` process (the dev path: the TypeScript entry under tsx; the compiled one runs in
 * test/build/compiled-start.smoke.ts), with LATTICE_TOKEN and LATTICE_URL cleared unless given.
 */
import { spawn } from 'node:child_process';

const BIN = new URL('../../../src/cli/bin.ts', import.meta.url).pathname;

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Called with all stderr so far, at each chunk. */
  onStderr?: (text: string) => void;
  /** Called with all stdout so far, at each chunk, and the process (to signal it). */
  onStdout?: (text: string, child: import('node:child_process').ChildProcess) => void;
}

export function lattice(args: string[], env: Record<string, string | undefined> = {}, onStderr?: (text: string) => void, options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
      env: { ...process.env, LATTICE_TOKEN: '', LATTICE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      (onStderr ?? options.onStderr)?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
