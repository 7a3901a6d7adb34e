/**
 * npm run bench:http [-- --tool k6|autocannon] [--max-tool autocannon|k6] [--rounds 3] [--max-seconds 6]
 *                       [--rate-seconds 10] [--rate 500] [--concurrency 16] [--against bare|metrics-off] [--enforce-targets] [--no-svg]
 *
 * In one run: the Lattice controller (trivial route through the full actor path) against a bare
 * uWebSockets.js server sending the very same bytes, each in its own process on loopback.
 *   1. closed-loop maximum throughput and server CPU per request (bounded duration);
 *   2. latency percentiles and CPU per request at a fixed rate (500 req/s).
 * The fixed-rate phase uses k6 when a genuine binary is installed (open-model arrivals), else
 * autocannon (--tool). The closed-loop phase uses autocannon by default (--max-tool): on 2 cores the
 * generator shares the CPU with the server, and autocannon costs several times less per request
 * than k6, so it gets both servers nearer their real maximum.
 * Runs alternate between the servers (bare first in odd rounds, Lattice first in even ones) so
 * a noisy neighbour on the shared cores hurts both alike; latency percentiles are the median over
 * the rounds, CPU per request is pooled (all ticks over all requests). Prints the table with ratios and writes
 * JSON to load-tests/results/bench-http-<timestamp>.json and, beside it, an SVG plot of the latency
 * percentiles (median over the rounds; --no-svg to skip).
 * Exit 1 on any failed request or error; a run's latency or achieved-rate threshold crossed is
 * printed, not fatal; targets missed exit 0 (3 with --enforce-targets).
 * Until src/main.ts exists (or with --against bare), a second bare server stands in for Lattice.
 * With --against metrics-off the baseline is a second controller with the request latency histogram
 * off and /metrics not served (LATTICE_METRICS_HTTP_LATENCY=false, LATTICE_METRICS=false): the table then
 * shows what metrics cost a request (the request counter itself always counts, for core/status); per-round
 * medians and spreads (min..max) follow it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultResponses, type FixedResponse } from './lib/bare-responses.js';
import { compare, formatComparison, pool } from './lib/compare.js';
import type { Report, ToolName } from './lib/report.js';
import { startProgress } from './lib/progress.js';
import { latencyPlotSvg, roundSeries } from './lib/svg-plot.js';
import { runPlan, writeResult } from './lib/run.js';
import { findScenario, loadScenarios, resolvePlan, type LoadMode } from './lib/scenario.js';
import { controllerExists, startBareServer, startController, type ServerProcess } from './lib/servers.js';
import { probeK6, selectTool } from './lib/tool-select.js';

const SCENARIO = 'trivial-get';

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

/** Fetch the controller's answer on the path once, to serve the same bytes from the bare server. */
async function capture(url: string, method: string, path: string): Promise<FixedResponse> {
  const res = await fetch(url, { method, signal: AbortSignal.timeout(5000) });
  const body = await res.text();
  return { method, path, status: res.status, contentType: res.headers.get('content-type') ?? 'application/json', body };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tool: { type: 'string' },
      'max-tool': { type: 'string', default: 'autocannon' },
      rounds: { type: 'string', default: '3' },
      'max-seconds': { type: 'string', default: '6' },
      'rate-seconds': { type: 'string', default: '10' },
      rate: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '16' },
      against: { type: 'string', default: 'lattice' },
      'enforce-targets': { type: 'boolean', default: false },
      'no-svg': { type: 'boolean', default: false },
    },
  });
  const rounds = positive(values.rounds, 'rounds');
  const maxSeconds = positive(values['max-seconds'], 'max-seconds');
  const rateSeconds = positive(values['rate-seconds'], 'rate-seconds');
  const rate = positive(values.rate, 'rate');
  const concurrency = positive(values.concurrency, 'concurrency');
  if (rounds > 5 || maxSeconds > 30 || rateSeconds > 30) throw new Error('bounded run: --rounds <= 5, --max-seconds and --rate-seconds <= 30');
  if (values.tool !== undefined && values.tool !== 'k6' && values.tool !== 'autocannon') throw new Error('--tool must be k6 or autocannon');
  if (values['max-tool'] !== 'k6' && values['max-tool'] !== 'autocannon') throw new Error('--max-tool must be k6 or autocannon');
  if (!['lattice', 'bare', 'metrics-off'].includes(values.against)) throw new Error('--against must be lattice, bare or metrics-off');
  const metricsAb = values.against === 'metrics-off';

  const probe = probeK6();
  const tools = { rate: selectTool(values.tool as ToolName | undefined, probe), max: selectTool(values['max-tool'] as ToolName, probe) };
  const scenarios = loadScenarios();
  const scenario = findScenario(scenarios, SCENARIO);
  const standIn = values.against === 'bare' || !controllerExists();
  if (standIn) {
    console.log(
      values.against === 'bare'
        ? 'bench:http: --against bare: a second bare server stands in for Lattice'
        : 'bench:http: src/main.ts does not exist yet: a second bare server stands in for Lattice (bare vs bare)',
    );
  }

  const dir = mkdtempSync(join(tmpdir(), 'lattice-bench-'));
  let lattice: ServerProcess | null = null;
  let bare: ServerProcess | null = null;
  try {
    lattice = standIn ? await startBareServer() : await startController();
    const path = resolvePlan(scenario, { target: lattice.url }).path;
    const captured = await capture(`${lattice.url}${path}`, scenario.method, path);
    if (!scenario.expectedStatus.includes(captured.status)) {
      throw new Error(`${scenario.method} ${path} answered ${captured.status} on ${lattice.kind}; expected ${scenario.expectedStatus.join('/')}`);
    }
    const responsesFile = join(dir, 'responses.json');
    const responses = [captured, ...defaultResponses(scenarios).filter((r) => r.path !== path)];
    writeFileSync(responsesFile, JSON.stringify({ responses }));
    bare = metricsAb
      ? await startController({ env: { LATTICE_METRICS_HTTP_LATENCY: 'false', LATTICE_METRICS: 'false' } })
      : await startBareServer({ responsesFile, readyPath: path });
    const servers = { bare, lattice };
    const labels = metricsAb
      ? { bare: 'metrics off', lattice: 'metrics on' }
      : { bare: 'bare uWS', lattice: standIn ? 'stand-in(bare)' : 'lattice' };
    console.log(`bench:http: fixed-rate phase: ${tools.rate.tool} (${tools.rate.reason}); closed-loop phase: ${tools.max.tool}`);
    console.log(`bench:http: ${scenario.method} ${path}, ${Buffer.byteLength(captured.body)}-byte body from both servers`);
    console.log(`bench:http: bare pid ${bare.pid} ${bare.url}; ${labels.lattice} pid ${lattice.pid} ${lattice.url}`);

    const runs: { phase: LoadMode; round: number; server: 'bare' | 'lattice'; report: Report }[] = [];
    const progress = startProgress('bench:http', { total: 2 * 2 * rounds });
    for (const phase of ['max', 'rate'] as const) {
      for (let round = 1; round <= rounds; round++) {
        const order = round % 2 === 1 ? (['bare', 'lattice'] as const) : (['lattice', 'bare'] as const);
        for (const which of order) {
          const server = servers[which];
          const plan = resolvePlan(scenario, {
            target: server.url,
            mode: phase,
            rate,
            duration: phase === 'max' ? maxSeconds : rateSeconds,
            ...(phase === 'max' ? { concurrency } : {}),
          });
          progress.step(`${phase} round ${round} ${labels[which]}`, runs.length);
          const report = await runPlan(plan, { tool: tools[phase], pid: server.pid, warmupRequests: 200 });
          runs.push({ phase, round, server: which, report });
          console.log(
            `  ${phase === 'max' ? 'max  ' : `${rate}/s`} round ${round} ${labels[which].padEnd(15)} ${report.requests} req, ` +
              `${report.throughput.toFixed(0)} req/s ok, p50 ${report.latencyMs.p50.toFixed(3)}ms p99 ${report.latencyMs.p99.toFixed(3)}ms, ` +
              `CPU ${report.cpu?.perRequestUs?.toFixed(1) ?? 'n/a'}µs/req, success ${(report.successRatio * 100).toFixed(2)}%${report.passed ? '' : ' FAIL'}`,
          );
        }
      }
    }
    progress.stop();
    const pick = (phase: LoadMode, which: 'bare' | 'lattice'): Report[] => runs.filter((r) => r.phase === phase && r.server === which).map((r) => r.report);
    const comparison = compare(
      { bare: pool(pick('max', 'bare')), lattice: pool(pick('max', 'lattice')) },
      { bare: pool(pick('rate', 'bare')), lattice: pool(pick('rate', 'lattice')) },
      rate,
    );
    console.log('');
    const version = (phase: LoadMode): string => {
      const report = runs.find((r) => r.phase === phase)!.report;
      return `${report.tool} ${report.toolVersion}`;
    };
    console.log(
      `bench:http — ${scenario.method} ${path}; ${rounds} round(s) per server: ${maxSeconds}s closed loop (${concurrency} connections, ${version('max')}), ` +
        `${rateSeconds}s at ${rate}/s (${version('rate')})`,
    );
    console.log(formatComparison(comparison, labels));
    const spreads = spreadTable(runs, labels);
    console.log(spreads.text);
    // A failed or missing answer fails the bench; a latency or achieved-rate threshold crossed is
    // reported (the shared cores make single runs noisy) but the figures above already show it.
    const broken = (r: Report): string[] => [...r.thresholds, ...(r.toolThresholds ?? [])].filter((t) => !t.ok).map((t) => `${t.name} ${t.limit} (actual ${t.actual})`);
    const isFailure = (r: Report): boolean => r.successes < r.requests || r.requests === 0;
    const failures = runs.filter((r) => isFailure(r.report));
    for (const f of runs.filter((r) => !r.report.passed)) {
      console.log(`${isFailure(f.report) ? 'FAILED RUN' : 'THRESHOLD CROSSED'}: ${f.phase} round ${f.round} ${labels[f.server]}: ${broken(f.report).join('; ')}`);
    }
    if (standIn) console.log('NOTE: Lattice was not measured: both columns are bare uWebSockets.js servers.');
    const file = writeResult('bench-http', {
      standIn,
      tools: { rate: { name: tools.rate.tool, reason: tools.rate.reason }, max: { name: tools.max.tool, reason: tools.max.reason } },
      settings: { rounds, maxSeconds, rateSeconds, rate, concurrency },
      path,
      bodyBytes: Buffer.byteLength(captured.body),
      comparison,
      spreads: spreads.rows,
      runs,
    });
    console.log(`JSON: ${file}`);
    if (!values['no-svg']) {
      const svg = file.replace(/\.json$/, '.svg');
      writeFileSync(svg, latencyPlotSvg(`bench:http ${scenario.method} ${path}: median over ${rounds} round(s)`, roundSeries(runs, labels)));
      console.log(`SVG: ${svg}`);
    }
    if (failures.length > 0) return 1;
    if (!comparison.targetsMet) {
      console.log('bench:http: TARGET MISSED (see the table)');
      return values['enforce-targets'] ? 3 : 0;
    }
    return 0;
  } finally {
    await bare?.stop();
    await lattice?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per server and phase: the median and the spread (min..max) over the rounds of throughput, p50 and p99. */
function spreadTable(
  runs: { phase: LoadMode; server: 'bare' | 'lattice'; report: Report }[],
  labels: Record<'bare' | 'lattice', string>,
): { text: string; rows: Record<string, unknown>[] } {
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    return { median: mid, min: s[0]!, max: s[s.length - 1]! };
  };
  const rows: Record<string, unknown>[] = [];
  const lines = ['per-round median [min..max]:'];
  for (const phase of ['max', 'rate'] as const) {
    for (const server of ['bare', 'lattice'] as const) {
      const rs = runs.filter((r) => r.phase === phase && r.server === server).map((r) => r.report);
      if (rs.length === 0) continue;
      const row = {
        phase,
        server: labels[server],
        rounds: rs.length,
        throughput: stat(rs.map((r) => r.throughput)),
        p50Ms: stat(rs.map((r) => r.latencyMs.p50)),
        p99Ms: stat(rs.map((r) => r.latencyMs.p99)),
      };
      rows.push(row);
      const f = (s: { median: number; min: number; max: number }, d: number) => `${s.median.toFixed(d)} [${s.min.toFixed(d)}..${s.max.toFixed(d)}]`;
      lines.push(`  ${phase.padEnd(4)} ${labels[server].padEnd(15)} ${f(row.throughput, 0)} req/s, p50 ${f(row.p50Ms, 3)} ms, p99 ${f(row.p99Ms, 3)} ms`);
    }
  }
  return { text: lines.join('\n'), rows };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:http: ${(error as Error).message}`);
    process.exit(1);
  },
);
