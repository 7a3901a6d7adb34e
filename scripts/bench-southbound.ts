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
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { pino } from 'pino';

const SWITCHES = Number(process.env.BENCH_SWITCHES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5000);
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 256);
const DEADLINE_MS = 60_000;

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
  | { ev: 'echo'; rtt: Record<string, number>; perSec: number }
  | { ev: 'closed' }
  | { ev: 'error'; message: string };

async function worker(): Promise<void> {
  const { EmulatedSwitch } = await import('../test/tools/switch-emulator.js');
  const { port, switches, concurrency } = workerData as { port: number; switches: number; concurrency: number };
  const fleet: InstanceType<typeof EmulatedSwitch>[] = [];
  const post = (m: FromWorker) => parentPort!.postMessage(m);
  post({ ev: 'loaded' });
  parentPort!.on('message', async (m: ToWorker) => {
    try {
      if (m.cmd === 'connect') {
        const t0 = performance.now();
        let next = 0;
        const lane = async () => {
          while (next < switches) {
            const i = next++;
            const sw = new EmulatedSwitch({ port, dpid: BigInt(0x100000 + i), ports: 4 });
            fleet.push(sw);
            await sw.waitReady(30_000);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, switches) }, lane));
        post({ ev: 'ready', count: fleet.filter((s) => s.ready).length, ms: performance.now() - t0 });
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
        post({ ev: 'echo', rtt: percentiles(rtts), perSec: Math.round(rtts.length / ((performance.now() - t0) / 1000)) });
      } else if (m.cmd === 'close') {
        for (const s of fleet) s.close();
        post({ ev: 'closed' });
      }
    } catch (err) {
      post({ ev: 'error', message: String(err) });
    }
  });
}

async function main(): Promise<void> {
  const { startProgress } = await import('../load-tests/lib/progress.js');
  const progress = startProgress('bench:southbound', { total: 4 });
  const { ActorSystem, systemClock } = await import('../src/actor/index.js');
  const { Southbound } = await import('../src/southbound/index.js');
  const { switchConnectionMachine } = await import('../actors/switch-connection/machine.js');
  const guard = setTimeout(() => {
    console.error(`bench:southbound: deadline of ${DEADLINE_MS} ms passed; aborting`);
    process.exit(2);
  }, DEADLINE_MS);
  guard.unref();

  const system = new ActorSystem({ clock: systemClock(), log: pino({ level: 'silent' }) });
  const southbound = new Southbound({
    system,
    logic: switchConnectionMachine,
    // Keepalive far away so it does not mix into the echo figures.
    options: { host: '127.0.0.1', port: 0, echoIntervalMs: 120_000, handshakeTimeoutMs: 30_000 },
  });
  const { port } = await southbound.start();
  // The worker loads this same file through tsx's loader (a plain --import does not reach workers on Node 20).
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const w = new Worker(boot, { eval: true, workerData: { port, switches: SWITCHES, concurrency: CONCURRENCY } });
  const next = () =>
    new Promise<FromWorker>((resolve, reject) => {
      w.once('message', (m: FromWorker) => (m.ev === 'error' ? reject(new Error(m.message)) : resolve(m)));
      w.once('error', reject);
    });

  console.log(`bench:southbound — ${SWITCHES} emulated switches (worker thread), ${os.cpus().length} CPUs, node ${process.version}`);
  await next(); // the worker has loaded
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const elu0 = performance.eventLoopUtilization();
  progress.step(`connecting ${SWITCHES} switches`, 0);
  w.postMessage({ cmd: 'connect' } satisfies ToWorker);
  const ready = (await next()) as Extract<FromWorker, { ev: 'ready' }>;
  const elu = performance.eventLoopUtilization(elu0);
  const controllerReady = southbound.list().length;
  global.gc?.();
  const heapPerSwitch = (process.memoryUsage().heapUsed - heap0) / Math.max(1, controllerReady);
  console.log(
    `handshakes: ${ready.count}/${SWITCHES} ready in ${ready.ms.toFixed(0)} ms, ${CONCURRENCY} at a time -> ${Math.round((ready.count / ready.ms) * 1000)} handshakes/s` +
      ` (controller sees ${controllerReady} ready; controller thread busy ${(elu.active / ready.count).toFixed(3)} ms per handshake, utilisation ${(elu.utilization * 100).toFixed(0)} %; ~${(heapPerSwitch / 1024).toFixed(1)} KiB of controller heap per connected switch)`,
  );

  const elu1 = performance.eventLoopUtilization();
  progress.step('switch -> controller echoes, flat out', 1);
  w.postMessage({ cmd: 'echo', ms: PHASE_MS } satisfies ToWorker);
  const up = (await next()) as Extract<FromWorker, { ev: 'echo' }>;
  const eluUp = performance.eventLoopUtilization(elu1);
  console.log(
    `switch -> controller echo RTT (ms), one outstanding per switch: ${JSON.stringify(up.rtt)}, ${up.perSec} echoes/s` +
      ` (controller thread ${((eluUp.active * 1000) / Math.max(1, up.rtt.n)).toFixed(1)} us per echo, utilisation ${(eluUp.utilization * 100).toFixed(0)} %)`,
  );

  const rate = Number(process.env.BENCH_ECHO_RATE ?? 2000);
  progress.step(`switch -> controller echoes at ${rate}/s`, 2);
  w.postMessage({ cmd: 'echo', ms: PHASE_MS, rate } satisfies ToWorker);
  const paced = (await next()) as Extract<FromWorker, { ev: 'echo' }>;
  console.log(`switch -> controller echo RTT (ms), paced at ${rate}/s over all switches: ${JSON.stringify(paced.rtt)}, ${paced.perSec} echoes/s`);

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
  progress.step('controller -> switch echoes', 3);
  const t0 = performance.now();
  const elu2 = performance.eventLoopUtilization();
  await Promise.all(Array.from({ length: INFLIGHT }, lane));
  const eluDown = performance.eventLoopUtilization(elu2);
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `controller -> switch echo RTT via SwitchService.request (ms), ${INFLIGHT} in flight: ${JSON.stringify(percentiles(rtts))}, ${Math.round(rtts.length / secs)} requests/s, ${failures} failed` +
      ` (controller thread ${((eluDown.active * 1000) / Math.max(1, rtts.length)).toFixed(1)} us per request, utilisation ${(eluDown.utilization * 100).toFixed(0)} %)`,
  );

  progress.stop();
  w.postMessage({ cmd: 'close' } satisfies ToWorker);
  await next();
  await w.terminate();
  await southbound.stop();
  system.shutdown();
  clearTimeout(guard);
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  void worker();
}
