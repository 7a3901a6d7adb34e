/**
 * npm run bench:evc [-- --evcs 1000] [--concurrency 16] [--failover 100,1000]
 *
 * kytos/mef_eline on real Open vSwitch (userspace, dummy datapath): a ring of 10 bridges, the
 * controller in this process (test kit: of_core, topology, flow_manager, pathfinder, mef_eline,
 * embedded store). UNIs on s1 port 1 and s6 port 1 (5 hops each way round the ring).
 *   1. Creation: --evcs EVPL EVCs (UNI VLAN i <-> i, i = 1..N), --concurrency POSTs at a time; each
 *      answers once its flows are confirmed by BARRIER_REPLY (deployed: true). EVCs per second.
 *      Tags: UNI VLANs 1..N on both UNIs; S-VLANs 1..N on every ring link (current and failover
 *      paths are disjoint halves of the ring, so each link carries one S-VLAN per EVC).
 *   2. Failover convergence, for each --failover count: that many EVCs on the path, then one
 *      link of their current path is cut (its patch port deleted): time from the PORT_STATUS
 *      that takes it down to the last EVC swapped (failover_link_down, emitted after the
 *      failover flows' BARRIER_REPLY), and to the last BARRIER_REPLY received before the first of
 *      those events (the failover flows confirmed). Then every EVC is deleted and the ring rebuilt.
 *      --failover none skips this part.
 * Prints the load average with each figure (the machine is shared: figures are noisy), and the CPU
 * this process (controller and client) spent per EVC created.
 * Prints a table; writes load-tests/results/bench-evc-<timestamp>.json and, beside it, an SVG plot of
 * the creation POSTs' latency percentiles (--no-svg to skip). A progress line at least every 5 s on a TTY.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { interfaceIsNni } from '../src/sdk/index.js';
import { createTestController, type TestController } from '../src/sdk/test-kit.js';
import { linkId } from '../napps/kytos/topology/state.js';
import { dpidColon, startOvs, type Ovs } from '../test/env/ovs.js';
import { startProgress, type Progress } from './lib/progress.js';
import { latencyPlotSvg, summaryPoints } from './lib/svg-plot.js';
import { PROJECT_ROOT } from './lib/tool-select.js';

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const N = 10;
const EVC = '/api/kytos/mef_eline/v2/evc/';
const dpid = (i: number) => dpidColon(0x7000 + i);
const intf = (i: number, p: number) => `${dpid(i)}:${p}`;
const next = (i: number) => (i % N) + 1;
const ringLink = (i: number) => linkId(intf(i, 2), intf(next(i), 3));

async function until<T>(fn: () => Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ring(c: TestController, ovs: Ovs): Promise<void> {
  for (let i = 1; i <= N; i++) await ovs.link(`s${i}`, `s${next(i)}`, { aOfport: 2, bOfport: 3 });
  await until(async () => {
    const intfs = (await c.http.get('/api/kytos/topology/v3/interfaces')).body.interfaces as Record<string, { active: boolean }>;
    return Array.from({ length: N }, (_, k) => k + 1).every((i) => intfs[intf(i, 2)]?.active && intfs[intf(i, 3)]?.active);
  }, 30_000, 'ring ports');
  for (let i = 1; i <= N; i++) c.bus.publish(interfaceIsNni.type, { interface_a: { id: intf(i, 2) }, interface_b: { id: intf(next(i), 3) } });
  await until(async () => {
    const links = (await c.http.get('/api/kytos/topology/v3/links')).body.links as Record<string, { status: string }>;
    return Array.from({ length: N }, (_, k) => k + 1).every((i) => links[ringLink(i)]?.status === 'UP');
  }, 30_000, 'ring links UP');
}

/** Nearest-rank percentile of sorted values. */
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

