/**
 * `npm run bench:southbound`: OpenFlow handshakes per second and echo round-trip
 * percentiles with many switch connections, in one bounded run (~20 s).
 *
 * The controller (ActorSystem + Southbound + switch-connection actors) runs in
 * the main thread; a fleet of emulated switches (test/tools/switch-emulator.ts)
 * runs in a worker thread, so the two sides get separate event loops. All
 * traffic stays on 127.0.0.1.
 *
 * Phases:
 *   1. handshakes: BENCH_SWITCHES switches connect, BENCH_CONCURRENCY at a time;
 *      handshakes/s = switches / time until the last one is ready.
 *   2. switch -> controller echo: every switch sends ECHO_REQUESTs for
 *      BENCH_PHASE_MS, one outstanding each (saturation: throughput); then paced
 *      at BENCH_ECHO_RATE echoes/s over the fleet (latency at a steady load);
 *      RTT measured in the worker.
 *   3. controller -> switch echo: SwitchService.request(echo) to every switch,
 *      BENCH_INFLIGHT outstanding, for BENCH_PHASE_MS; RTT measured in the
 *      controller (actor ask -> socket -> emulator -> socket -> actor -> reply).
 *
 * Scale (10,000 switches): BENCH_PROCS=n runs the fleet in n child processes
 * instead of one worker thread (each process holds switches/n sockets), and
 * BENCH_REAL=1 runs the whole controller of src/main.ts with kytos/of_core
 * (its stats polling, its events) and the default keepalive (echo every 5 s)
 * instead of a bare Southbound. Each switch is one file descriptor on each
 * side: the controller needs `ulimit -n` above the switch count (raise the
 * soft limit up to the hard one with `ulimit -n $(ulimit -Hn)`), e.g.
 *
 *   ulimit -n 20000; BENCH_SWITCHES=10000 BENCH_PROCS=4 BENCH_REAL=1 npm run bench:southbound
 *
 * BENCH_STATS_STAGGER_STEP=<seconds> sets of_core's stagger step (BENCH_REAL).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import os from 'node:os';
import { pino } from 'pino';

const SWITCHES = Number(process.env.BENCH_SWITCHES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5000);
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 256);
const PROCS = Number(process.env.BENCH_PROCS ?? 0);
const REAL = process.env.BENCH_REAL === '1';
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? Math.max(60_000, SWITCHES * 12));

function percentiles(samples: number[]): Record<string, number> {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), max: r(s.at(-1) ?? NaN) };
}

type ToWorker = { cmd: 'connect' } | { cmd: 'echo'; ms: number; rate?: number } | { cmd: 'close' };
type FromWorker =
  | { ev: 'loaded' }
  | { ev: 'ready'; count: number; ms: number }
  | { ev: 'echo'; rtts: number[]; ms: number }
  | { ev: 'closed' }
  | { ev: 'error'; message: string };

/** What one part of the fleet (worker thread or child process) is given. */
interface FleetPart {
  port: number;
  switches: number;
  concurrency: number;
  /** dpid of its first switch. */
  firstDpid: number;
}

