/**
 * The report every run produces, whichever tool drove the load: computation from raw samples,
 * threshold checks and a vegeta-style text rendering. Pure functions, no I/O.
 */
import type { LoadMode, RunPlan, Thresholds } from './scenario.js';

export type ToolName = 'k6' | 'autocannon';

export interface LatencySummary {
  /** All in milliseconds. */
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface CpuUsage {
  pid: number;
  source: string;
  /** utime + stime clock ticks the server process spent during the run. */
  ticks: number;
  clockTicksPerSecond: number;
  seconds: number;
  /** Server CPU microseconds per request sent (null when no request was sent). */
  perRequestUs: number | null;
  /** One tick as a share of the measured total: the figure's resolution. */
  resolution: number | null;
  /** The same from the threads' schedstat nanoseconds (finer; threads that ended are missed). */
  schedstatPerRequestUs: number | null;
}

export interface ThresholdResult {
  name: string;
  limit: string;
  actual: string;
  ok: boolean;
}

/** What a driver measured; the runner adds the rest. */
export interface Measurement {
  tool: ToolName;
  toolVersion: string;
  requests: number;
  /** Requests answered with an expected status. */
  successes: number;
  /** Seconds from the first request sent to the last response (or the run's end). */
  elapsedSeconds: number;
  /** Seconds during which requests were being sent. */
  attackSeconds: number;
  latencyMs: LatencySummary;
  bytesIn: number;
  bytesOut: number;
  statusCodes: Record<string, number>;
  /** Errors without an HTTP status (connection refused, timeout, ...), by message. */
  errors: Record<string, number>;
  /** Arrivals the tool could not start (k6 dropped_iterations); 0 for closed-loop runs. */
  dropped: number;
  /** Verdicts the tool itself gave on the thresholds (k6 only). */
  toolThresholds?: ThresholdResult[];
  notes: string[];
}

export interface Report extends Measurement {
  scenario: string;
  method: string;
  url: string;
  path: string;
  targetPath: string;
  standInReason?: string;
  mode: LoadMode;
  /** Offered rate in req/s (rate mode) or null (max mode). */
  offeredRate: number | null;
  concurrency: number;
  durationSeconds: number;
  /** Requests sent per second of attack. */
  rate: number;
  /** Successful requests per second of elapsed time (vegeta's definition). */
  throughput: number;
  successRatio: number;
  cpu: CpuUsage | null;
  thresholds: ThresholdResult[];
  passed: boolean;
  startedAt: string;
  finishedAt: string;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sorted[0];
  if (p >= 100) return sorted[n - 1];
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1];
}

