/**
 * npm run bench:topology [-- --rounds 1] [--rate-seconds 60] [--max-seconds 6] [--rate 500] [--ports 5] [--tool k6|autocannon] [--auth]
 *
 * With --auth the controller protects reads and every request carries a valid token (the bare
 * server gets the same header), so the comparison includes the token check.
 *
 * The seed's first benchmark on the real route: GET /api/kytos/topology/v3/ from the Lattice
 * controller (of_core + topology) holding three real Open vSwitch bridges (a private userspace
 * instance, dummy datapath) in a ring of patch ports plus host ports, against a bare
 * uWebSockets.js server sending the very same bytes, in the same run, alternating:
 *   1. closed-loop maximum throughput and server CPU per request;
 *   2. latency percentiles and CPU per request at a fixed rate (500 req/s).
 * Links come with of_lldp (not here), so the body holds switches and interfaces only; `--ports`
 * host ports per switch bring it near the seed's 8,601 bytes.
 * Then, in this process: the time to rebuild `v3/` after one port change on a 1,000-switch
 * topology (4 ports each). Prints the table, writes JSON to load-tests/results/.
 */
import { parseArgs } from 'node:util';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, formatComparison, pool } from './lib/compare.js';
import type { Report, ToolName } from './lib/report.js';
import { runPlan, writeResult } from './lib/run.js';
import { findScenario, loadScenarios, resolvePlan } from './lib/scenario.js';
import { freePort, startBareServer, startController, type ServerProcess } from './lib/servers.js';
import { probeK6, selectTool } from './lib/tool-select.js';
import { protectedReadsConfig, tokenFor } from './lib/auth.js';
import { startOvs, type Ovs } from '../test/env/ovs.js';
import { onInterface, onSwitchUp } from '../napps/kytos/topology/logic.js';
import { defaults } from '../napps/kytos/topology/settings.js';
import { emptyState } from '../napps/kytos/topology/state.js';
import { TopologyView } from '../napps/kytos/topology/view.js';
import { interfaceFromPort, interfaceToJson, newSwitch, switchToJson, withInterface, formatDpid } from '../src/sdk/index.js';

const SCENARIO = 'topology-get';

