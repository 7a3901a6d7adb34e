/**
 * One measured run: warm the target up, sample the server's CPU, let the chosen tool drive the
 * plan, sample again, build and judge the report, and (optionally) write it as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAutocannon } from './autocannon-driver.js';
import { runK6 } from './k6-driver.js';
import { cpuUsage, readProcCpu } from './proc-cpu.js';
import { buildReport, type Measurement, type Report } from './report.js';
import type { RunPlan } from './scenario.js';
import { PROJECT_ROOT, type ToolChoice } from './tool-select.js';

export const RESULTS_DIR = join(PROJECT_ROOT, 'load-tests', 'results');

export interface RunOptions {
  tool: ToolChoice;
  /** The server's PID, for CPU per request; null when unknown (an external target without --pid). */
  pid: number | null;
  /** Requests sent one by one before the measured run (JIT, connections, caches). */
  warmupRequests?: number;
}

/** Send `count` requests of the plan one after another; throws when the target cannot be reached. */
export async function warmUp(plan: RunPlan, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    try {
      const res = await fetch(plan.url, {
        method: plan.method,
        headers: plan.headers,
        body: plan.body,
        signal: AbortSignal.timeout(plan.timeoutMs),
      });
      await res.arrayBuffer();
    } catch (error) {
      throw new Error(`cannot reach ${plan.method} ${plan.url}: ${(error as Error).message}`);
    }
  }
}

export async function runPlan(plan: RunPlan, options: RunOptions): Promise<Report> {
  await warmUp(plan, options.warmupRequests ?? 50);
  const startedAt = new Date();
  const before = options.pid === null ? null : readProcCpu(options.pid);
  const measurement: Measurement =
    options.tool.tool === 'k6' && options.tool.k6 ? await runK6(plan, options.tool.k6) : await runAutocannon(plan);
  const after = options.pid === null ? null : readProcCpu(options.pid);
  const finishedAt = new Date();
  const cpu = before && after ? cpuUsage(before, after, measurement.requests) : null;
  measurement.notes.push(`tool choice: ${options.tool.reason}`);
  return buildReport(plan, measurement, cpu, startedAt, finishedAt);
}

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Write JSON under load-tests/results/<name>-<timestamp>.json; returns the path. */
export function writeResult(name: string, data: unknown, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${timestamp()}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
