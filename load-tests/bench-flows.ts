/**
 * npm run bench:flows [-- --tool k6|autocannon] [--seconds 60] [--rate 200] [--steps 1000,2000,2500] [--step-seconds 10] [--connections 32] [--store mongodb] [--auth] [--audit-flush-ms N] [--batch 50] [--batch-rate 40] [--switches 10] [--switches-rate 2000]
 *
 * The seed's flow POST on a real Open vSwitch bridge (userspace, dummy datapath), against the
 * controller (`src/main.ts`, embedded store, default config) in its own process, beside a bare
 * uWebSockets.js server answering the same 36 bytes in the same run. Every request installs a
 * DISTINCT flow (the seed's body with a varying dl_vlan and priority), and every flow is checked
 * in `ovs-ofctl dump-flows` after each phase:
 *   1. POST /v2/flows/{dpid} at --rate for --seconds (202), bare baseline at the same rate;
 *   2. the same with ?wait=installed (201);
 *   3. single-flow ?wait=installed POSTs at increasing rates (--steps), --step-seconds each;
 *   4. batched: --batch (50) distinct flows per ?wait=installed request at --batch-rate (40/s);
 *   5. many switches: single-flow ?wait=installed POSTs at --switches-rate (2000/s) going round
 *      --switches (10) bridges (--batch 0 / --switches 0 leave a phase out).
 * Load generator: k6 when installed (constant arrival rate: requests evenly spaced; its script
 * builds each request's distinct flows), else autocannon (paced per one-second bucket per
 * connection, so each second starts with a burst: see load-tests/README.md); --tool chooses. Prints a table; writes load-tests/results/bench-flows-<timestamp>.json.
 * `--store mongodb` runs the controller on the MongoDB adapter against the test environment's
 * MongoDB-wire server (a real mongod when installed, else FerretDB). `--auth` creates a user
 * (first-run loopback bootstrap), so every write needs a token, and sends a valid one with every
 * request: the JWT check is in every measured request.
 * Beside the JSON, an SVG plot of each phase's p50/p99/max (--no-svg to skip). A progress line at
 * least every 5 s on a TTY.
 * Exit 1 when a request fails or a flow is missing from dump-flows.
 */
import autocannon, { type AutocannonResult } from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMongoWire, type MongoWire } from '../test/env/mongo.js';
import { dpidColon, startOvs, type Ovs } from '../test/env/ovs.js';
import { until } from '../test/helpers/log.js';
import { cpuUsage, readProcCpu } from './lib/proc-cpu.js';
import { tokenFor } from './lib/auth.js';
import { startProgress } from './lib/progress.js';
import { latencyPlotSvg } from './lib/svg-plot.js';
import { freePort, startBareServer, startController, type ServerProcess } from './lib/servers.js';
import { PROJECT_ROOT, probeK6, selectTool, type K6Binary } from './lib/tool-select.js';
import { runK6 } from './lib/k6-driver.js';
import type { FlowSeries, RunPlan } from './lib/scenario.js';
import type { ToolName } from './lib/report.js';

const DPID = '00:00:00:00:00:00:00:01';
const PATH = `/api/kytos/flow_manager/v2/flows/${DPID}`;

interface Phase {
  name: string;
  server: 'lattice' | 'bare';
  tool: ToolName;
  /** Arrivals k6 could not start in time (counted in errors too). */
  dropped?: number;
  rate: number;
  seconds: number;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  cpuUsPerRequest: number | null;
  flowsChecked?: string;
}

/** The seed's body, the same flow every time (the bare server's phase). */
const FIXED_BODY = JSON.stringify({ force: true, flows: [{ priority: 10, match: { in_port: 1, dl_vlan: 100 }, actions: [{ action_type: 'output', port: 1 }] }] });

/** Serial of the next flow (its dl_vlan and priority follow from it). */
let serial = 0;
/** Flows per request and switches the requests go round (the batched and many-switch phases). */
let shape = { batch: 1, switches: 1 };
const flowsPath = (bridge: number) => `/api/kytos/flow_manager/v2/flows/${dpidColon(bridge)}`;
/**
 * Request n of a series starting at flow `first`: the seed's body made distinct (dl_vlan 1..4094,
 * a priority that changes every 4094 flows), `batch` flows, to bridge (n % switches) + 1. The k6
 * script (load-tests/k6/scenario.js, plan.flowSeries) builds the same requests.
 */