async function createMany(c: TestController, count: number, concurrency: number, progress?: Progress, what = 'creating'): Promise<{ ids: string[]; seconds: number; latencyMs: number[] }> {
  const ids: string[] = [];
  const latencyMs: number[] = [];
  let nextTag = 1;
  const t0 = performance.now();
  const worker = async () => {
    while (nextTag <= count) {
      const tag = nextTag++;
      progress?.step(`${what} EVC ${tag}/${count}`);
      const sent = performance.now();
      const r = await c.http.post(EVC, {
        name: `bench-${tag}`,
        dynamic_backup_path: true,
        uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: tag } },
        uni_z: { interface_id: intf(6, 1), tag: { tag_type: 'vlan', value: tag } },
      });
      if (r.status !== 201 || r.body.deployed !== true) throw new Error(`EVC ${tag}: ${r.status} ${r.text}`);
      latencyMs.push(performance.now() - sent);
      ids.push(r.body.circuit_id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ids, seconds: (performance.now() - t0) / 1000, latencyMs };
}

async function removeAll(c: TestController, ids: string[], concurrency: number): Promise<void> {
  let k = 0;
  const worker = async () => {
    while (k < ids.length) {
      const id = ids[k++]!;
      const r = await c.http.delete(`${EVC}${id}`);
      if (r.status !== 200) throw new Error(`delete ${id}: ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { evcs: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '16' }, failover: { type: 'string', default: '100,1000' }, 'no-svg': { type: 'boolean', default: false } },
  });
  const evcs = Number(values.evcs);
  const concurrency = Number(values.concurrency);
  const failovers = values.failover!.split(',').filter((x) => x !== '' && x !== 'none').map(Number);
  const c = await createTestController({
    config: {
      openflow: { echoIntervalMs: 5000 },
      napps: {
        enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline'],
        settings: { 'kytos/topology': { LINK_UP_TIMER: 0.2 }, 'kytos/of_core': { STATS_INTERVAL: 600, FLOW_STATS_INTERVAL: 600 }, 'kytos/flow_manager': { CONSISTENCY_INTERVAL: 600, WAIT_TIMEOUT: 60 }, 'kytos/mef_eline': { CONSISTENCY_INTERVAL: 0, ASK_TIMEOUT_MS: 120_000 } },
      },
    },
  });
  const ovs = await startOvs();
  const results: Record<string, unknown> = { ring: N, uni: [intf(1, 1), intf(6, 1)], loadAtStart: load() };
  console.log(`load average at start: ${load()}`);
  const progress = startProgress('bench:evc', { total: 1 + failovers.length });
  progress.step('ring set-up', 0);
  try {
    await ovs.addBridges(Array.from({ length: N }, (_, k) => ({ name: `s${k + 1}`, dpid: 0x7001 + k, ports: [{ name: `s${k + 1}-eth1`, ofport: 1 }] })));
    await ovs.setControllers(Array.from({ length: N }, (_, k) => `s${k + 1}`), c.openflowPort);
    await until(async () => c.controller.southbound.list().length === N, 30_000, 'switches');
    await ring(c, ovs);

    const cpu0 = process.cpuUsage();
    const created = await createMany(c, evcs, concurrency, progress);
    const cpu = process.cpuUsage(cpu0);
    const cpuMsPerEvc = (cpu.user + cpu.system) / 1000 / evcs;
    const withFailover = async () => {
      progress.step('waiting for every failover path');
      return until(async () => Object.values((await c.http.get(EVC)).body as Record<string, { failover_path: unknown[] }>).every((e) => e.failover_path.length > 0), 300_000, 'failover paths');
    };
    const tf = performance.now();
    await withFailover();
    const failoverSetup = created.seconds + (performance.now() - tf) / 1000;
    const sorted = [...created.latencyMs].sort((a, b) => a - b);
    const creationLatency = { p50: pct(sorted, 50), p90: pct(sorted, 90), p95: pct(sorted, 95), p99: pct(sorted, 99), max: sorted.at(-1) ?? NaN };
    results.creation = { evcs, concurrency, latencyMs: creationLatency, seconds: created.seconds, perSecond: evcs / created.seconds, cpuMsPerEvc, load: load(), withFailoverSeconds: failoverSetup, tags: `UNI VLANs 1..${evcs}; S-VLANs 1..${evcs} per ring link` };
    console.log(`creation: ${evcs} EVCs in ${created.seconds.toFixed(2)} s = ${(evcs / created.seconds).toFixed(1)} EVCs/s (deployed, flows confirmed); every failover path set up after ${failoverSetup.toFixed(2)} s; p50 ${creationLatency.p50.toFixed(0)} ms, p99 ${creationLatency.p99.toFixed(0)} ms per POST; CPU of this process (controller and client) ${cpuMsPerEvc.toFixed(1)} ms per EVC (load average ${load()})`);
    console.log(`tags: UNI VLANs 1..${evcs} on ${intf(1, 1)} and ${intf(6, 1)}; S-VLANs 1..${evcs} on both ends of every ring link (each EVC: 5 links on its current path, 5 on its failover)`);
    await removeAll(c, created.ids, concurrency);

    const fo: unknown[] = [];
    for (const [k, count] of failovers.entries()) {
      progress.step(`failover with ${count} EVCs`, 1 + k);
      const { ids } = await createMany(c, count, concurrency, progress, `failover ${count}: creating`);
      await withFailover();
      const first = (await c.http.get(`${EVC}${ids[0]}`)).body;
      const cutLink = first.current_path[1].id as string;
      const i = Array.from({ length: N }, (_, k) => k + 1).find((x) => ringLink(x) === cutLink)!;
      let portStatusAt = 0;
      let swapped = 0;
      let lastAt = 0;
      let lastBarrierAt = 0;
      let barrierBeforeSwap = 0;
      const offPs = c.bus.on(['kytos/of_core\\.v0x04\\.messages\\.in\\.ofpt_port_status'], () => {
        if (portStatusAt === 0) portStatusAt = performance.now();
      });
      // The failover flows are confirmed by the BARRIER_REPLYs that come before the swapped EVCs are announced.
      const offBr = c.bus.on(['kytos/of_core\\.v0x04\\.messages\\.in\\.ofpt_barrier_reply'], () => {
        if (portStatusAt > 0 && swapped === 0) lastBarrierAt = performance.now();
      });
      const offSw = c.bus.on(['kytos/mef_eline\\.failover_link_down'], () => {
        if (swapped === 0) barrierBeforeSwap = lastBarrierAt;
        swapped++;
        lastAt = performance.now();
      });
      await ovs.delPort(`s${i}`, `s${i}-s${next(i)}`);
      await until(async () => swapped >= count, 120_000, `${count} EVCs swapped`);
      offPs();
      offBr();
      offSw();
      const ms = lastAt - portStatusAt;
      const barrierMs = barrierBeforeSwap - portStatusAt;
      fo.push({ evcs: count, ms, barrierMs, load: load() });
      console.log(`failover: ${count} EVCs over one link: PORT_STATUS -> last failover BARRIER_REPLY ${barrierMs.toFixed(1)} ms, -> last failover_link_down ${ms.toFixed(1)} ms (load average ${load()})`);
      await removeAll(c, ids, concurrency);
      await ovs.delPort(`s${next(i)}`, `s${next(i)}-s${i}`);
      await ovs.link(`s${i}`, `s${next(i)}`, { aOfport: 2, bOfport: 3 });
      await until(async () => {
        const links = (await c.http.get('/api/kytos/topology/v3/links')).body.links as Record<string, { status: string }>;
        return links[ringLink(i)]?.status === 'UP';
      }, 30_000, 'link back');
    }
    results.failover = fo;
    const dir = join(PROJECT_ROOT, 'load-tests', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bench-evc-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(results, null, 2));
    console.log(`JSON: ${file}`);
    if (!values['no-svg']) {
      const svg = file.replace(/\.json$/, '.svg');
      writeFileSync(svg, latencyPlotSvg(`bench:evc: POST v2/evc/ until deployed, ${evcs} EVCs, ${concurrency} at a time`, [{ name: 'EVC creation', points: summaryPoints(creationLatency) }]));
      console.log(`SVG: ${svg}`);
    }
  } finally {
    progress.stop();
    await c.stop();
    await ovs.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
