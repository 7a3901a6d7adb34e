/**
 * bench:http's arithmetic: pool the runs of each server, put them side by side, take the ratios
 * (Lattice over bare) and check the targets. Pure functions.
 */
import { formatDuration, type Report } from './report.js';

export interface PooledRuns {
  runs: number;
  requests: number;
  successes: number;
  /** Successful requests per second, pooled over the runs' elapsed time. */
  throughput: number;
  /** Server CPU µs per request from /proc/<pid>/stat ticks, pooled (null if not measured). */
  cpuPerRequestUs: number | null;
  cpuTicks: number;
  /** The same from schedstat, pooled (null if not measured). */
  schedstatPerRequestUs: number | null;
  /** Latency percentiles in ms: the median over the runs of each run's percentile (robust to one noisy run). */
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number };
}

export function pool(reports: Report[]): PooledRuns {
  const n = reports.length;
  const sum = (f: (r: Report) => number): number => reports.reduce((acc, r) => acc + f(r), 0);
  const median = (f: (r: Report) => number): number => {
    const values = reports.map(f).sort((a, b) => a - b);
    if (values.length === 0) return Number.NaN;
    const mid = values.length >> 1;
    return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  };
  const requests = sum((r) => r.requests);
  const withCpu = reports.filter((r) => r.cpu !== null);
  const cpuSeconds = withCpu.reduce((acc, r) => acc + r.cpu!.seconds, 0);
  const cpuRequests = withCpu.reduce((acc, r) => acc + r.requests, 0);
  const withSched = withCpu.filter((r) => r.cpu!.schedstatPerRequestUs !== null);
  const schedUs = withSched.reduce((acc, r) => acc + r.cpu!.schedstatPerRequestUs! * r.requests, 0);
  const schedRequests = withSched.reduce((acc, r) => acc + r.requests, 0);
  const elapsed = sum((r) => r.elapsedSeconds);
  return {
    runs: n,
    requests,
    successes: sum((r) => r.successes),
    throughput: elapsed > 0 ? sum((r) => r.successes) / elapsed : 0,
    cpuPerRequestUs: withCpu.length && cpuRequests > 0 ? (cpuSeconds * 1e6) / cpuRequests : null,
    cpuTicks: withCpu.reduce((acc, r) => acc + r.cpu!.ticks, 0),
    schedstatPerRequestUs: withSched.length && schedRequests > 0 ? schedUs / schedRequests : null,
    latencyMs: {
      p50: median((r) => r.latencyMs.p50),
      p90: median((r) => r.latencyMs.p90),
      p95: median((r) => r.latencyMs.p95),
      p99: median((r) => r.latencyMs.p99),
      max: median((r) => r.latencyMs.max),
    },
  };
}

export interface ComparisonRow {
  metric: string;
  bare: string;
  lattice: string;
  /** lattice / bare, null when either side is missing. */
  ratio: number | null;
  /** Highest accepted ratio, when the row carries a target. */
  target?: number;
  ok?: boolean;
}

export interface Comparison {
  rows: ComparisonRow[];
  targetsMet: boolean;
}

export const TARGETS = { cpuPerRequestRatio: 1.4, p99Ratio: 1.5 } as const;

function ratio(lattice: number | null, bare: number | null): number | null {
  if (lattice === null || bare === null || !Number.isFinite(lattice) || !Number.isFinite(bare) || bare === 0) return null;
  return lattice / bare;
}

function us(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)}µs`;
}

/** Rows of the bench table; targets: CPU/request at max load and p99 at the fixed rate. */
export function compare(max: { bare: PooledRuns; lattice: PooledRuns }, fixed: { bare: PooledRuns; lattice: PooledRuns }, rate: number): Comparison {
  const rows: ComparisonRow[] = [];
  const add = (metric: string, bare: number | null, lattice: number | null, fmt: (v: number | null) => string, target?: number): void => {
    const r = ratio(lattice, bare);
    rows.push({ metric, bare: fmt(bare), lattice: fmt(lattice), ratio: r, ...(target !== undefined ? { target, ok: r !== null && r <= target } : {}) });
  };
  add('max throughput, closed loop (req/s)', max.bare.throughput, max.lattice.throughput, (v) => (v === null ? 'n/a' : v.toFixed(0)));
  add('server CPU/request at max load', max.bare.cpuPerRequestUs, max.lattice.cpuPerRequestUs, us, TARGETS.cpuPerRequestRatio);
  add('  (schedstat cross-check)', max.bare.schedstatPerRequestUs, max.lattice.schedstatPerRequestUs, us);
  add(`server CPU/request at ${rate}/s`, fixed.bare.cpuPerRequestUs, fixed.lattice.cpuPerRequestUs, us);
  add('  (schedstat cross-check)', fixed.bare.schedstatPerRequestUs, fixed.lattice.schedstatPerRequestUs, us);
  const ms = (v: number | null): string => (v === null ? 'n/a' : formatDuration(v));
  add(`latency p50 at ${rate}/s`, fixed.bare.latencyMs.p50, fixed.lattice.latencyMs.p50, ms);
  add(`latency p90 at ${rate}/s`, fixed.bare.latencyMs.p90, fixed.lattice.latencyMs.p90, ms);
  add(`latency p95 at ${rate}/s`, fixed.bare.latencyMs.p95, fixed.lattice.latencyMs.p95, ms);
  add(`latency p99 at ${rate}/s`, fixed.bare.latencyMs.p99, fixed.lattice.latencyMs.p99, ms, TARGETS.p99Ratio);
  add(`latency max at ${rate}/s`, fixed.bare.latencyMs.max, fixed.lattice.latencyMs.max, ms);
  return { rows, targetsMet: rows.every((r) => r.ok !== false) };
}

export function formatComparison(c: Comparison, labels: { bare: string; lattice: string }): string {
  const header = ['metric'.padEnd(38), labels.bare.padStart(16), labels.lattice.padStart(16), 'ratio'.padStart(8), '  target'];
  const lines = [header.join('')];
  for (const r of c.rows) {
    const target = r.target === undefined ? '' : `  <= ${r.target}x ${r.ok ? 'ok' : 'MISSED'}`;
    lines.push([r.metric.padEnd(38), r.bare.padStart(16), r.lattice.padStart(16), (r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}x`).padStart(8), target].join(''));
  }
  return lines.join('\n');
}