function flowSeriesRequest(series: FlowSeries, n: number): { path: string; body: string } {
  const flows = [];
  for (let k = 0; k < series.batch; k++) {
    const i = series.first + n * series.batch + k;
    flows.push({ priority: 10 + Math.floor(i / 4094), match: { in_port: 1, dl_vlan: (i % 4094) + 1 }, actions: [{ action_type: 'output', port: 1 }] });
  }
  return { path: `${flowsPath((n % series.switches) + 1)}${series.query}`, body: JSON.stringify({ force: true, flows }) };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Sent with every request to the controller (a bearer token with `--auth`). */
const authHeaders: Record<string, string> = {};

type Attack = Omit<Phase, 'name' | 'server' | 'flowsChecked' | 'tool'>;

/** autocannon: paced per one-second bucket per connection, so each second starts with a burst. */
async function attackAutocannon(server: ServerProcess, query: string, rate: number, seconds: number, connections: number, series: FlowSeries | null): Promise<Attack> {
  const latencies: number[] = [];
  let n = 0;
  const statuses: Record<string, number> = {};
  let errors = 0;
  const before = readProcCpu(server.pid);
  await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${server.url}${PATH}${query}`,
        connections,
        pipelining: 1,
        overallRate: rate,
        amount: Math.round(rate * seconds),
        timeout: 30,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(server.kind === 'lattice' ? authHeaders : {}) },
            setupRequest: (req: Record<string, unknown>) => {
              if (!series) return { ...req, body: FIXED_BODY };
              return { ...req, ...flowSeriesRequest(series, n++) };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    instance.on('reqError', () => errors++);
  });
  const after = readProcCpu(server.pid);
  latencies.sort((a, b) => a - b);
  const requests = latencies.length + errors;
  return {
    rate,
    seconds,
    requests,
    statuses,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    cpuUsPerRequest: cpuUsage(before, after, requests).perRequestUs,
  };
}

/** k6's constant-arrival-rate executor: arrivals evenly spaced, distinct flows built by the k6 script. */
async function attackK6(k6: K6Binary, server: ServerProcess, query: string, rate: number, seconds: number, connections: number, series: FlowSeries | null): Promise<Attack> {
  const plan: RunPlan = {
    scenario: 'flow-post',
    method: 'POST',
    url: `${server.url}${PATH}${query}`,
    path: `${PATH}${query}`,
    targetPath: PATH,
    headers: { 'content-type': 'application/json', ...(server.kind === 'lattice' ? authHeaders : {}) },
    body: FIXED_BODY,
    expectedStatus: [201, 202],
    mode: 'rate',
    rate,
    duration: seconds,
    // VUs ready for 100 ms of arrivals: a VU started mid-run takes k6 long enough to drop arrivals.
    concurrency: Math.max(connections, Math.ceil(rate / 10)),
    timeoutMs: 30_000,
    thresholds: { maxFailureRatio: 0 },
    ...(series ? { flowSeries: series } : {}),
  };
  const before = readProcCpu(server.pid);
  const m = await runK6(plan, k6);
  const after = readProcCpu(server.pid);
  const errors = Object.values(m.errors).reduce((a, b) => a + b, 0);
  return {
    rate,
    seconds,
    requests: m.requests,
    statuses: m.statusCodes,
    errors: errors + m.dropped,
    dropped: m.dropped,
    p50: m.latencyMs.p50,
    p99: m.latencyMs.p99,
    max: m.latencyMs.max,
    cpuUsPerRequest: cpuUsage(before, after, m.requests).perRequestUs,
  };
}

/** Every flow of the series' first `requests` requests is in its bridge's dump-flows (as flowSeriesRequest made them). */
async function checkFlows(ovs: Ovs, series: FlowSeries, requests: number): Promise<string> {
  const from = series.first;
  const to = from + requests * series.batch;
  const bridgeOf = (i: number) => (Math.floor((i - from) / series.batch) % series.switches) + 1;
  const seen = new Set<string>();
  for (let b = 1; b <= bridges; b++) {
    for (const l of await ovs.dumpFlows(`b${b}`)) {
      const m = /priority=(\d+),in_port=1,dl_vlan=(\d+)/.exec(l);
      if (m) seen.add(`${b}/${m[1]}/${m[2]}`);
    }
  }
  let missing = 0;
  for (let i = from; i < to; i++) if (!seen.has(`${bridgeOf(i)}/${10 + Math.floor(i / 4094)}/${(i % 4094) + 1}`)) missing++;
  if (missing > 0) throw new Error(`${missing} of ${to - from} flows missing from dump-flows`);
  return `${to - from} of ${to - from} in dump-flows`;
}

/** Bridges b1..bN (N: the many-switch phase's count, at least 1). */
let bridges = 1;

/**
 * Polls `done` every `everyMs` for at most `seconds`: a phase measured on what was not cleared
 * would lie, so running out of time throws.
 */
async function settled(what: string, done: () => Promise<boolean>, seconds: number, everyMs: number): Promise<void> {
  try {
    await until(done, seconds * 1000, what, everyMs);
  } catch {
    throw new Error(`bench:flows: ${what} not reached within ${seconds} s; the next phase would start from an unclean state`);
  }
}

async function clear(ovs: Ovs, lattice: ServerProcess): Promise<void> {
  // Every switch at once (no dpid in the path).
  const r = await fetch(`${lattice.url}/api/kytos/flow_manager/v2/flows`, { method: 'DELETE', headers: { 'content-type': 'application/json', ...authHeaders }, body: JSON.stringify({ flows: [{ table_id: 255 }] }) });
  if (r.status >= 300) throw new Error(`bench:flows: clearing the flows answered ${r.status}: ${await r.text()}`);
  await settled(
    'every bridge without flows',
    async () => {
      for (let b = 1; b <= bridges; b++) if ((await ovs.dumpFlows(`b${b}`)).length > 0) return false;
      return true;
    },
    120,
    50,
  );
  // And the controller has settled what the phase left (an overloaded phase leaves pending flows).
  await settled(
    'no pending flow in flow_manager',
    async () => {
      const res = await fetch(`${lattice.url}/api/kytos/flow_manager/v2/stored_flows?state=pending`, { headers: authHeaders });
      if (res.status !== 200) return false;
      const body = (await res.json()) as Record<string, unknown[]>;
      return Object.values(body).every((flows) => flows.length === 0);
    },
    120,
    50,
  );
  // Deleting thousands of flows brings as many FLOW_REMOVED: let flow_manager's mailbox drain
  // (while it is full, asks get 503 + Retry-After, the controller's backpressure), seen empty 3 times in a row.
  let calm = 0;
  await settled(
    "flow_manager's mailbox empty",
    async () => {
      const res = await fetch(`${lattice.url}/api/kytos/core/actors/napp:kytos/flow_manager`, { headers: authHeaders });
      const empty = res.status === 200 && ((await res.json()) as { mailbox: { depth: number } }).mailbox.depth === 0;
      calm = empty ? calm + 1 : 0;
      return calm >= 3;
    },
    120,
    100,
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      rate: { type: 'string', default: '200' },
      steps: { type: 'string', default: '1000,2000,2500' },
      'step-seconds': { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      store: { type: 'string', default: 'embedded' },
      auth: { type: 'boolean', default: false },
      'audit-flush-ms': { type: 'string' },
      batch: { type: 'string', default: '50' },
      'batch-rate': { type: 'string', default: '40' },
      switches: { type: 'string', default: '10' },
      'switches-rate': { type: 'string', default: '2000' },
      'no-svg': { type: 'boolean', default: false },
      tool: { type: 'string' },
    },
  });
  // k6 (arrivals evenly spaced) when installed, else autocannon (bursts each second); --tool chooses.
  const tool = selectTool(values.tool as ToolName | undefined, probeK6());
  console.log(`bench:flows: load from ${tool.tool} (${tool.reason})`);
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const stepSeconds = Number(values['step-seconds']);
  const connections = Number(values.connections);
  const steps = values.steps.split(',').map(Number);
  const batch = Number(values.batch);
  const batchRate = Number(values['batch-rate']);
  const manySwitches = Number(values.switches);
  const switchesRate = Number(values['switches-rate']);
  bridges = Math.max(1, manySwitches);
  const ovs = await startOvs();
  const ofPort = await freePort();
  let db: MongoWire | undefined;
  const env: Record<string, string> = { LATTICE_OPENFLOW_PORT: String(ofPort) };
  if (values['audit-flush-ms'] !== undefined) {
    // The audit log's batching interval (0: each batch written at once, as before batching).
    const file = join(tmpdir(), `bench-flows-config-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ auth: { auditFlushMs: Number(values['audit-flush-ms']) } }));
    env.LATTICE_CONFIG = file;
  }
  if (values.store === 'mongodb') {
    db = await startMongoWire();
    Object.assign(env, { LATTICE_STORE: 'mongodb', LATTICE_MONGODB_URI: db.uri, LATTICE_MONGODB_DB: 'bench_flows' });
    console.log(`store: MongoDB adapter on ${db.kind}`);
  }
  const lattice = await startController({ env });
  if (values.auth) Object.assign(authHeaders, { Authorization: `Bearer ${await tokenFor(lattice.url)}` });
  const bare = await startBareServer();
  const phases: Phase[] = [];
  // warm-up, bare, 202, 201, then the steps.
  const progress = startProgress('bench:flows', { total: 4 + steps.length + (batch > 1 ? 1 : 0) + (manySwitches > 1 ? 1 : 0) });
  try {
    await ovs.addBridges(Array.from({ length: bridges }, (_, k) => ({ name: `b${k + 1}`, dpid: k + 1, ports: [{ name: `b${k + 1}-eth1`, ofport: 1 }] })));
    await ovs.setControllers(Array.from({ length: bridges }, (_, k) => `b${k + 1}`), ofPort);
    for (let b = 1; b <= bridges; b++) {
      for (let i = 0; i < 300; i++) {
        const r = await fetch(`${lattice.url}${flowsPath(b)}`, { headers: authHeaders });
        if (r.status === 200) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    const run = async (name: string, server: ServerProcess, query: string, r: number, s: number, distinct: boolean) => {
      progress.step(`${name} ${server.kind} ${r}/s`, phases.length);
      const series: FlowSeries | null = distinct ? { base: server.url, query, first: serial, ...shape } : null;
      const res = tool.tool === 'k6' && tool.k6 ? await attackK6(tool.k6, server, query, r, s, connections, series) : await attackAutocannon(server, query, r, s, connections, series);
      const phase: Phase = { name, server: server.kind, tool: tool.tool, ...res };
      const line = () =>
        `${name.padEnd(34)} ${server.kind.padEnd(8)} ${String(r).padStart(5)}/s  n=${res.requests}  ${JSON.stringify(res.statuses)}${res.dropped ? ` dropped ${res.dropped}` : ''}  p50 ${res.p50.toFixed(2)} ms  p99 ${res.p99.toFixed(2)} ms  max ${res.max.toFixed(2)} ms  cpu/req ${res.cpuUsPerRequest?.toFixed(0)} us  ${phase.flowsChecked ?? ''}`;
      phases.push(phase);
      if (series) {
        serial += res.requests * series.batch;
        // 202 means stored and sent: give the switch its barrier before counting.
        await new Promise((done) => setTimeout(done, 500));
        try {
          phase.flowsChecked = await checkFlows(ovs, series, res.requests);
        } finally {
          if (!phase.flowsChecked) console.log(line());
        }
        await clear(ovs, lattice);
      }
      console.log(line());
    };
    await run('warm-up', lattice, '', 200, 3, true);
    await run('flow-post', bare, '', rate, seconds, false);
    await run('flow-post', lattice, '', rate, seconds, true);
    await run('flow-post ?wait=installed', lattice, '?wait=installed', rate, seconds, true);
    for (const r of steps) await run(`flow-post ?wait=installed step`, lattice, '?wait=installed', r, stepSeconds, true);
    if (batch > 1) {
      // Batched: `batch` distinct flows per request on one switch.
      shape = { batch, switches: 1 };
      await run(`batched x${batch} ?wait=installed`, lattice, '?wait=installed', batchRate, stepSeconds, true);
    }
    if (manySwitches > 1) {
      // Many switches: single-flow requests going round the bridges.
      shape = { batch: 1, switches: manySwitches };
      await run(`${manySwitches} switches ?wait=installed`, lattice, '?wait=installed', switchesRate, stepSeconds, true);
    }
    shape = { batch: 1, switches: 1 };
  } finally {
    progress.stop();
    await lattice.stop();
    await bare.stop();
    await ovs.stop();
    await db?.stop();
  }
  const report = { when: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), tool: tool.tool, store: db ? db.kind : 'embedded', auth: values.auth, connections, phases };
  const dir = join(PROJECT_ROOT, 'load-tests', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-flows-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  if (!values['no-svg']) {
    const svg = file.replace(/\.json$/, '.svg');
    const series = phases
      .filter((ph) => ph.name !== 'warm-up')
      .map((ph) => ({ name: `${ph.name} ${ph.server} ${ph.rate}/s`, points: [{ label: 'p50', ms: ph.p50 }, { label: 'p99', ms: ph.p99 }, { label: 'max', ms: ph.max }] }));
    writeFileSync(svg, latencyPlotSvg('bench:flows POST /v2/flows/{dpid}: latency per phase', series));
    console.log(`SVG: ${svg}`);
  }
  console.log(`written ${file}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const failed = phases.some((p) => p.errors > 0 || Object.keys(p.statuses).some((s) => !['201', '202'].includes(s)));
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