/** One part of the fleet: a worker thread, or a child process (BENCH_PROCS). */
async function worker(part: FleetPart, post: (m: FromWorker) => void, on: (handler: (m: ToWorker) => void) => void): Promise<void> {
  const { EmulatedSwitch } = await import('../test/tools/switch-emulator.js');
  const { port, switches, concurrency, firstDpid } = part;
  const fleet: InstanceType<typeof EmulatedSwitch>[] = [];
  post({ ev: 'loaded' });
  on(async (m: ToWorker) => {
    try {
      if (m.cmd === 'connect') {
        const t0 = performance.now();
        let next = 0;
        const lane = async () => {
          while (next < switches) {
            const i = next++;
            const sw = new EmulatedSwitch({ port, dpid: BigInt(firstDpid + i), ports: 4 });
            fleet.push(sw);
            await sw.waitReady(30_000);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, switches) }, lane));
        post({ ev: 'ready', count: fleet.filter((s) => s.ready).length, ms: performance.now() - t0 });
        // An emulated switch records every frame and message it receives; with keepalive on
        // (BENCH_REAL) that grows without bound and the fleet's own GC pauses would show up in
        // the RTTs it measures. Keep only the recent ones.
        setInterval(() => {
          for (const sw of fleet) {
            if (sw.frames.length > 64) sw.frames.length = 0;
            if (sw.received.length > 64) sw.received.splice(0, sw.received.length - 8);
          }
        }, 1000).unref();
      } else if (m.cmd === 'echo') {
        const rtts: number[] = [];
        const end = performance.now() + m.ms;
        let xid = 1;
        // Closed loop (one outstanding per switch, as fast as possible), or paced: each
        // switch sends every fleet/rate seconds, so the fleet offers `rate` echoes/s in total.
        const gapMs = m.rate ? (fleet.length / m.rate) * 1000 : 0;
        const loop = async (sw: (typeof fleet)[number], k: number) => {
          if (gapMs) await new Promise((r) => setTimeout(r, (k / fleet.length) * gapMs));
          while (performance.now() < end && !sw.closed) {
            const x = 0x70000000 + xid++;
            const t = performance.now();
            const waiting = sw.waitFor((r) => r.type === 'echo_reply' && r.xid === x, 5000);
            sw.send({ type: 'echo_request', version: 4, xid: x, data: Buffer.from('bench') });
            await waiting;
            rtts.push(performance.now() - t);
            // keep `received` from growing without bound
            if (sw.received.length > 64) sw.received.splice(0, sw.received.length - 8);
            if (gapMs) await new Promise((r) => setTimeout(r, Math.max(0, gapMs - (performance.now() - t))));
          }
        };
        const t0 = performance.now();
        await Promise.all(fleet.map((sw, k) => loop(sw, k)));
        post({ ev: 'echo', rtts, ms: performance.now() - t0 });
      } else if (m.cmd === 'close') {
        for (const s of fleet) s.close();
        post({ ev: 'closed' });
      }
    } catch (err) {
      post({ ev: 'error', message: String(err) });
    }
  });
}

/** The emulated fleet, split over parts; each command is answered by every part. */
interface Fleet {
  send(cmd: ToWorker): void;
  next(): Promise<FromWorker[]>;
  stop(): Promise<void>;
}

function startFleet(port: number): Fleet {
  const parts = Math.max(1, PROCS);
  const members: { post(m: ToWorker): void; on(h: (m: FromWorker) => void): void; stop(): Promise<void> }[] = [];
  let first = 0x100000;
  for (let k = 0; k < parts; k++) {
    const switches = Math.floor(SWITCHES / parts) + (k < SWITCHES % parts ? 1 : 0);
    const part: FleetPart = { port, switches, concurrency: Math.max(1, Math.round(CONCURRENCY / parts)), firstDpid: first };
    first += switches;
    if (PROCS > 0) {
      const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
        env: { ...process.env, BENCH_PART: JSON.stringify(part) },
        execArgv: ['--conditions=lattice-source', '--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      members.push({
        post: (m) => child.send(m),
        on: (h) => child.on('message', (m) => h(m as FromWorker)),
        stop: () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill()))),
      });
    } else {
      // The worker loads this same file through tsx's loader (a plain --import does not reach workers on Node 20).
      const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
      const w = new Worker(boot, { eval: true, workerData: part });
      members.push({ post: (m) => w.postMessage(m), on: (h) => w.on('message', h), stop: () => w.terminate().then(() => undefined) });
    }
  }
  const inbox: FromWorker[][] = members.map(() => []);
  let waiting: (() => void) | undefined;
  members.forEach((m, i) =>
    m.on((msg) => {
      inbox[i].push(msg);
      waiting?.();
    }),
  );
  return {
    send: (cmd) => members.forEach((m) => m.post(cmd)),
    next: async () => {
      while (inbox.some((q) => q.length === 0)) await new Promise<void>((r) => (waiting = r));
      const got = inbox.map((q) => q.shift()!);
      const err = got.find((m) => m.ev === 'error');
      if (err && err.ev === 'error') throw new Error(err.message);
      return got;
    },
    stop: async () => {
      await Promise.all(members.map((m) => m.stop()));
    },
  };
}

