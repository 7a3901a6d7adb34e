/**
 * npm run bench:topology [-- --rounds 3] [--rate-seconds 60] [--max-seconds 6] [--rate 500] [--ports 5] [--tool k6|autocannon] [--auth] [--audit-flush-ms N] [--no-audit]
 *                          [--post-rate 200] [--post-rounds 3] [--emulated 1000] [--rest-seconds 10]
 *
 * With --auth the controller protects reads and every request carries a valid token (the bare
 * server gets the same header), so the comparison includes the token check.
 *
 * The seed's first benchmark on the real route: GET /api/kytos/topology/v3/ from the Lattice
 * controller (of_core + topology) holding three real Open vSwitch bridges (a private userspace
 * instance, dummy datapath) in a ring of patch ports plus host ports, against a bare
 * uWebSockets.js server sending the very same bytes, in the same run, alternating:
 *   1. closed-loop maximum throughput and server CPU per request;
 *   2. latency percentiles and CPU per request at a fixed rate (500 req/s),
 * in `--rounds` (3) rounds, pooled: CPU per request over all of them, each percentile the median
 * of the rounds' (one pair of 60 s windows moved with the machine: CPU per GET 1.14x-1.51x over
 * eleven runs).
 * Links are discovered by of_lldp (authenticated LLDP over the patch ports): the seed's topology,
 * 3 switches, 13 interfaces (2 host ports on s1, 1 on s2 and s3; `--ports` sets a count for
 * every switch instead) and 3 links, ~8,600 bytes. Then `POST v1/polling_time {"polling_time": 4}` at
 * `--post-rate` (200/s) against the bare server's same 32-byte answer, in `--post-rounds` (3) alternating
 * rounds of `--rate-seconds` each: a single pair of 60 s windows moved with the machine's load (the
 * ratio between 1.27x and 1.71x over ten runs), so the POST's p99 is the median over the rounds.
 * Then discovery on `--emulated` (1,000) emulated switches in a ring (the emulators reflect each
 * LLDP PACKET_OUT as a PACKET_IN on the peer): time to all links UP, GET v3/ at the rate on it.
 * Then, in this process: the time to rebuild `v3/` after one port change on a 1,000-switch
 * topology (4 ports each). Prints the table, writes JSON to load-tests/results/.
 * Before the load, both servers' CPU at rest (`--rest-seconds`, 10; 0 skips it): what the controller
 * spends on its own work, printed with its share per GET at the fixed rate (the comparison itself
 * counts all of the process's CPU, as it always did).
 */
import { parseArgs } from 'node:util';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, formatComparison, pool } from './lib/compare.js';
import type { Report, ToolName } from './lib/report.js';
import { startProgress } from './lib/progress.js';
import { runPlan, writeResult } from './lib/run.js';
import { cpuMsPerSecond, readProcCpu } from './lib/proc-cpu.js';
import { latencyPlotSvg, roundSeries } from './lib/svg-plot.js';
import { findScenario, loadScenarios, resolvePlan } from './lib/scenario.js';
import { freePort, startBareServer, startController, type ServerProcess } from './lib/servers.js';
import { probeK6, selectTool } from './lib/tool-select.js';
import { emulatedRing, type Fabric } from './lib/lldp-fabric.js';
import { tokenFor } from './lib/auth.js';
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

/**
 * Discovery on `n` emulated switches in a ring (each LLDP PACKET_OUT reflected as a PACKET_IN on
 * its peer): seconds from all switches ready to all `n` links UP, then GET v3/ at `rate` on it.
 */
