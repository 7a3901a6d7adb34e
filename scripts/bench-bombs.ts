/**
 * `npm run bench:bombs`: bodies built to hurt that fit under (or just over)
 * the limits: a deep-nesting bomb, an over-limit body, a wide array (and one
 * under the element limit), an object with many keys and a long string, each sent ROUNDS times to a real
 * controller process on loopback, each at the route's own body limit. Reports
 * the statuses and the controller's RSS growth (VmRSS from /proc) after a
 * warm-up of each (the heap's working size), which should stay under 20 MB,
 * and over all the bombs, warm-up included (from a baseline after small bodies to the same routes); and the controller's CPU time per
 * bomb (utime + stime from /proc: the time its event loop spent on it).
 * `BENCH_BOMB_ROUTES=large` sends them at a 1 MiB limit instead (a route that declares none).
 */
import { readFileSync } from 'node:fs';
import { startControllerProcess } from '../test/helpers/controller-process.js';
import { startProgress } from '../load-tests/lib/progress.js';

const ROUNDS = Number(process.env.BENCH_BOMB_ROUNDS ?? 200);
/** `BENCH_BOMB_ROUTES=large`: the same bombs at a 1 MiB limit (maintenance's window POST) instead. */
const LARGE = process.env.BENCH_BOMB_ROUTES === 'large';
const c = await startControllerProcess({ LATTICE_NAPPS: LARGE ? 'kytos/of_core,kytos/topology,kytos/maintenance' : 'lattice/hello' });
const rss = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${c.child.pid}/status`, 'utf8'))![1]) / 1024;
/** The controller's CPU time so far (ms), from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
const cpu = (): number => {
  const fields = readFileSync(`/proc/${c.child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const base = c.url;
/** Each route's own body limit, as declared (hello's greetings, the core's dead letters; maintenance's windows with `large`). */
const routes = LARGE
  ? [{ method: 'POST', path: '/api/kytos/maintenance/v1/', limit: 1 << 20 }]
  : [
      { method: 'POST', path: '/api/lattice/hello/v1/greetings', limit: 4096 },
      { method: 'PATCH', path: '/api/kytos/core/dead_letter/', limit: 65_536 },
    ];
const fit = (text: string, limit: number, close: string) => text.slice(0, limit - close.length - 64).replace(/,[^,]*$/, '') + close;
const bombs: { name: string; method: string; path: string; body: string }[] = routes.flatMap(({ method, path, limit }) => {
  const half = Math.floor((limit - 2) / 2);
  const tag = `${path.split('/').slice(-3, -1).join('/') || path} (${limit / 1024} KiB)`;
  return [
    { name: `${tag}: deep nesting`, method, path, body: '['.repeat(half) + ']'.repeat(half) },
    { name: `${tag}: over the limit`, method, path, body: `{"name":"${'x'.repeat(limit)}"}` },
    { name: `${tag}: wide array`, method, path, body: fit(`[${'{"a":1},'.repeat(limit / 8)}`, limit, ']') },
    { name: `${tag}: many keys`, method, path, body: fit(`{${Array.from({ length: limit / 8 }, (_, i) => `"k${i}":0`).join(',')}`, limit, '}') },
    // Under every decoding limit (http.maxJsonElements: 100,000): parsed, then refused by the route.
    { name: `${tag}: wide array under the limits`, method, path, body: fit(`[${'{"a":1},'.repeat(Math.min(limit / 8, 49_990))}`, limit, ']') },
    { name: `${tag}: long string`, method, path, body: `{"name":"${'y'.repeat(limit - 64)}"}` },
  ];
});

async function send(bomb: (typeof bombs)[number], rounds: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (let i = 0; i < rounds; i++) {
    const res = await fetch(base + bomb.path, { method: bomb.method, headers: { 'content-type': 'application/json' }, body: bomb.body }).catch(() => undefined);
    if (res) await res.arrayBuffer();
    statuses.set(res?.status ?? 0, (statuses.get(res?.status ?? 0) ?? 0) + 1);
  }
  return statuses;
}

// A line at least every 5 s on a TTY.
const progress = startProgress('bench:bombs', { total: 2 * bombs.length });
let sent = 0;
const start = rss();
// First the baseline: ordinary small bodies to the same routes, so that the process's own settling
// (code compiled, pools filled) is not counted as the bombs' growth.
const SETTLE = Number(process.env.BENCH_BOMB_SETTLE ?? 300);
progress.step('settling: small bodies', 0);
for (const { method, path } of routes) await send({ name: 'settle', method, path, body: '{"name":"x"}' }, SETTLE);
const settled = rss();
// A warm-up of each first: the heap grows to its working size once; what follows must not add to it.
const WARMUP = Number(process.env.BENCH_BOMB_WARMUP ?? 100);
for (const bomb of bombs) {
  progress.step(`warm-up: ${bomb.name}`, sent++);
  await send(bomb, WARMUP);
}
const before = rss();
for (const bomb of bombs) {
  progress.step(bomb.name, sent++);
  const t0 = performance.now();
  const cpu0 = cpu();
  const statuses = await send(bomb, ROUNDS);
  const ms = (performance.now() - t0) / ROUNDS;
  const cpuMs = (cpu() - cpu0) / ROUNDS;
  console.log(
    `${bomb.name.padEnd(52)} ${(Buffer.byteLength(bomb.body) / 1024).toFixed(0).padStart(5)} KiB  statuses ${JSON.stringify(Object.fromEntries(statuses))}  ${ms.toFixed(1)} ms each, controller CPU ${cpuMs.toFixed(1)} ms each  (RSS ${rss().toFixed(0)} MB)`,
  );
}
progress.stop();
const end = rss();
const growth = end - before;
const total = end - settled;
const verdict = (mb: number): string => (mb < 20 ? 'under' : 'OVER');
console.log(
  `controller RSS: ${start.toFixed(0)} MB at start, ${settled.toFixed(0)} MB after ${SETTLE} small bodies per route, ${before.toFixed(0)} MB after ${WARMUP} of each bomb; ` +
    `growth over ${ROUNDS} more of each: ${growth.toFixed(1)} MB (${verdict(growth)} 20 MB); over all the bombs, warm-up included: ${total.toFixed(1)} MB (${verdict(total)} 20 MB)`,
);
await c.stop();
process.exit(growth < 20 && total < 20 ? 0 : 1);
