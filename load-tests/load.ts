/**
 * npm run load -- <scenario> [--target URL] [--pid N] [--server lattice|bare]
 *                            [--duration s] [--rate n] [--max] [--concurrency n]
 *                            [--tool k6|autocannon] [--warmup n] [--no-write] [--auth]
 *
 * Runs one scenario of load-tests/scenarios.json with k6 (when a genuine binary is installed) or
 * autocannon, prints a vegeta-style report and writes it to load-tests/results/. Without --target
 * it starts the server itself (the Lattice controller by default, or --server bare) so it knows
 * the PID for CPU per request. With --auth every request carries a valid token (the started
 * controller protects reads too; against --target the token comes from LATTICE_TOKEN).
 * Exit code 1 on any broken threshold or error, 2 on bad usage.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatReport } from './lib/report.js';
import { startProgress } from './lib/progress.js';
import { latencyPlotSvg, summaryPoints } from './lib/svg-plot.js';
import { runPlan, writeResult } from './lib/run.js';
import { findScenario, loadScenarios, resolvePlan, ScenarioError, type PlanOverrides } from './lib/scenario.js';
import { freePort, startBareServer, startController, type ServerProcess } from './lib/servers.js';
import { startSwitches, switchesAvailable, type ScenarioSwitches } from './lib/switches.js';
import { probeK6, selectTool, ToolUnavailableError } from './lib/tool-select.js';
import { protectedReadsConfig, tokenFor } from './lib/auth.js';
import type { ToolName } from './lib/report.js';

const USAGE = `usage: npm run load -- <scenario> [--target URL] [--pid N] [--server lattice|bare]
       [--duration s] [--rate n] [--max] [--concurrency n] [--tool k6|autocannon] [--warmup n] [--no-write] [--auth]`;

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ScenarioError(`--${name} must be a positive number, got ${value}`);
  return n;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      pid: { type: 'string' },
      server: { type: 'string', default: 'lattice' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      max: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      tool: { type: 'string' },
      warmup: { type: 'string', default: '50' },
      'no-write': { type: 'boolean', default: false },
      auth: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const scenarios = loadScenarios();
  if (values.help || positionals.length !== 1) {
    console.log(`${USAGE}\nscenarios: ${scenarios.map((s) => `${s.name}${s.pending ? ' (pending)' : ''}`).join(', ')}`);
    return values.help ? 0 : 2;
  }
  const scenario = findScenario(scenarios, positionals[0]);
  if (values.tool !== undefined && values.tool !== 'k6' && values.tool !== 'autocannon') {
    throw new ScenarioError(`--tool must be k6 or autocannon, got ${values.tool}`);
  }
  if (values.server !== 'lattice' && values.server !== 'bare') throw new ScenarioError(`--server must be lattice or bare, got ${values.server}`);
  const tool = selectTool(values.tool as ToolName | undefined, probeK6());
  if (scenario.pending) console.warn(`warning: scenario ${scenario.name} is marked pending: ${scenario.pending}`);
  const overrides: PlanOverrides = {
    rate: numberOption(values.rate, 'rate'),
    duration: numberOption(values.duration, 'duration'),
    concurrency: numberOption(values.concurrency, 'concurrency'),
    mode: values.max ? 'max' : 'rate',
  };
  let server: ServerProcess | null = null;
  let switches: ScenarioSwitches | undefined;
  /** The token of the user created on the controller started here (`--auth`). */
  let startedToken: string | undefined;
  try {
    let target = values.target;
    let pid = values.pid === undefined ? null : numberOption(values.pid, 'pid')!;
    if (target === undefined) {
      const openflowPort = await freePort();
      const env: Record<string, string> = { LATTICE_OPENFLOW_PORT: String(openflowPort), ...(values.auth ? { LATTICE_CONFIG: protectedReadsConfig() } : {}) };
      server = values.server === 'bare' ? await startBareServer() : await startController({ env });
      target = server.url;
      pid = server.pid;
      console.log(`started ${server.kind === 'bare' ? 'bare uWebSockets.js server' : 'Lattice controller'} pid ${server.pid} at ${server.url}`);
      if (values.auth) startedToken = await tokenFor(target);
      if (server.kind === 'lattice' && scenario.switches) {
        if (!(await switchesAvailable())) throw new ScenarioError(`scenario ${scenario.name} needs Open vSwitch bridges; Open vSwitch is not installed (npm run setup)`);
        switches = await startSwitches(scenario.switches, openflowPort, target, startedToken ? { Authorization: `Bearer ${startedToken}` } : {});
        console.log(`Open vSwitch bridges ${scenario.switches.join(', ')} connected`);
      }
    } else if (pid === null) {
      console.warn('warning: --target without --pid: server CPU per request is not measured');
    }
    const plan = resolvePlan(scenario, { ...overrides, target });
    if (values.auth) {
      const token = server ? startedToken : process.env.LATTICE_TOKEN;
      if (!token) throw new ScenarioError('--auth with --target needs LATTICE_TOKEN');
      plan.headers = { ...plan.headers, Authorization: `Bearer ${token}` };
      console.log('auth: every request carries a valid token (reads protected)');
    }
    console.log(`running ${plan.scenario} with ${tool.tool}: ${tool.reason}`);
    const progress = startProgress('load', { total: 1 });
    progress.step(`${plan.scenario}, ${plan.duration}s ${plan.mode === 'max' ? 'closed loop' : `at ${plan.rate}/s`}`);
    const report = await runPlan(plan, { tool, pid, warmupRequests: Number(values.warmup) }).finally(() => progress.stop());
    console.log(formatReport(report));
    if (!values['no-write']) {
      const file = writeResult(plan.scenario, { server: server?.kind ?? 'external', report });
      console.log(`JSON: ${file}`);
      const svg = file.replace(/\.json$/, '.svg');
      const title = `${plan.scenario}: ${plan.method} ${plan.path}, ${plan.mode === 'max' ? 'closed loop' : `${plan.rate}/s`} for ${plan.duration}s (${report.tool})`;
      writeFileSync(svg, latencyPlotSvg(title, [{ name: server?.kind ?? 'external', points: summaryPoints(report.latencyMs) }]));
      console.log(`SVG: ${svg}`);
    }
    return report.passed ? 0 : 1;
  } finally {
    await server?.stop();
    await switches?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof ScenarioError || error instanceof ToolUnavailableError;
    console.error(`load: ${(error as Error).message}`);
    if (usage) console.error(USAGE);
    process.exit(usage ? 2 : 1);
  },
);
