/**
 * Which load generator runs: Grafana k6 when a genuine binary is installed, else autocannon.
 * A k6 binary is trusted only if `k6 version` prints "k6 vX.Y.Z (" and the binary's embedded Go
 * build info names the main module go.k6.io/k6 (scripts/load/install-k6.sh puts one in
 * .test-env/k6/bin/k6).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolName } from './report.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface K6Binary {
  path: string;
  /** e.g. "v1.1.0" */
  version: string;
  /** The first line of `k6 version`. */
  banner: string;
}

export interface K6Probe {
  found: K6Binary | null;
  /** Candidates looked at and why each was refused. */
  rejected: { path: string; reason: string }[];
}

/** Where to look, in order: $LATTICE_K6_BIN, the project-local install, then $PATH. */
export function k6Candidates(env: NodeJS.ProcessEnv = process.env, root: string = PROJECT_ROOT): string[] {
  const list: string[] = [];
  if (env.LATTICE_K6_BIN) list.push(env.LATTICE_K6_BIN);
  list.push(join(root, '.test-env', 'k6', 'bin', 'k6'));
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir) list.push(join(dir, 'k6'));
  return [...new Set(list)];
}

const BUILD_INFO_MODULE = Buffer.from('\tgo.k6.io/k6\t');

/** Check one candidate; returns the binary or the reason it is refused. */
export function verifyK6(path: string): K6Binary | { reason: string } {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { reason: 'not an executable file' };
  }
  let banner: string;
  try {
    banner = execFileSync(path, ['version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0].trim();
  } catch (error) {
    return { reason: `\`k6 version\` failed: ${(error as Error).message.split('\n')[0]}` };
  }
  const match = /^k6 (v\d+\.\d+\.\d+\S*) \(/.exec(banner);
  if (!match) return { reason: `\`k6 version\` printed ${JSON.stringify(banner)}, not Grafana k6's banner` };
  // Go build info of the main module: "mod\tgo.k6.io/k6\tvX.Y.Z".
  const bytes = readFileSync(path);
  const at = bytes.indexOf(BUILD_INFO_MODULE);
  if (at < 0) return { reason: 'the binary carries no Go build info for go.k6.io/k6' };
  return { path, version: match[1], banner };
}

export function probeK6(candidates: string[] = k6Candidates()): K6Probe {
  const rejected: K6Probe['rejected'] = [];
  for (const path of candidates) {
    try {
      accessSync(path);
    } catch {
      continue; // absent: not worth a line in the report
    }
    const result = verifyK6(path);
    if ('path' in result) return { found: result, rejected };
    rejected.push({ path, reason: result.reason });
  }
  return { found: null, rejected };
}

export interface ToolChoice {
  tool: ToolName;
  k6: K6Binary | null;
  reason: string;
}

export class ToolUnavailableError extends Error {
  override name = 'ToolUnavailableError';
}

/** Pure choice: the requested tool, else k6 when a genuine one was found, else autocannon. */
export function selectTool(requested: ToolName | undefined, probe: K6Probe): ToolChoice {
  const refusals = probe.rejected.map((r) => `${r.path}: ${r.reason}`).join('; ');
  if (requested === 'autocannon') return { tool: 'autocannon', k6: null, reason: 'requested with --tool autocannon' };
  if (probe.found) {
    return { tool: 'k6', k6: probe.found, reason: `${requested === 'k6' ? 'requested; ' : ''}genuine k6 found at ${probe.found.path} (${probe.found.banner})` };
  }
  if (requested === 'k6') {
    throw new ToolUnavailableError(
      `--tool k6 was requested but no genuine k6 binary is installed (run scripts/load/install-k6.sh)${refusals ? `; refused: ${refusals}` : ''}`,
    );
  }
  return {
    tool: 'autocannon',
    k6: null,
    reason: `no genuine k6 binary installed (run scripts/load/install-k6.sh)${refusals ? `; refused: ${refusals}` : ''}; autocannon drives the same scenario`,
  };
}
