/**
 * Drive a run plan with Grafana k6 (load-tests/k6/scenario.js) and turn k6's JSON summary into
 * a Measurement. k6's usage report to Grafana is switched off: no traffic leaves the machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LatencySummary, Measurement, ThresholdResult } from './report.js';
import type { RunPlan } from './scenario.js';
import type { K6Binary } from './tool-select.js';

export const K6_SCRIPT = fileURLToPath(new URL('../k6/scenario.js', import.meta.url));

interface K6Metric {
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface K6Summary {
  state?: { testRunDurationMs?: number };
  metrics: Record<string, K6Metric>;
}

const K6_ERRORS: Record<string, string> = { '1000': 'generic error', '1050': 'request timeout', '1212': 'connection refused' };
const K6_ERROR_RANGES = ['general', 'DNS', 'TCP', 'TLS', 'HTTP 4xx', 'HTTP 5xx', 'HTTP/2'];

/** k6's error code with its meaning (grafana.com/docs/k6/latest/javascript-api/error-codes). */
export function k6ErrorName(code: string): string {
  const known = K6_ERRORS[code];
  if (known) return `k6 error ${code} (${known})`;
  const range = K6_ERROR_RANGES[Math.floor((Number(code) - 1000) / 100)];
  return range ? `k6 error ${code} (${range} error)` : `k6 error ${code}`;
}

/** Convert k6's summary (handleSummary's data) into our measurement. Pure. */
export function measurementFromK6Summary(summary: K6Summary, plan: RunPlan, k6: Pick<K6Binary, 'version'>): Measurement {
  const m = summary.metrics;
  const value = (metric: string, key: string): number => m[metric]?.values[key] ?? 0;
  const requests = value('http_reqs', 'count');
  // A k6 Rate counts non-zero samples as "passes": here, failed requests.
  const failed = value('http_req_failed', 'passes');
  const d = m.http_req_duration?.values;
  const latencyMs: LatencySummary = d
    ? { min: d.min, mean: d.avg, p50: d.med, p90: d['p(90)'], p95: d['p(95)'], p99: d['p(99)'], max: d.max }
    : { min: NaN, mean: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, max: NaN };
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const [name, metric] of Object.entries(m)) {
    const count = metric.values.count ?? 0;
    if (count === 0) continue;
    const status = /^lattice_status_(\d+|other)$/.exec(name);
    if (status) statusCodes[status[1]] = count;
    const error = /^lattice_error_(\d+|other)$/.exec(name);
    if (error) errors[k6ErrorName(error[1])] = count;
  }
  const toolThresholds: ThresholdResult[] = [];
  for (const [name, metric] of Object.entries(m)) {
    for (const [expr, verdict] of Object.entries(metric.thresholds ?? {})) {
      toolThresholds.push({ name: `k6 ${name}`, limit: expr, actual: verdict.ok ? 'within' : 'crossed', ok: verdict.ok });
    }
  }
  const elapsedMs = summary.state?.testRunDurationMs ?? plan.duration * 1000;
  return {
    tool: 'k6',
    toolVersion: k6.version,
    requests,
    successes: requests - failed,
    elapsedSeconds: elapsedMs / 1000,
    attackSeconds: Math.min(plan.duration, elapsedMs / 1000),
    latencyMs,
    bytesIn: value('data_received', 'count'),
    bytesOut: value('data_sent', 'count'),
    statusCodes,
    errors,
    dropped: value('dropped_iterations', 'count'),
    toolThresholds,
    notes: [
      plan.mode === 'rate'
        ? `k6 constant-arrival-rate executor, ${plan.rate} req/s, up to ${Math.max(plan.concurrency * 4, 50)} VUs`
        : `k6 constant-vus executor, ${plan.concurrency} VUs`,
      'latency is k6 http_req_duration (sending + waiting + receiving); bytes are on the wire, headers included',
    ],
  };
}

/** Run k6 on the plan; resolves with its measurement. k6's exit code 99 (thresholds crossed) is not an error here. */
export async function runK6(plan: RunPlan, k6: K6Binary): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'lattice-k6-'));
  const planFile = join(dir, 'plan.json');
  const summaryFile = join(dir, 'summary.json');
  writeFileSync(planFile, JSON.stringify(plan));
  try {
    const args = [
      'run', '--quiet', '--no-color', '--no-usage-report', '--log-output=stderr',
      '-e', `LATTICE_PLAN_FILE=${planFile}`,
      '-e', `LATTICE_SUMMARY_FILE=${summaryFile}`,
      K6_SCRIPT,
    ];
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(k6.path, args, {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, K6_NO_USAGE_REPORT: 'true', K6_WEB_DASHBOARD: 'false' },
      });
      let tail = '';
      child.stderr.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-4000);
      });
      // Bounded: the run, its graceful stop and k6's start-up, then it is killed.
      const limit = setTimeout(() => child.kill('SIGKILL'), (plan.duration + 60) * 1000);
      child.on('error', (error) => {
        clearTimeout(limit);
        reject(error);
      });
      child.on('close', (exitCode) => {
        clearTimeout(limit);
        resolve({ code: exitCode, stderr: tail });
      });
    });
    if (code !== 0 && code !== 99) {
      throw new Error(`k6 exited with code ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    }
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Summary;
    return measurementFromK6Summary(summary, plan, k6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