export function summarizeLatencies(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const n = sorted.length;
  if (n === 0) {
    return { min: Number.NaN, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    min: sorted[0],
    mean: sum / n,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[n - 1],
  };
}

/** Count status codes; 0 stands for "no HTTP response". Keys are the codes as strings. */
export function countStatuses(codes: Iterable<number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[String(code)] = (counts[String(code)] ?? 0) + 1;
  return counts;
}

export function successesFrom(statusCodes: Record<string, number>, expected: number[]): number {
  let ok = 0;
  for (const code of expected) ok += statusCodes[String(code)] ?? 0;
  return ok;
}

function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(3)}ms` : 'n/a';
}

/** Check the scenario's thresholds against a report's figures. */
export function evaluateThresholds(
  m: Pick<Report, 'requests' | 'successRatio' | 'latencyMs' | 'rate' | 'mode' | 'offeredRate' | 'dropped'>,
  t: Thresholds,
): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  const failureRatio = m.requests === 0 ? 1 : 1 - m.successRatio;
  results.push({
    name: 'requests sent',
    limit: '> 0',
    actual: String(m.requests),
    ok: m.requests > 0,
  });
  results.push({
    name: 'failure ratio',
    limit: `<= ${t.maxFailureRatio}`,
    actual: failureRatio.toFixed(4),
    ok: failureRatio <= t.maxFailureRatio + 1e-12,
  });
  for (const [key, label] of [['p50Ms', 'p50'], ['p95Ms', 'p95'], ['p99Ms', 'p99']] as const) {
    const limit = t[key];
    if (limit === undefined) continue;
    const actual = m.latencyMs[label];
    results.push({ name: `latency ${label}`, limit: `<= ${limit}ms`, actual: ms(actual), ok: Number.isFinite(actual) && actual <= limit });
  }
  if (m.mode === 'rate' && m.offeredRate !== null) {
    const min = t.minRateRatio ?? 0.95;
    const ratio = m.rate / m.offeredRate;
    results.push({
      name: 'achieved/offered rate',
      limit: `>= ${min}`,
      actual: `${ratio.toFixed(3)} (${m.dropped} dropped)`,
      ok: ratio >= min,
    });
  }
  return results;
}

/** Put a driver's measurement, the plan and the CPU figure together and judge it. */
export function buildReport(
  plan: RunPlan,
  m: Measurement,
  cpu: CpuUsage | null,
  startedAt: Date,
  finishedAt: Date,
): Report {
  const rate = m.attackSeconds > 0 ? m.requests / m.attackSeconds : 0;
  const throughput = m.elapsedSeconds > 0 ? m.successes / m.elapsedSeconds : 0;
  const successRatio = m.requests === 0 ? 0 : m.successes / m.requests;
  const base = {
    ...m,
    scenario: plan.scenario,
    method: plan.method,
    url: plan.url,
    path: plan.path,
    targetPath: plan.targetPath,
    standInReason: plan.standInReason,
    mode: plan.mode,
    offeredRate: plan.mode === 'rate' ? plan.rate : null,
    concurrency: plan.concurrency,
    durationSeconds: plan.duration,
    rate,
    throughput,
    successRatio,
    cpu,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  };
  const thresholds = plan.mode === 'rate' ? evaluateThresholds(base, plan.thresholds) : evaluateThresholds(base, { maxFailureRatio: plan.thresholds.maxFailureRatio });
  const passed = thresholds.every((r) => r.ok) && (m.toolThresholds ?? []).every((r) => r.ok);
  return { ...base, thresholds, passed };
}

/** A duration in ms rendered as Go/vegeta does: µs below 1 ms, ms below 1 s, else s. */
export function formatDuration(msValue: number): string {
  if (!Number.isFinite(msValue)) return 'n/a';
  if (msValue < 1) return `${(msValue * 1000).toFixed(1)}µs`;
  if (msValue < 1000) return `${msValue.toFixed(3)}ms`;
  return `${(msValue / 1000).toFixed(3)}s`;
}

function row(label: string, fields: string, values: string): string {
  return `${label.padEnd(14)}${fields.padEnd(36)}${values}`;
}

/** vegeta-style text report. */
export function formatReport(r: Report): string {
  const l = r.latencyMs;
  const lines = [
    `Scenario      ${r.scenario}: ${r.method} ${r.url}` + (r.standInReason ? `  (stand-in for ${r.targetPath})` : ''),
    row('Tool', '[name, version, mode]', `${r.tool}, ${r.toolVersion}, ${r.mode === 'rate' ? `constant rate ${r.offeredRate}/s` : `closed loop, ${r.concurrency} connections`}`),
    row('Requests', '[total, rate, throughput]', `${r.requests}, ${r.rate.toFixed(2)}, ${r.throughput.toFixed(2)}`),
    row('Duration', '[total, attack]', `${r.elapsedSeconds.toFixed(3)}s, ${r.attackSeconds.toFixed(3)}s`),
    row('Latencies', '[min, mean, 50, 90, 95, 99, max]', [l.min, l.mean, l.p50, l.p90, l.p95, l.p99, l.max].map(formatDuration).join(', ')),
    row('Bytes In', '[total, mean]', `${r.bytesIn}, ${(r.requests ? r.bytesIn / r.requests : 0).toFixed(2)}`),
    row('Bytes Out', '[total, mean]', `${r.bytesOut}, ${(r.requests ? r.bytesOut / r.requests : 0).toFixed(2)}`),
    row('Success', '[ratio]', `${(r.successRatio * 100).toFixed(2)}%`),
    row(
      'Status Codes',
      '[code:count]',
      Object.entries(r.statusCodes)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([code, count]) => `${code}:${count}`)
        .join('  ') || '-',
    ),
    row(
      'Server CPU',
      '[pid, total, per request]',
      r.cpu
        ? `${r.cpu.pid}, ${r.cpu.seconds.toFixed(3)}s (${r.cpu.ticks} ticks), ${r.cpu.perRequestUs === null ? 'n/a' : `${r.cpu.perRequestUs.toFixed(1)}µs`}` +
            (r.cpu.resolution !== null ? ` (±${(r.cpu.resolution * 100).toFixed(1)}%)` : '') +
            (r.cpu.schedstatPerRequestUs !== null ? `; schedstat ${r.cpu.schedstatPerRequestUs.toFixed(1)}µs` : '')
        : 'not measured (no server pid)',
    ),
  ];
  if (r.dropped > 0) lines.push(row('Dropped', '[arrivals]', String(r.dropped)));
  lines.push('Error Set:');
  for (const [message, count] of Object.entries(r.errors)) lines.push(`${message} (x${count})`);
  lines.push('Thresholds:');
  for (const t of [...r.thresholds, ...(r.toolThresholds ?? [])]) {
    lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.name} ${t.limit} (actual ${t.actual})`);
  }
  for (const note of r.notes) lines.push(`Note: ${note}`);
  lines.push(`Result: ${r.passed ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}
