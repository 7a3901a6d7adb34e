/**
 * npm run soak -- [--minutes 2] [--sample-s 5] [--warmup-min M] [--out DIR] [--enforce|--no-enforce]
 * npm run soak -- --from load-tests/results/soak-<time>.json   (judge and plot a finished run again)
 *
 * A soak on real Open vSwitch: a private OVS (dummy datapath) with a ring of four bridges joined
 * by patch ports, and the controller as a child process (of_core, topology, flow_manager,
 * pathfinder, of_lldp, mef_eline). For `--minutes`, bounded drivers run together:
 *   - flow churn through flow_manager's REST (adds of 5 flows, deletes of the oldest 5 past 40
 *     per switch), one request at a time;
 *   - link flaps: a ring link's two patch ports deleted, then re-added (LLDP finds it again);
 *   - EVCs created and deleted through mef_eline;
 *   - switch reconnects: `ovs-vsctl del-controller`, then the controller set again;
 *   - REST reads (switches, links, stored flows, EVCs, status).
 * Every `--sample-s` seconds it samples the controller's V8 heap and event-loop lag (/metrics),
 * RSS and open file descriptors (/proc/<pid>), and the size of its data dir (allocated blocks).
 * At the end it fits a least-squares line per series after the warm-up (default: the first 20%
 * of the run, at most 5 minutes; heap and RSS through the lowest sample of each 3-minute window,
 * their floor after garbage collections), compares each slope with its bound (lib/soak-stats.ts), checks
 * every stored flow is on its switch (dump-flows), and writes JSON and an SVG plot under
 * load-tests/results/. A progress line every 5 s at most. Exit 1 when a check fails; the slope
 * bounds are enforced for runs of 10 minutes and more (a 2-minute smoke is too short to fit a
 * trend), or always with --enforce.
 */
import { parseArgs } from 'node:util';
import { mkdirSync, readdirSync, readFileSync, lstatSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startOvs, dpidColon, type Ovs } from '../test/env/ovs.js';
import { startController, type ServerProcess } from './lib/servers.js';
import { RESULTS_DIR, timestamp } from './lib/run.js';
import { timeSeriesPlotSvg } from './lib/svg-plot.js';
import { judge, BOUNDS, WINDOW_MIN, type Sample, type SeriesName } from './lib/soak-stats.js';

const RING = [1, 2, 3, 4] as const;
const next = (i: number) => (i % 4) + 1;
const bridge = (i: number) => `k${i}`;
const dpid = (i: number) => dpidColon(0x6000 + i);
const FLOW_COOKIE_BASE = 0x55_0000_0000;
const FLOWS = '/api/kytos/flow_manager/v2';
const EVC = '/api/kytos/mef_eline/v2/evc/';
const TOPO = '/api/kytos/topology/v3';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Counters {
  [name: string]: { ok: number; failed: number; lastError?: string };
}