/** The controller under test: a bare Southbound, or (BENCH_REAL) the whole of src/main.ts with kytos/of_core. */
async function startControllerUnderTest() {
  const { ActorSystem, systemClock } = await import('../src/actor/index.js');
  if (REAL) {
    const { startController, tempDataDir } = await import('../src/main.js');
    const main = await startController({
      overrides: {
        http: { host: '127.0.0.1', port: 0 },
        openflow: {
          host: '127.0.0.1',
          port: 0,
          handshakeTimeoutMs: 60_000,
          // BENCH_ECHO_INTERVAL_MS: the keepalive interval (default: the config's, 5 s).
          ...(process.env.BENCH_ECHO_INTERVAL_MS ? { echoIntervalMs: Number(process.env.BENCH_ECHO_INTERVAL_MS) } : {}),
        },
        store: { dataDir: tempDataDir() },
        // of_core staggers switch n's first stats round by (n x STATS_STAGGER_STEP) mod STATS_STAGGER_SPAN
        // seconds (Kytos' rule): with the default 3 s step, 10,000 switches poll in 10 bursts of 1,000.
        // BENCH_STATS_STAGGER_STEP (seconds) sets the step, e.g. span / switches = 0.003 for an even spread.
        napps: {
          enabled: ['kytos/of_core'],
          // BENCH_OF_CORE_SETTINGS: any of its settings, as JSON (e.g. '{"STATS_INTERVAL":3600}').
          settings: {
            'kytos/of_core': {
              ...(process.env.BENCH_STATS_STAGGER_STEP ? { STATS_STAGGER_STEP: Number(process.env.BENCH_STATS_STAGGER_STEP) } : {}),
              ...(JSON.parse(process.env.BENCH_OF_CORE_SETTINGS ?? '{}') as Record<string, unknown>),
            },
          },
        },
      },
      log: pino({ level: 'silent' }),
    });
    return { system: main.system, southbound: main.southbound, port: main.openflowPort, stop: () => main.stop().then(() => undefined) };
  }
  const { Southbound } = await import('../src/southbound/index.js');
  const { switchConnectionMachine } = await import('../actors/switch-connection/machine.js');
  const system = new ActorSystem({ clock: systemClock(), log: pino({ level: 'silent' }) });
  const southbound = new Southbound({
    system,
    logic: switchConnectionMachine,
    // Keepalive far away so it does not mix into the echo figures.
    options: { host: '127.0.0.1', port: 0, echoIntervalMs: 120_000, handshakeTimeoutMs: 30_000 },
  });
  const { port } = await southbound.start();
  return {
    system,
    southbound,
    port,
    stop: async () => {
      await southbound.stop();
      system.shutdown();
    },
  };
}

