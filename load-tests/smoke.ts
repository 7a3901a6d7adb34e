/**
 * npm run load:smoke [-- --server lattice|bare] [--tool k6|autocannon] [--rate n] [--duration s]
 *
 * A short, low-rate run of every scenario whose route exists, against a server this script
 * starts on loopback (the Lattice controller by default). Scenarios marked pending are skipped
 * with their reason; scenarios on switches get Open vSwitch bridges connected to the controller
 * first (skipped without OVS, a failure in CI). Fails (exit 1) on any error, a request that failed or none sent: a smoke
 * judges correctness only. Latency and achieved-rate thresholds are printed, never failed on here
 * (on a shared machine they measure the neighbours; speed is the benches' and `npm run load`'s).
 * Bounded: each scenario runs `--duration` seconds (default 3) at no more than `--rate` req/s
 * (default 50).
 */
import { parseArgs } from 'node:util';
import { formatReport, type Report } from './lib/report.js';
import { startProgress } from './lib/progress.js';
import { runPlan, writeResult } from './lib/run.js';
import { loadScenarios, resolvePlan } from './lib/scenario.js';
import { controllerExists, CONTROLLER_ENTRY, freePort, startBareServer, startController, type ServerProcess } from './lib/servers.js';
import { neededSwitches, startSwitches, switchesAvailable, type ScenarioSwitches } from './lib/switches.js';
import { probeK6, selectTool } from './lib/tool-select.js';
import type { ToolName } from './lib/report.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: 'lattice' },
      tool: { type: 'string' },
      rate: { type: 'string', default: '50' },
      duration: { type: 'string', default: '3' },
    },
  });
  const maxRate = Number(values.rate);
  const duration = Number(values.duration);
  if (!(maxRate > 0) || !(duration > 0) || duration > 30) throw new Error('--rate must be > 0 and --duration in (0, 30] seconds');
  if (values.server !== 'lattice' && values.server !== 'bare') throw new Error(`--server must be lattice or bare, got ${values.server}`);
  if (values.tool !== undefined && values.tool !== 'k6' && values.tool !== 'autocannon') throw new Error(`--tool must be k6 or autocannon`);

  if (values.server === 'lattice' && !controllerExists()) {
    const message = `load smoke: the controller (${CONTROLLER_ENTRY}) does not exist yet`;
    if (process.env.CI === 'true') {
      console.error(`${message}; failing because CI=true`);
      return 1;
    }
    console.log(`${message}; skipped (run with --server bare to smoke the harness itself)`);
    return 0;
  }

  const tool = selectTool(values.tool as ToolName | undefined, probeK6());
  console.log(`load smoke: tool ${tool.tool} (${tool.reason})`);
  const scenarios = loadScenarios();
  // Scenarios on switches get Open vSwitch bridges connected to the controller (the bare server needs none).
  const dpids = values.server === 'lattice' ? neededSwitches(scenarios.filter((s) => !s.pending)) : [];
  const withSwitches = dpids.length > 0 && (await switchesAvailable());
  const openflowPort = await freePort();
  const server: ServerProcess = values.server === 'bare' ? await startBareServer() : await startController({ env: { LATTICE_OPENFLOW_PORT: String(openflowPort) } });
  let switches: ScenarioSwitches | undefined;
  console.log(`load smoke: ${server.kind === 'bare' ? 'bare uWebSockets.js server' : 'Lattice controller'} pid ${server.pid} at ${server.url}`);
  const reports: Report[] = [];
  const skipped: { scenario: string; reason: string }[] = [];
  const errors: { scenario: string; error: string }[] = [];
  const progress = startProgress('load:smoke', { total: scenarios.length });
  try {
    for (const [index, scenario] of scenarios.entries()) {
      progress.step(scenario.name, index);
      const plan = resolvePlan(scenario, { target: server.url, rate: Math.min(scenario.rate, maxRate), duration });
      if (scenario.switches && server.kind === 'lattice' && !withSwitches) {
        skipped.push({ scenario: scenario.name, reason: 'needs Open vSwitch, not installed here' });
        console.log(`\nSKIP ${scenario.name}: needs Open vSwitch bridges, and Open vSwitch is not installed (npm run setup)`);
        continue;
      }
      if (scenario.switches && server.kind === 'lattice' && !scenario.pending && !switches) {
        switches = await startSwitches(dpids, openflowPort, server.url);
        console.log(`load smoke: Open vSwitch bridges ${dpids.join(', ')} connected`);
      }
      if (scenario.pending) {
        skipped.push({ scenario: scenario.name, reason: scenario.pending });
        console.log(`\nSKIP ${scenario.name}: route pending (${scenario.pending})`);
        // The bare server answers every scenario's path by construction: probing it tells nothing.
        const probe = server.kind === 'bare' ? null : await fetch(plan.url, { method: plan.method, headers: plan.headers, body: plan.body, signal: AbortSignal.timeout(5000) }).catch(() => null);
        if (probe) {
          await probe.arrayBuffer();
          if (probe.status !== 404) console.log(`  note: ${plan.method} ${plan.path} answers ${probe.status} now; if the route exists, remove "pending" from scenarios.json`);
        }
        continue;
      }
      console.log(`\n== ${scenario.name} (${plan.rate} req/s for ${plan.duration}s)`);
      try {
        const report = await runPlan(plan, { tool, pid: server.pid, warmupRequests: 20 });
        reports.push(report);
        console.log(formatReport(report));
      } catch (error) {
        errors.push({ scenario: scenario.name, error: (error as Error).message });
        console.log(`ERROR ${scenario.name}: ${(error as Error).message}`);
      }
    }
  } finally {
    progress.stop();
    await server.stop();
    await switches?.stop();
  }
  const failed = reports.filter((r) => !smokePassed(r)).length + errors.length;
  const passed = reports.filter(smokePassed).length;
  for (const r of reports) {
    const speed = [...r.thresholds, ...(r.toolThresholds ?? [])].filter((t) => !t.ok && !CORRECTNESS.test(t.name));
    if (smokePassed(r) && speed.length > 0) console.log(`note: ${r.scenario}: speed thresholds crossed, not judged by the smoke: ${speed.map((t) => `${t.name} ${t.limit} (actual ${t.actual})`).join('; ')}`);
  }
  const file = writeResult('smoke', { server: server.kind, tool: tool.tool, reports, skipped, errors });
  console.log(`\nJSON: ${file}`);
  console.log(`load smoke: ${passed} scenarios passed, ${failed} failed, ${skipped.length} skipped as pending`);
  if (passed === 0 && failed === 0) {
    console.log('load smoke: no scenario ran');
    return 1;
  }
  return failed === 0 ? 0 : 1;
}

/** The thresholds a smoke judges: requests were sent and answered as expected (k6: failed-request rate and checks). */
const CORRECTNESS = /^(requests sent|failure ratio|k6 (http_req_failed|checks)\b)/;

function smokePassed(r: Report): boolean {
  return [...r.thresholds, ...(r.toolThresholds ?? [])].every((t) => t.ok || !CORRECTNESS.test(t.name));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`load smoke: ${(error as Error).message}`);
    process.exit(1);
  },
);