function parseMetric(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

function allocatedBytes(path: string): number {
  let total = 0;
  const st = lstatSync(path);
  if (st.isDirectory()) for (const e of readdirSync(path)) total += allocatedBytes(join(path, e));
  else total += st.blocks * 512;
  return total;
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** JSON whose integers past 2^53 are kept as strings of their digits (cookies). */
function parseExact(text: string): any {
  return JSON.parse(text.replace(/([:\[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '2' },
      'sample-s': { type: 'string', default: '5' },
      'warmup-min': { type: 'string' },
      out: { type: 'string', default: RESULTS_DIR },
      enforce: { type: 'boolean' },
      'no-enforce': { type: 'boolean' },
      from: { type: 'string' },
    },
  });
  if (values.from) return rejudge(values.from, values.out!, values.enforce ? true : values['no-enforce'] ? false : undefined);
  const minutes = Number(values.minutes);
  const sampleS = Number(values['sample-s']);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error(`--minutes must be in (0, 1440], got ${values.minutes}`);
  if (!(sampleS >= 1 && sampleS <= 60)) throw new Error(`--sample-s must be in [1, 60], got ${values['sample-s']}`);
  const warmupMin = values['warmup-min'] !== undefined ? Number(values['warmup-min']) : Math.min(5, minutes * 0.2);
  const enforce = values.enforce ? true : values['no-enforce'] ? false : minutes >= 10;

  const work = mkdtempSync(join(tmpdir(), 'lattice-soak-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      openflow: { host: '127.0.0.1', echoIntervalMs: 1000 },
      // Every write is audited: a small cap shows the audit log's steady state within the run (the default is 100,000).
      auth: { auditMaxEntries: 500 },
      napps: {
        enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/of_lldp', 'kytos/mef_eline'],
        settings: {
          'kytos/topology': { LINK_UP_TIMER: 0.5 },
          'kytos/of_lldp': { POLLING_TIME: 1 },
          'kytos/of_core': { STATS_INTERVAL: 10 },
          // Soft-deleted flows are pruned after a minute: the store must stay flat under churn.
          'kytos/flow_manager': { CONSISTENCY_INTERVAL: 5, CONSISTENCY_MIN_VERDICT_INTERVAL: 5, DELETED_RETENTION: 60 },
          // Archived EVCs too: pruned a minute after their deletion.
          'kytos/mef_eline': { CONSISTENCY_INTERVAL: 30, ARCHIVED_RETENTION: 60, PRUNE_INTERVAL: 30 },
        },
      },
    }),
  );

  console.log(`soak: ${minutes} min, a sample every ${sampleS} s, warm-up ${warmupMin.toFixed(1)} min, bounds ${enforce ? 'enforced' : 'reported only'}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let ovs: Ovs | undefined;
  let ctl: ServerProcess | undefined;
  const counters: Counters = {};
  const count = (name: string, ok: boolean, error?: string) => {
    const c = (counters[name] ??= { ok: 0, failed: 0 });
    if (ok) c.ok++;
    else {
      c.failed++;
      if (error) c.lastError = error.slice(0, 300);
    }
  };
  try {
    ovs = await startOvs();
    ctl = await startController({ env: { LATTICE_CONFIG: configFile, LATTICE_DATA_DIR: dataDir } });
    const ofPort = Number(/OpenFlow on [^\s]+:(\d+)/.exec(ctl.output())?.[1]);
    if (!ofPort) throw new Error(`no OpenFlow port in the controller's banner:\n${ctl.output()}`);
    const url = ctl.url;
    const pid = ctl.pid;
    const http = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      return { status: res.status, text: await res.text() };
    };
    const until = async (what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        try {
          if (await cond()) return true;
        } catch {
          /* not yet */
        }
        await sleep(250);
      }
      return false;
    };

    await ovs.addBridges(
      RING.map((i) => ({ name: bridge(i), dpid: 0x6000 + i, ports: [{ name: `${bridge(i)}-eth1`, ofport: 1 }, { name: `${bridge(i)}-eth4`, ofport: 4 }] })),
    );
    const linkNames = (i: number) => ({ a: `${bridge(i)}-p2`, b: `${bridge(next(i))}-p3`, aOfport: 2, bOfport: 3 });
    for (const i of RING) await ovs.link(bridge(i), bridge(next(i)), linkNames(i));
    await ovs.setControllers(RING.map(bridge), ofPort);
    const linksUp = async (): Promise<number> => {
      const r = await http('GET', `${TOPO}/links`);
      const links = JSON.parse(r.text).links as Record<string, { status?: string; endpoint_a: { id: string }; endpoint_b: { id: string } }>;
      return Object.values(links).filter((l) => l.status === 'UP').length;
    };
    if (!(await until('links', async () => (await linksUp()) >= 4, 60_000))) throw new Error(`the ring's 4 links did not come UP (LLDP) within 60 s:\n${ctl.output()}`);
    console.log(`soak: controller pid ${pid} at ${url}, OpenFlow ${ofPort}; 4 switches, 4 links UP (found by LLDP)`);

    const started = Date.now();
    const endAt = started + minutes * 60_000;
    const running = () => Date.now() < endAt;
    /** A driver's pause, cut short at the end of the run. */
    const nap = (ms: number) => sleep(Math.max(0, Math.min(ms, endAt - Date.now())));
    const samples: Sample[] = [];

    // ---- drivers ----
    const live = new Map<number, number[]>(RING.map((i) => [i, []]));
    let k = 0;
    const flowOf = (n: number) => ({ priority: 1000 + (n % 100), cookie: FLOW_COOKIE_BASE + n, match: { in_port: 1, dl_vlan: 1 + (n % 3000) }, actions: [{ action_type: 'output', port: 4 }] });
    const flowChurn = async () => {
      while (running()) {
        const i = RING[k % 4]!;
        const batch = Array.from({ length: 5 }, () => ++k);
        try {
          const r = await http('POST', `${FLOWS}/flows/${dpid(i)}`, { flows: batch.map(flowOf) });
          // 424 is the right answer while that switch reconnects (the reconnect driver): counted apart.
          if (r.status === 424) count('flow add refused 424 (switch reconnecting)', true);
          else count('flow add', r.status === 202, `${r.status} ${r.text}`);
          if (r.status === 202) live.get(i)!.push(...batch);
          const mine = live.get(i)!;
          if (mine.length > 40) {
            const old = mine.splice(0, 5);
            const d = await http('DELETE', `${FLOWS}/flows/${dpid(i)}`, { flows: old.map((n) => ({ cookie: FLOW_COOKIE_BASE + n, cookie_mask: 0xffff_ffff_ffff, match: flowOf(n).match })) });
            count('flow delete', d.status === 202, `${d.status} ${d.text}`);
          }
        } catch (error) {
          count('flow add', false, (error as Error).message);
        }
        await nap(500);
      }
    };
    const reads = async () => {
      const paths = [`${TOPO}/switches`, `${TOPO}/links`, `${FLOWS}/stored_flows`, EVC, '/api/kytos/core/status/'];
      let n = 0;
      while (running()) {
        try {
          const r = await http('GET', paths[n++ % paths.length]!);
          count('rest read', r.status === 200, `${r.status}`);
        } catch (error) {
          count('rest read', false, (error as Error).message);
        }
        await nap(250);
      }
    };
    let tag = 0;
    const evcs = async () => {
      while (running()) {
        const vlan = 3001 + (tag++ % 500);
        try {
          const r = await http('POST', EVC, {
            name: `soak-${tag}`,
            dynamic_backup_path: true,
            uni_a: { interface_id: `${dpid(1)}:1`, tag: { tag_type: 'vlan', value: vlan } },
            uni_z: { interface_id: `${dpid(3)}:1`, tag: { tag_type: 'vlan', value: vlan } },
          });
          count('evc create', r.status === 201, `${r.status} ${r.text}`);
          if (r.status === 201) {
            const id = JSON.parse(r.text).circuit_id as string;
            await nap(2000);
            const d = await http('DELETE', `${EVC}${id}`);
            count('evc delete', d.status === 200, `${d.status} ${d.text}`);
          }
        } catch (error) {
          count('evc create', false, (error as Error).message);
        }
        await nap(8000);
      }
    };
    let flap = 0;
    const flaps = async () => {
      await nap(10_000);
      while (running()) {
        const i = RING[flap++ % 4]!;
        const n = linkNames(i);
        try {
          await ovs!.vsctl(['--', '--if-exists', 'del-port', bridge(i), n.a, '--', '--if-exists', 'del-port', bridge(next(i)), n.b]);
          await nap(3000);
          await ovs!.link(bridge(i), bridge(next(i)), n);
          const back = await until('link back', async () => (await linksUp()) >= 4, 30_000);
          count('link flap', back, 'the link did not come back UP within 30 s');
        } catch (error) {
          count('link flap', false, (error as Error).message);
        }
        await nap(20_000);
      }
    };
    let reconnect = 0;
    const reconnects = async () => {
      await nap(25_000);
      while (running()) {
        const i = RING[(reconnect++ + 2) % 4]!;
        try {
          await ovs!.vsctl(['del-controller', bridge(i)]);
          await nap(2000);
          await ovs!.setController(bridge(i), ofPort);
          const back = await until('switch back', async () => {
            const r = await http('GET', `${TOPO}/switches`);
            return JSON.parse(r.text).switches[dpid(i)]?.status === 'UP';
          }, 30_000);
          count('switch reconnect', back, 'the switch did not come back UP within 30 s');
        } catch (error) {
          count('switch reconnect', false, (error as Error).message);
        }
        await nap(40_000);
      }
    };

    // ---- sampling and progress ----
    const sample = async () => {
      const m = await http('GET', '/metrics');
      samples.push({
        tMin: (Date.now() - started) / 60_000,
        heapMB: (parseMetric(m.text, 'lattice_heap_used_bytes') ?? NaN) / 2 ** 20,
        rssMB: rssMB(pid),
        fds: readdirSync(`/proc/${pid}/fd`).length,
        storeMB: allocatedBytes(dataDir) / 2 ** 20,
        lagMs: (parseMetric(m.text, 'lattice_event_loop_lag_seconds') ?? NaN) * 1000,
      });
    };
    const line = () => {
      const s = samples[samples.length - 1];
      const ops = Object.entries(counters).map(([n, c]) => `${n} ${c.ok}${c.failed ? `/${c.failed} failed` : ''}`).join(', ');
      const el = (Date.now() - started) / 1000;
      console.log(
        `[soak ${Math.floor(el / 60)}:${String(Math.floor(el % 60)).padStart(2, '0')}/${minutes}:00] ` +
          (s ? `heap ${s.heapMB.toFixed(1)} MB, rss ${s.rssMB.toFixed(1)} MB, fds ${s.fds}, store ${s.storeMB.toFixed(2)} MB, lag ${s.lagMs.toFixed(1)} ms; ` : '') +
          ops,
      );
    };
    const sampler = async () => {
      while (running()) {
        try {
          await sample();
        } catch (error) {
          count('sample', false, (error as Error).message);
        }
        await nap(sampleS * 1000);
      }
      await sample().catch(() => undefined);
    };
    const progress = setInterval(line, Math.min(4000, sampleS * 1000));
    try {
      await Promise.all([flowChurn(), reads(), evcs(), flaps(), reconnects(), sampler()]);
    } finally {
      clearInterval(progress);
    }
    line();

    // ---- every stored flow on its switch ----
    console.log('soak: drivers stopped; checking every stored flow is on its switch (dump-flows), up to 90 s');
    let missing: string[] = [];
    const flowsOnSwitches = async (): Promise<boolean> => {
      const r = await http('GET', `${FLOWS}/stored_flows`);
      const stored = parseExact(r.text) as Record<string, { state: string; flow: { cookie?: number | string; priority?: number; table_id?: number } }[]>;
      missing = [];
      for (const i of RING) {
        const want = new Map<string, number>();
        for (const doc of stored[dpid(i)] ?? []) {
          if (doc.state === 'deleted') continue;
          const key = `${doc.flow.table_id ?? 0}/${doc.flow.priority ?? 32768}/0x${BigInt(doc.flow.cookie ?? 0).toString(16)}`;
          want.set(key, (want.get(key) ?? 0) + 1);
        }
        const have = new Map<string, number>();
        for (const l of await ovs!.dumpFlows(bridge(i))) {
          const cookie = /cookie=(0x[0-9a-f]+)/.exec(l)?.[1] ?? '0x0';
          const table = /table=(\d+)/.exec(l)?.[1] ?? '0';
          const prio = /priority=(\d+)/.exec(l)?.[1] ?? '32768';
          const key = `${table}/${prio}/${cookie}`;
          have.set(key, (have.get(key) ?? 0) + 1);
        }
        for (const [key, n] of want) if ((have.get(key) ?? 0) < n) missing.push(`${bridge(i)} ${key} (stored ${n}, on the switch ${have.get(key) ?? 0})`);
      }
      return missing.length === 0;
    };
    const allThere = await until('flows', flowsOnSwitches, 90_000);
    const storedCount = Object.values(parseExact((await http('GET', `${FLOWS}/stored_flows`)).text) as Record<string, { state: string }[]>)
      .flat()
      .filter((d) => d.state !== 'deleted').length;

    // ---- verdict ----
    return verdict({ minutes, sampleS, warmupMin, enforce, counters, flowsOnSwitches: { ok: allThere, stored: storedCount, missing }, samples }, values.out!);
  } finally {
    await ctl?.stop().catch(() => undefined);
    await ovs?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

interface RunRecord {
  minutes: number;
  sampleS: number;
  warmupMin: number;
  enforce: boolean;
  counters: Counters;
  flowsOnSwitches: { ok: boolean; stored: number; missing: string[] };
  samples: Sample[];
  /** Load average at the end of the run (a re-judged record keeps the original's). */
  loadavg?: number[];
}

/** Fits, judges, prints, and writes the JSON and the plot; the exit code. */
function verdict(run: RunRecord, outDir: string, stamp = timestamp()): number {
  const { minutes, warmupMin, enforce, counters, samples } = run;
  const verdicts = judge(samples, warmupMin);
  const failedOps = Object.entries(counters).filter(([n, c]) => n !== 'rest read' && c.failed > Math.max(2, (c.ok + c.failed) * 0.1));
  const readsFailed = (counters['rest read']?.failed ?? 0) > 0;
  const slopesOk = verdicts.every((v) => v.ok);
  const pass = run.flowsOnSwitches.ok && failedOps.length === 0 && !readsFailed && (!enforce || slopesOk);
  console.log(`\nsoak: ${samples.length} samples over ${minutes} min; least-squares slopes after ${warmupMin.toFixed(1)} min (heap and RSS: through the lowest sample of each ${WINDOW_MIN}-min window):`);
  for (const v of verdicts) {
    console.log(
      `  ${v.series.padEnd(8)} ${v.slopePerHour === null ? 'n/a' : v.slopePerHour.toFixed(2)} ${v.unit}/hour (bound < ${v.maxPerHour}; fit to ${v.fitTo}) ` +
        `${v.first?.toFixed(2)} -> ${v.last?.toFixed(2)} ${v.unit}  ${v.ok ? 'ok' : enforce ? 'FAIL' : 'over (not enforced)'}`,
    );
  }
  console.log(`  operations: ${JSON.stringify(counters)}`);
  const f = run.flowsOnSwitches;
  console.log(`  stored flows on their switches: ${f.ok ? `all ${f.stored}` : `MISSING ${f.missing.length}: ${f.missing.slice(0, 10).join('; ')}`}`);
  for (const [n, c] of failedOps) console.log(`  too many failures of ${n}: ${c.failed} of ${c.ok + c.failed} (last: ${c.lastError})`);
  if (readsFailed) console.log(`  REST reads failed: ${counters['rest read']!.failed} (last: ${counters['rest read']!.lastError})`);

  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, `soak-${stamp}.json`);
  const svgPath = join(outDir, `soak-${stamp}.svg`);
  const label: Record<SeriesName, string> = { heapMB: 'V8 heap used', rssMB: 'RSS', fds: 'open fds', storeMB: 'data dir', lagMs: 'event-loop lag' };
  writeFileSync(
    svgPath,
    timeSeriesPlotSvg(
      `Lattice soak: ${minutes} min (dashed: least-squares fit after ${warmupMin.toFixed(1)} min)`,
      verdicts.map((v) => ({
        name: `${label[v.series]}: ${v.slopePerHour === null ? 'n/a' : v.slopePerHour.toFixed(2)} ${v.unit}/h (bound ${v.maxPerHour}${v.fitTo === 'floor' ? `, fit to ${WINDOW_MIN}-min floors` : ''})`,
        unit: v.unit,
        points: samples.map((s) => ({ tMin: s.tMin, value: s[v.series] })),
        ...(v.fit ? { fit: { slopePerMin: v.fit.slopePerMin, intercept: v.fit.intercept, fromMin: warmupMin } } : {}),
      })),
    ),
  );
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ ...run, pass, loadavg: run.loadavg ?? loadavg(), bounds: BOUNDS, windowMin: WINDOW_MIN, verdicts: verdicts.map(({ fit: _f, ...v }) => v) }, null, 2)}\n`,
  );
  console.log(`soak: ${pass ? 'PASS' : 'FAIL'}; ${jsonPath}\n      plot ${svgPath}`);
  return pass ? 0 : 1;
}

/** `--from <soak-*.json>`: the verdict and plot of a finished run again, with this version's bounds and fits. */
function rejudge(file: string, outDir: string, enforce: boolean | undefined): number {
  const run = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  console.log(`soak: judging ${file} again`);
  return verdict({ ...run, enforce: enforce ?? run.enforce }, outDir, `${basename(file, '.json').replace(/^soak-/, '')}-rejudged`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`soak: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