async function main(): Promise<void> {
  const guard = setTimeout(() => {
    console.error(`bench:southbound: deadline of ${DEADLINE_MS} ms passed; aborting`);
    process.exit(2);
  }, DEADLINE_MS);
  guard.unref();

  const { southbound, port, stop } = await startControllerUnderTest();
  const fleet = startFleet(port);
  const next = async <E extends FromWorker['ev']>(_ev: E) => (await fleet.next()) as Extract<FromWorker, { ev: E }>[];
  // With the fleet in other processes, this process's CPU time (user + system, every thread:
  // GC helpers included) is the controller's alone, and unlike event-loop busy time it
  // does not count time the thread was runnable but descheduled on a loaded machine.
  const cpuPer = (since: NodeJS.CpuUsage, n: number) => {
    if (PROCS === 0) return '';
    const c = process.cpuUsage(since);
    return `; controller process CPU ${((c.user + c.system) / Math.max(1, n)).toFixed(1)} us each`;
  };
  const merged = (parts: Extract<FromWorker, { ev: 'echo' }>[]) => {
    const rtts = parts.flatMap((p) => p.rtts);
    return { rtt: percentiles(rtts), perSec: Math.round(rtts.length / (Math.max(...parts.map((p) => p.ms)) / 1000)) };
  };

  const where = PROCS > 0 ? `${PROCS} emulator processes` : 'worker thread';
  console.log(
    `bench:southbound — ${SWITCHES} emulated switches (${where}), ${REAL ? 'whole controller with kytos/of_core, keepalive on' : 'bare Southbound'}, ${os.cpus().length} CPUs, node ${process.version}`,
  );
  await next('loaded'); // the fleet has loaded
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  fleet.send({ cmd: 'connect' });
  const readyParts = await next('ready');
  const ready = { count: readyParts.reduce((n, p) => n + p.count, 0), ms: Math.max(...readyParts.map((p) => p.ms)) };
  const elu = performance.eventLoopUtilization(elu0);
  const cpuHs = cpuPer(cpu0, ready.count);
  const controllerReady = southbound.list().length;
  global.gc?.();
  const heapPerSwitch = (process.memoryUsage().heapUsed - heap0) / Math.max(1, controllerReady);
  // BENCH_HEAP_SNAPSHOT=<file>: where that heap goes (open in DevTools, or sum self sizes by constructor).
  if (process.env.BENCH_HEAP_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
  console.log(
    `handshakes: ${ready.count}/${SWITCHES} ready in ${ready.ms.toFixed(0)} ms, ${CONCURRENCY} at a time -> ${Math.round((ready.count / ready.ms) * 1000)} handshakes/s` +
      ` (controller sees ${controllerReady} ready; controller thread busy ${(elu.active / ready.count).toFixed(3)} ms per handshake, utilisation ${(elu.utilization * 100).toFixed(0)} %${cpuHs}; ~${(heapPerSwitch / 1024).toFixed(1)} KiB of controller heap per connected switch)`,
  );

  const elu1 = performance.eventLoopUtilization();
  const cpu1 = process.cpuUsage();
  fleet.send({ cmd: 'echo', ms: PHASE_MS });
  const up = merged(await next('echo'));
  const eluUp = performance.eventLoopUtilization(elu1);
  const cpuUp = cpuPer(cpu1, up.rtt.n);
  console.log(
    `switch -> controller echo RTT (ms), one outstanding per switch: ${JSON.stringify(up.rtt)}, ${up.perSec} echoes/s` +
      ` (controller thread ${((eluUp.active * 1000) / Math.max(1, up.rtt.n)).toFixed(1)} us per echo, utilisation ${(eluUp.utilization * 100).toFixed(0)} %${cpuUp})`,
  );

  const rate = Number(process.env.BENCH_ECHO_RATE ?? 2000);
  // Each part offers its share of the rate. The controller's own stalls (event-loop delay,
  // GC pauses) are measured alongside, to tell them from the fleet's on a loaded machine.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries().map((e) => e.duration)));
  loopDelay.enable();
  gcObserver.observe({ entryTypes: ['gc'] });
  fleet.send({ cmd: 'echo', ms: PHASE_MS, rate: rate / Math.max(1, PROCS) });
  const paced = merged(await next('echo'));
  loopDelay.disable();
  gcObserver.disconnect();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  console.log(
    `switch -> controller echo RTT (ms), paced at ${rate}/s over all switches: ${JSON.stringify(paced.rtt)}, ${paced.perSec} echoes/s` +
      ` (controller event-loop delay p50 ${ms(loopDelay.percentile(50))} p99 ${ms(loopDelay.percentile(99))} max ${ms(loopDelay.max)} ms;` +
      ` ${gcPauses.length} GC pauses, longest ${Math.round(Math.max(0, ...gcPauses) * 10) / 10} ms, ${Math.round(gcPauses.reduce((a, b) => a + b, 0))} ms in all)`,
  );

  const dpids = southbound.list().map((s) => s.dpid);
  const rtts: number[] = [];
  const end = performance.now() + PHASE_MS;
  let i = 0;
  let failures = 0;
  const lane = async () => {
    while (performance.now() < end) {
      const d = dpids[i++ % dpids.length];
      const t = performance.now();
      try {
        await southbound.request(d, { type: 'echo_request', version: 4, xid: 0, data: Buffer.from('bench') }, { timeoutMs: 5000 });
        rtts.push(performance.now() - t);
      } catch {
        failures++;
      }
    }
  };
  const t0 = performance.now();
  const elu2 = performance.eventLoopUtilization();
  const cpu2 = process.cpuUsage();
  await Promise.all(Array.from({ length: INFLIGHT }, lane));
  const eluDown = performance.eventLoopUtilization(elu2);
  const cpuDown = cpuPer(cpu2, rtts.length);
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `controller -> switch echo RTT via SwitchService.request (ms), ${INFLIGHT} in flight: ${JSON.stringify(percentiles(rtts))}, ${Math.round(rtts.length / secs)} requests/s, ${failures} failed` +
      ` (controller thread ${((eluDown.active * 1000) / Math.max(1, rtts.length)).toFixed(1)} us per request, utilisation ${(eluDown.utilization * 100).toFixed(0)} %${cpuDown})`,
  );

  fleet.send({ cmd: 'close' });
  await next('closed');
  await fleet.stop();
  await stop();
  clearTimeout(guard);
}

if (process.env.BENCH_PART) {
  // A child process holding part of the fleet.
  const part = JSON.parse(process.env.BENCH_PART) as FleetPart;
  void worker(
    part,
    (m) => process.send!(m),
    (h) => process.on('message', (m) => h(m as ToWorker)),
  );
  process.on('disconnect', () => process.exit(0));
} else if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  void worker(
    workerData as FleetPart,
    (m) => parentPort!.postMessage(m),
    (h) => parentPort!.on('message', h),
  );
}
