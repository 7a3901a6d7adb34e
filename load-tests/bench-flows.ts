/**
 * npm run bench:flows [-- --seconds 60] [--rate 200] [--steps 1000,2000,3000] [--step-seconds 10] [--connections 32] [--store mongodb] [--auth]
 *
 * The seed's flow POST on a real Open vSwitch bridge (userspace, dummy datapath), against the
 * controller (`src/main.ts`, embedded store, default config) in its own process, beside a bare
 * uWebSockets.js server answering the same 36 bytes in the same run. Every request installs a
 * DISTINCT flow (the seed's body with a varying dl_vlan and priority), and every flow is checked
 * in `ovs-ofctl dump-flows` after each phase:
 *   1. POST /v2/flows/{dpid} at --rate for --seconds (202), bare baseline at the same rate;
 *   2. the same with ?wait=installed (201);
 *   3. single-flow ?wait=installed POSTs at increasing rates (--steps), --step-seconds each.
 * Load generator: autocannon (paced per one-second bucket per connection: bursty, see
 * load-tests/README.md). Prints a table; writes load-tests/results/bench-flows-<timestamp>.json.
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
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMongoWire, type MongoWire } from '../test/env/mongo.js';
import { startOvs, type Ovs } from '../test/env/ovs.js';
import { cpuUsage, readProcCpu } from './lib/proc-cpu.js';
import { tokenFor } from './lib/auth.js';
import { startProgress } from './lib/progress.js';
import { latencyPlotSvg } from './lib/svg-plot.js';
import { freePort, startBareServer, startController, type ServerProcess } from './lib/servers.js';
import { PROJECT_ROOT } from './lib/tool-select.js';

const DPID = '00:00:00:00:00:00:00:01';
const PATH = `/api/kytos/flow_manager/v2/flows/${DPID}`;

interface Phase {
  name: string;
  server: 'lattice' | 'bare';
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

let serial = 0;
/** The seed's body, made distinct: dl_vlan 1..4094 and a priority that changes every 4094 flows. */
function nextBody(): string {
  const i = serial++;
  return JSON.stringify({
    force: true,
    flows: [{ priority: 10 + Math.floor(i / 4094), match: { in_port: 1, dl_vlan: (i % 4094) + 1 }, actions: [{ action_type: 'output', port: 1 }] }],
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Sent with every request to the controller (a bearer token with `--auth`). */
const authHeaders: Record<string, string> = {};

async function attack(server: ServerProcess, query: string, rate: number, seconds: number, connections: number, distinct: boolean): Promise<Omit<Phase, 'name' | 'server' | 'flowsChecked'>> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const before = readProcCpu(server.pid);
  const fixed = JSON.stringify({ force: true, flows: [{ priority: 10, match: { in_port: 1, dl_vlan: 100 }, actions: [{ action_type: 'output', port: 1 }] }] });
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
            setupRequest: (req: Record<string, unknown>) => ({ ...req, body: distinct ? nextBody() : fixed }),
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

/** Every flow sent since `from` is in dump-flows (priority and dl_vlan as nextBody made them). */
async function checkFlows(ovs: Ovs, from: number, to: number): Promise<string> {
  const lines = await ovs.dumpFlows('b1');
  const seen = new Set<string>();
  for (const l of lines) {
    const m = /priority=(\d+),in_port=1,dl_vlan=(\d+)/.exec(l);
    if (m) seen.add(`${m[1]}/${m[2]}`);
  }
  let missing = 0;
  for (let i = from; i < to; i++) if (!seen.has(`${10 + Math.floor(i / 4094)}/${(i % 4094) + 1}`)) missing++;
  if (missing > 0) throw new Error(`${missing} of ${to - from} flows missing from dump-flows`);
  return `${to - from} of ${to - from} in dump-flows`;
}

async function clear(ovs: Ovs, lattice: ServerProcess): Promise<void> {
  await fetch(`${lattice.url}${PATH}`, { method: 'DELETE', headers: { 'content-type': 'application/json', ...authHeaders }, body: JSON.stringify({ flows: [{ table_id: 255 }] }) });
  for (let i = 0; i < 200 && (await ovs.dumpFlows('b1')).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      rate: { type: 'string', default: '200' },
      steps: { type: 'string', default: '1000,2000,3000' },
      'step-seconds': { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      store: { type: 'string', default: 'embedded' },
      auth: { type: 'boolean', default: false },
      'no-svg': { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const stepSeconds = Number(values['step-seconds']);
  const connections = Number(values.connections);
  const steps = values.steps.split(',').map(Number);
  const ovs = await startOvs();
  const ofPort = await freePort();
  let db: MongoWire | undefined;
  const env: Record<string, string> = { LATTICE_OPENFLOW_PORT: String(ofPort) };
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
  const progress = startProgress('bench:flows', { total: 4 + steps.length });
  try {
    await ovs.addBridge('b1', 1, { ports: [{ name: 'b1-eth1', ofport: 1 }] });
    await ovs.setController('b1', ofPort);
    for (let i = 0; i < 300; i++) {
      const r = await fetch(`${lattice.url}/api/kytos/flow_manager/v2/flows/${DPID}`, { headers: authHeaders });
      if (r.status === 200) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const run = async (name: string, server: ServerProcess, query: string, r: number, s: number, distinct: boolean) => {
      progress.step(`${name} ${server.kind} ${r}/s`, phases.length);
      const from = serial;
      const res = await attack(server, query, r, s, connections, distinct);
      const phase: Phase = { name, server: server.kind, ...res };
      if (server.kind === 'lattice') {
        // 202 means stored and sent: give the switch its barrier before counting.
        await new Promise((done) => setTimeout(done, 500));
        phase.flowsChecked = await checkFlows(ovs, from, serial);
        await clear(ovs, lattice);
      }
      phases.push(phase);
      console.log(`${name.padEnd(34)} ${server.kind.padEnd(8)} ${String(r).padStart(5)}/s  n=${res.requests}  ${JSON.stringify(res.statuses)}  p50 ${res.p50} ms  p99 ${res.p99} ms  max ${res.max} ms  cpu/req ${res.cpuUsPerRequest?.toFixed(0)} us  ${phase.flowsChecked ?? ''}`);
    };
    await run('warm-up', lattice, '', 200, 3, true);
    await run('flow-post', bare, '', rate, seconds, false);
    await run('flow-post', lattice, '', rate, seconds, true);
    await run('flow-post ?wait=installed', lattice, '?wait=installed', rate, seconds, true);
    for (const r of steps) await run(`flow-post ?wait=installed step`, lattice, '?wait=installed', r, stepSeconds, true);
  } finally {
    progress.stop();
    await lattice.stop();
    await bare.stop();
    await ovs.stop();
    await db?.stop();
  }
  const report = { when: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), tool: 'autocannon', store: db ? db.kind : 'embedded', auth: values.auth, connections, phases };
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