async function emulatedDiscovery(n: number, rate: number, seconds: number, tool: ReturnType<typeof selectTool>, scenario: ReturnType<typeof findScenario>) {
  const dir = mkdtempSync(join(tmpdir(), 'lattice-bench-lldp-'));
  const configFile = join(dir, 'lattice.json');
  writeFileSync(configFile, JSON.stringify({ napps: { settings: { 'kytos/topology': { LINK_UP_TIMER: 1 } } } }));
  const ofPort = await freePort();
  const lattice = await startController({
    env: { LATTICE_OPENFLOW_PORT: String(ofPort), LATTICE_NAPPS: 'kytos/of_core,kytos/topology,kytos/flow_manager,kytos/of_lldp', LATTICE_CONFIG: configFile },
  });
  let fabric: Fabric | null = null;
  try {
    const t0 = Date.now();
    fabric = await emulatedRing(n, ofPort);
    const readyS = (Date.now() - t0) / 1000;
    const t1 = Date.now();
    let up = 0;
    for (let i = 0; i < 1200 && up < n; i++) {
      const links = ((await (await fetch(`${lattice.url}/api/kytos/topology/v3/links`)).json()) as { links: Record<string, { status: string }> }).links;
      up = Object.values(links).filter((l) => l.status === 'UP').length;
      if (up < n) await new Promise((r) => setTimeout(r, 250));
    }
    const discoveryS = (Date.now() - t1) / 1000;
    const bytes = Buffer.byteLength(await (await fetch(`${lattice.url}${scenario.path}`)).text());
    console.log(`\ndiscovery: ${n} emulated switches ready in ${readyS.toFixed(1)} s; ${up}/${n} links UP ${discoveryS.toFixed(1)} s later (polling 3 s, LINK_UP_TIMER 1 s); ${fabric.reflected()} PACKET_OUTs reflected; v3/ ${(bytes / 1e6).toFixed(2)} MB`);
    const plan = resolvePlan(scenario, { target: lattice.url, mode: 'rate', rate, duration: seconds });
    let report: Report;
    try {
      report = await runPlan(plan, { tool, pid: lattice.pid, warmupRequests: 50 });
    } catch (error) {
      console.log(`discovery: GET v3/ at ${rate}/s not run: ${(error as Error).message}`);
      return { switches: n, readyS, discoveryS, linksUp: up, bytes, get: null };
    }
    console.log(
      `discovery: GET v3/ at ${rate}/s on it: ${report.requests} req, success ${(report.successRatio * 100).toFixed(2)}%, p50 ${report.latencyMs.p50.toFixed(1)} ms, p99 ${report.latencyMs.p99.toFixed(1)} ms, CPU ${report.cpu?.perRequestUs?.toFixed(0) ?? 'n/a'} µs/req`,
    );
    return { switches: n, readyS, discoveryS, linksUp: up, bytes, get: { rate, requests: report.requests, successRatio: report.successRatio, latencyMs: report.latencyMs, cpuPerRequestUs: report.cpu?.perRequestUs ?? null } };
  } finally {
    fabric?.close();
    await lattice.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const REST_SETTLE_MS = 12_000;

interface RestCpu {
  msPerSecond: number;
  /** The same CPU spread over the requests of a second at the fixed rate. */
  usPerRequestAtRate: number;
}

/**
 * Each server's CPU with no request at all, both measured over the same `seconds`: the floor that
 * every request of the fixed-rate phase shares (a bare server's is about zero, the controller's is
 * its own work). Reported beside the comparison, never subtracted from it.
 */
async function atRest(servers: Record<'bare' | 'lattice', ServerProcess>, seconds: number, rate: number): Promise<Record<'bare' | 'lattice', RestCpu>> {
  // A process that has just served requests still works for a few seconds: V8 tiers its code up,
  // and its memory reducer collects about 8 s after the allocations stop (a bare server: 55 ms).
  await new Promise((resolve) => setTimeout(resolve, REST_SETTLE_MS));
  const before = { bare: readProcCpu(servers.bare.pid), lattice: readProcCpu(servers.lattice.pid) };
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const of = (which: 'bare' | 'lattice'): RestCpu => {
    const msPerSecond = cpuMsPerSecond(before[which], readProcCpu(servers[which].pid), seconds);
    return { msPerSecond, usPerRequestAtRate: (msPerSecond * 1000) / rate };
  };
  return { bare: of('bare'), lattice: of('lattice') };
}

/**
 * Requests sent to each server before each POST round, so that the rounds measure the steady state.
 * The write path (body, decoding, the auth check, the audit entry) first runs here, after the GETs;
 * a controller's first 20 s of POSTs after its start had a p99 of 1.1-1.7 ms against 0.6-1.0 ms in
 * the next rounds (side by side). Here, after the GET phases, it made no difference one could
 * measure: the first round's ratio was x1.40 with 200 (one run) and x1.43, x1.44 with 2,000 (two).
 */
const POST_WARMUP_REQUESTS = 2000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tool: { type: 'string' },
      'max-tool': { type: 'string', default: 'autocannon' },
      rounds: { type: 'string', default: '3' },
      'max-seconds': { type: 'string', default: '6' },
      'rate-seconds': { type: 'string', default: '60' },
      rate: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '16' },
      ports: { type: 'string' },
      'post-rate': { type: 'string', default: '200' },
      'post-rounds': { type: 'string', default: '3' },
      emulated: { type: 'string', default: '1000' },
      auth: { type: 'boolean', default: false },
      'audit-flush-ms': { type: 'string' },
      'no-audit': { type: 'boolean', default: false },
      'rest-seconds': { type: 'string', default: '10' },
    },
  });
  const rounds = Number(values.rounds);
  const maxSeconds = Number(values['max-seconds']);
  const rateSeconds = Number(values['rate-seconds']);
  const rate = Number(values.rate);
  const concurrency = Number(values.concurrency);
  const hostPorts = values.ports === undefined ? null : Number(values.ports);
  const postRate = Number(values['post-rate']);
  const postRounds = Number(values['post-rounds']);
  const emulated = Number(values.emulated);
  const restSeconds = Number(values['rest-seconds']);
  if (!(rounds >= 1 && rounds <= 5) || !(maxSeconds > 0 && maxSeconds <= 60) || !(rateSeconds > 0 && rateSeconds <= 60) || !(hostPorts === null || (hostPorts >= 0 && hostPorts <= 50)) || !(postRate > 0 && postRate <= 2000) || !(postRounds >= 1 && postRounds <= 5) || !(emulated >= 0 && emulated <= 5000) || !(restSeconds >= 0 && restSeconds <= 60)) {
    throw new Error('bounded run: --rounds and --post-rounds 1..5, --max-seconds and --rate-seconds <= 60, --ports 0..50, --rest-seconds 0..60');
  }
  const probe = probeK6();
  const tools = { rate: selectTool(values.tool as ToolName | undefined, probe), max: selectTool(values['max-tool'] as ToolName, probe) };
  const scenario = findScenario(loadScenarios(), SCENARIO);
  const dir = mkdtempSync(join(tmpdir(), 'lattice-bench-topology-'));
  let ovs: Ovs | null = null;
  let lattice: ServerProcess | null = null;
  let bare: ServerProcess | null = null;
  const progress = startProgress('bench:topology', { total: 2 * 2 * rounds + 2 * postRounds });
  progress.step('starting the controller and three OVS switches');
  try {
    const ofPort = await freePort();
    const configFile = join(dir, 'lattice.json');
    // LINK_UP_TIMER 1 s so the links are UP sooner; Kytos-ng's polling time (3 s). `--auth`: reads need a token too.
    // `--audit-flush-ms N`: the audit log's batching interval (0: each batch written at once, as before batching).
    // `--no-audit`: no audit log (what the POSTs' audit entries cost).
    const auditFlush = values['audit-flush-ms'] === undefined ? {} : { auditFlushMs: Number(values['audit-flush-ms']) };
    const auth = { ...(values.auth ? { protectReads: true } : {}), ...auditFlush, ...(values['no-audit'] ? { audit: false } : {}) };
    writeFileSync(configFile, JSON.stringify({ napps: { settings: { 'kytos/topology': { LINK_UP_TIMER: 1 } } }, ...(Object.keys(auth).length > 0 ? { auth } : {}) }));
    lattice = await startController({
      env: { LATTICE_OPENFLOW_PORT: String(ofPort), LATTICE_NAPPS: 'kytos/of_core,kytos/topology,kytos/flow_manager,kytos/of_lldp', LATTICE_CONFIG: configFile },
    });
    const authHeaders: Record<string, string> = values.auth ? { Authorization: `Bearer ${await tokenFor(lattice.url)}` } : {};
    ovs = await startOvs();
    const names = ['s1', 's2', 's3'];
    // The seed's ring: s1 with 4 data ports, s2 and s3 with 3 (2 patch ports each, the rest host ports).
    const portsOf = (i: number) => hostPorts ?? (i === 0 ? 2 : 1);
    await ovs.addBridges(names.map((name, i) => ({ name, dpid: i + 1, ports: Array.from({ length: portsOf(i) }, (_, p) => ({ name: `${name}-eth${p + 1}`, ofport: p + 1 })) })));
    await ovs.link('s1', 's2', { aOfport: 21, bOfport: 21 });
    await ovs.link('s2', 's3', { aOfport: 22, bOfport: 22 });
    await ovs.link('s3', 's1', { aOfport: 23, bOfport: 23 });
    await ovs.setControllers(names, ofPort);
    const url = `${lattice.url}${scenario.path}`;
    const want = names.reduce((n, _, i) => n + portsOf(i) + 3, 0);
    let body = '';
    const t0 = Date.now();
    for (let i = 0; i < 600; i++) {
      const res = await fetch(url, { headers: authHeaders });
      body = await res.text();
      const t = JSON.parse(body).topology as { switches: Record<string, { active: boolean; interfaces: object }>; links: Record<string, { status: string }> };
      const sws = Object.values(t.switches);
      const up = Object.values(t.links).filter((l) => l.status === 'UP').length;
      if (sws.length === 3 && sws.every((s) => s.active) && sws.reduce((n, s) => n + Object.keys(s.interfaces).length, 0) === want && up === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const bytes = Buffer.byteLength(body);
    const links = Object.keys(JSON.parse(body).topology.links).length;
    console.log(
      `bench:topology: ${names.length} OVS switches, ${want} interfaces, ${links} links discovered by of_lldp in ${((Date.now() - t0) / 1000).toFixed(1)} s: ` +
        `GET v3/ body ${bytes} bytes (seed 8,601: ${(((bytes - 8601) / 8601) * 100).toFixed(1)}%)`,
    );
    const post = findScenario(loadScenarios(), 'lldp-polling-post');
    const postBody = JSON.stringify('Polling time has been updated.');
    const responsesFile = join(dir, 'responses.json');
    writeFileSync(
      responsesFile,
      JSON.stringify({
        responses: [
          { method: 'GET', path: scenario.path, status: 200, contentType: 'application/json', body },
          { method: 'POST', path: post.path, status: 200, contentType: 'application/json', body: postBody },
        ],
      }),
    );
    bare = await startBareServer({ responsesFile, readyPath: scenario.path });
    const servers = { bare, lattice };
    const rest = restSeconds > 0 ? await atRest(servers, restSeconds, rate) : null;
    if (rest) {
      console.log(
        `bench:topology: at rest (no request, ${restSeconds} s after ${REST_SETTLE_MS / 1000} s of quiet): bare ${rest.bare.msPerSecond.toFixed(2)} ms/s, lattice ${rest.lattice.msPerSecond.toFixed(2)} ms/s of CPU ` +
          `(the controller's own work: LLDP, echoes, stats, store and connection checks), ${rest.lattice.usPerRequestAtRate.toFixed(1)} µs per GET at ${rate}/s`,
      );
    }
    console.log(`bench:topology: fixed-rate phase: ${tools.rate.tool} (${tools.rate.reason}); closed-loop phase: ${tools.max.tool}`);
    const runs: { phase: 'max' | 'rate'; round: number; server: 'bare' | 'lattice'; report: Report }[] = [];
    for (const phase of ['max', 'rate'] as const) {
      for (let round = 1; round <= rounds; round++) {
        for (const which of round % 2 === 1 ? (['bare', 'lattice'] as const) : (['lattice', 'bare'] as const)) {
          const server = servers[which];
          const plan = resolvePlan(scenario, { target: server.url, mode: phase, rate, duration: phase === 'max' ? maxSeconds : rateSeconds, ...(phase === 'max' ? { concurrency } : {}) });
          progress.step(`${phase} round ${round} ${which}`, runs.length);
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
    // POST v1/polling_time {"polling_time": 4} at the seed's rate, bare and Lattice alternating.
    const postRuns: { round: number; server: 'bare' | 'lattice'; report: Report }[] = [];
    for (let round = 1; round <= postRounds; round++) {
      for (const which of round % 2 === 1 ? (['bare', 'lattice'] as const) : (['lattice', 'bare'] as const)) {
        const server = servers[which];
        progress.step(`POST v1/polling_time round ${round} ${which}`, 2 * 2 * rounds + postRuns.length);
        const plan = resolvePlan({ ...post, body: { polling_time: 4 } }, { target: server.url, mode: 'rate', rate: postRate, duration: rateSeconds });
        plan.headers = { ...plan.headers, ...authHeaders };
        const report = await runPlan(plan, { tool: tools.rate, pid: server.pid, warmupRequests: POST_WARMUP_REQUESTS });
        postRuns.push({ round, server: which, report });
        console.log(
          `  POST ${postRate}/s round ${round} ${which.padEnd(8)} ${report.requests} req, p50 ${report.latencyMs.p50.toFixed(3)}ms p99 ${report.latencyMs.p99.toFixed(3)}ms, ` +
            `CPU ${report.cpu?.perRequestUs?.toFixed(1) ?? 'n/a'}µs/req, success ${(report.successRatio * 100).toFixed(2)}%`,
        );
      }
    }
    const postPool = (which: 'bare' | 'lattice') => pool(postRuns.filter((r) => r.server === which).map((r) => r.report));
    const pb = postPool('bare');
    const pl = postPool('lattice');
    const postP99Ratio = pb.latencyMs.p99 > 0 ? pl.latencyMs.p99 / pb.latencyMs.p99 : null;
    const roundRatios = Array.from({ length: postRounds }, (_, i) => {
      const of = (which: 'bare' | 'lattice') => postRuns.find((r) => r.round === i + 1 && r.server === which)!.report.latencyMs.p99;
      return of('lattice') / of('bare');
    });
    console.log(
      `POST v1/polling_time at ${postRate}/s, ${postRounds} round(s) of ${rateSeconds} s, p99 median over the rounds: bare ${pb.latencyMs.p99.toFixed(3)} ms, lattice ${pl.latencyMs.p99.toFixed(3)} ms (x${postP99Ratio?.toFixed(2) ?? 'n/a'}, target 1.5; each round: ${roundRatios.map((r) => `x${r.toFixed(2)}`).join(' ')}); ` +
        `CPU/request bare ${pb.cpuPerRequestUs?.toFixed(1) ?? 'n/a'} µs, lattice ${pl.cpuPerRequestUs?.toFixed(1) ?? 'n/a'} µs`,
    );
    progress.stop();
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
    const discovery = emulated > 0 ? await emulatedDiscovery(emulated, rate, rateSeconds, tools.rate, scenario) : null;
    const file = writeResult('bench-topology', {
      discovery, bytes, tools: { rate: tools.rate.tool, max: tools.max.tool }, settings: { rounds, maxSeconds, rateSeconds, rate, concurrency, hostPorts, postRate, postRounds, restSeconds }, links, rest, comparison, rebuild, runs, postRuns, post: { p99RatioToBare: postP99Ratio, roundRatios } });
    console.log(`JSON: ${file}`);
    const svg = file.replace(/\.json$/, '.svg');
    writeFileSync(svg, latencyPlotSvg(`bench:topology GET ${scenario.path}: median over ${rounds} round(s)`, roundSeries(runs, { bare: 'bare uWS', lattice: 'lattice' })));
    console.log(`SVG: ${svg}`);
    return [...runs, ...postRuns].some((r) => r.report.successes < r.report.requests || r.report.requests === 0) ? 1 : 0;
  } finally {
    progress.stop();
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