/** Rebuild time of `v3/` after one port change, on `n` switches of `ports` ports. */
function rebuildFigures(n: number, ports: number): { switches: number; bytes: number; fullBuildMs: number; changeMs: number; rebuildMs: number } {
  const env = { now: 0, settings: defaults };
  let state = emptyState();
  const port = (d: string, p: number, live = true) =>
    interfaceFromPort(d, { portNo: p, hwAddr: '02:00:00:00:00:01', name: `p${p}`, config: 0, state: live ? 4 : 1, curr: 1 << 6, currSpeed: 0 });
  for (let i = 1; i <= n; i++) {
    const d = formatDpid(i);
    let sw = newSwitch(d, { connection: `127.0.0.1:${10000 + i}`, ofpVersion: '0x04', active: true, description: { manufacturer: 'Nicira, Inc.', hardware: 'Open vSwitch', software: '3.1.0', serial: 'None', dataPath: `s${i}` } });
    for (let p = 1; p <= ports; p++) sw = withInterface(sw, port(d, p));
    state = onSwitchUp(state, switchToJson(sw), env).state;
  }
  const view = new TopologyView();
  view.update(state);
  let t = performance.now();
  const bytes = view.body('topology').bytes.length;
  const fullBuildMs = performance.now() - t;
  t = performance.now();
  const step = onInterface(state, interfaceToJson(port(formatDpid(500), 2, false)), 'link_down', env)!;
  const changeMs = performance.now() - t;
  view.update(step.state);
  t = performance.now();
  view.body('topology');
  const rebuildMs = performance.now() - t;
  return { switches: n, bytes, fullBuildMs, changeMs, rebuildMs };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tool: { type: 'string' },
      'max-tool': { type: 'string', default: 'autocannon' },
      rounds: { type: 'string', default: '1' },
      'max-seconds': { type: 'string', default: '6' },
      'rate-seconds': { type: 'string', default: '60' },
      rate: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '16' },
      ports: { type: 'string', default: '5' },
      auth: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const maxSeconds = Number(values['max-seconds']);
  const rateSeconds = Number(values['rate-seconds']);
  const rate = Number(values.rate);
  const concurrency = Number(values.concurrency);
  const hostPorts = Number(values.ports);
  if (!(rounds >= 1 && rounds <= 5) || !(maxSeconds > 0 && maxSeconds <= 60) || !(rateSeconds > 0 && rateSeconds <= 60) || !(hostPorts >= 0 && hostPorts <= 50)) {
    throw new Error('bounded run: --rounds 1..5, --max-seconds and --rate-seconds <= 60, --ports 0..50');
  }
  const probe = probeK6();
  const tools = { rate: selectTool(values.tool as ToolName | undefined, probe), max: selectTool(values['max-tool'] as ToolName, probe) };
  const scenario = findScenario(loadScenarios(), SCENARIO);
  const dir = mkdtempSync(join(tmpdir(), 'lattice-bench-topology-'));
  let ovs: Ovs | null = null;
  let lattice: ServerProcess | null = null;
  let bare: ServerProcess | null = null;
  try {
    const ofPort = await freePort();
    lattice = await startController({
      env: { LATTICE_OPENFLOW_PORT: String(ofPort), LATTICE_NAPPS: 'kytos/of_core,kytos/topology', ...(values.auth ? { LATTICE_CONFIG: protectedReadsConfig() } : {}) },
    });
    const authHeaders: Record<string, string> = values.auth ? { Authorization: `Bearer ${await tokenFor(lattice.url)}` } : {};
    ovs = await startOvs();
    const names = ['s1', 's2', 's3'];
    await ovs.addBridges(names.map((name, i) => ({ name, dpid: i + 1, ports: Array.from({ length: hostPorts }, (_, p) => ({ name: `${name}-eth${p + 1}`, ofport: p + 1 })) })));
    await ovs.link('s1', 's2', { aOfport: 21, bOfport: 21 });
    await ovs.link('s2', 's3', { aOfport: 22, bOfport: 22 });
    await ovs.link('s3', 's1', { aOfport: 23, bOfport: 23 });
    await ovs.setControllers(names, ofPort);
    const url = `${lattice.url}${scenario.path}`;
    const want = names.length * (hostPorts + 3);
    let body = '';
    for (let i = 0; i < 300; i++) {
      const res = await fetch(url, { headers: authHeaders });
      body = await res.text();
      const t = JSON.parse(body).topology as { switches: Record<string, { active: boolean; interfaces: object }> };
      const sws = Object.values(t.switches);
      if (sws.length === 3 && sws.every((s) => s.active && Object.keys(s.interfaces).length === want)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const bytes = Buffer.byteLength(body);
    console.log(`bench:topology: ${names.length} OVS switches, ${want} interfaces, no links (of_lldp's): GET v3/ body ${bytes} bytes (seed 8,601: ${(((bytes - 8601) / 8601) * 100).toFixed(1)}%)`);
    const responsesFile = join(dir, 'responses.json');
    writeFileSync(responsesFile, JSON.stringify({ responses: [{ method: 'GET', path: scenario.path, status: 200, contentType: 'application/json', body }] }));
    bare = await startBareServer({ responsesFile, readyPath: scenario.path });
    const servers = { bare, lattice };
    console.log(`bench:topology: fixed-rate phase: ${tools.rate.tool} (${tools.rate.reason}); closed-loop phase: ${tools.max.tool}`);
    const runs: { phase: 'max' | 'rate'; round: number; server: 'bare' | 'lattice'; report: Report }[] = [];
    for (const phase of ['max', 'rate'] as const) {
      for (let round = 1; round <= rounds; round++) {
        for (const which of round % 2 === 1 ? (['bare', 'lattice'] as const) : (['lattice', 'bare'] as const)) {
          const server = servers[which];
          const plan = resolvePlan(scenario, { target: server.url, mode: phase, rate, duration: phase === 'max' ? maxSeconds : rateSeconds, ...(phase === 'max' ? { concurrency } : {}) });
          plan.headers = { ...plan.headers, ...authHeaders };
          const report = await runPlan(plan, { tool: tools[phase], pid: server.pid, warmupRequests: 200 });
          runs.push({ phase, round, server: which, report });
          console.log(
            `  ${phase === 'max' ? 'max  ' : `${rate}/s`} round ${round} ${which.padEnd(8)} ${report.requests} req, ${report.throughput.toFixed(0)} req/s ok, ` +
              `p50 ${report.latencyMs.p50.toFixed(3)}ms p99 ${report.latencyMs.p99.toFixed(3)}ms, CPU ${report.cpu?.perRequestUs?.toFixed(1) ?? 'n/a'}µs/req, ` +
              `success ${(report.successRatio * 100).toFixed(2)}%`,
          );
        }
      }
    }
    const pick = (phase: 'max' | 'rate', which: 'bare' | 'lattice') => runs.filter((r) => r.phase === phase && r.server === which).map((r) => r.report);
    const comparison = compare(
      { bare: pool(pick('max', 'bare')), lattice: pool(pick('max', 'lattice')) },
      { bare: pool(pick('rate', 'bare')), lattice: pool(pick('rate', 'lattice')) },
      rate,
    );
    console.log('');
    console.log(formatComparison(comparison, { bare: 'bare uWS', lattice: 'lattice' }));
    const rebuild = rebuildFigures(1000, 4);
    console.log(
      `\nrebuild: ${rebuild.switches} switches (${(rebuild.bytes / 1e6).toFixed(2)} MB v3/): first build ${rebuild.fullBuildMs.toFixed(1)} ms; ` +
        `one port change: state ${rebuild.changeMs.toFixed(2)} ms + rebuild ${rebuild.rebuildMs.toFixed(1)} ms`,
    );
    const file = writeResult('bench-topology', { bytes, tools: { rate: tools.rate.tool, max: tools.max.tool }, settings: { rounds, maxSeconds, rateSeconds, rate, concurrency, hostPorts }, comparison, rebuild, runs });
    console.log(`JSON: ${file}`);
    return runs.some((r) => r.report.successes < r.report.requests || r.report.requests === 0) ? 1 : 0;
  } finally {
    await bare?.stop();
    await lattice?.stop();
    await ovs?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:topology: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
