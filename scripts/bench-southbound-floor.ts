/**
 * The floor under `bench:southbound`'s echo figure: the same emulated switches
 * (worker thread, loopback) against a bare Node TCP server that does nothing
 * but frame bytes and answer ECHO_REQUEST with one socket write, no actors, no
 * codec. Its controller-thread CPU per echo is what Node's socket I/O and the
 * kernel's loopback TCP cost on this machine; the controller cannot go below it
 * while each echo needs its own write.
 *
 *   node --conditions=lattice-source --import tsx scripts/bench-southbound-floor.ts
 */
import net from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const SWITCHES = Number(process.env.BENCH_SWITCHES ?? 1000);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5000);

// ofp_header: version 4, type, length 8, xid 0
const header = (type: number) => Buffer.from([4, type, 0, 8, 0, 0, 0, 0]);
const SET_CONFIG = Buffer.from([4, 9, 0, 12, 0, 0, 0, 1, 0, 0, 0xff, 0xff]);

async function fleetProcess(port: number): Promise<void> {
  const { EmulatedSwitch } = await import('../test/tools/switch-emulator.js');
  const fleet = Array.from({ length: SWITCHES }, (_, i) => new EmulatedSwitch({ port, dpid: BigInt(i + 1) }));
  await Promise.all(fleet.map((s) => s.waitReady(30_000)));
  process.send!('ready');
  await new Promise((r) => process.once('message', r));
  const end = performance.now() + PHASE_MS;
  let n = 0;
  let xid = 1;
  await Promise.all(
    fleet.map(async (sw) => {
      while (performance.now() < end) {
        const x = xid++;
        const waiting = sw.waitFor((m) => m.type === 'echo_reply' && m.xid === x, 5000);
        sw.send({ type: 'echo_request', version: 4, xid: x, data: Buffer.from('bench') });
        await waiting;
        n++;
        if (sw.received.length > 64) sw.received.splice(0, sw.received.length - 8);
      }
    }),
  );
  process.send!(n);
  for (const s of fleet) s.close();
}

async function main(): Promise<void> {
  const server = net.createServer({ noDelay: true }, (s) => {
    s.write(Buffer.concat([header(0), SET_CONFIG]));
    let held = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      let b = held.length ? Buffer.concat([held, chunk]) : chunk;
      const out: Buffer[] = [];
      while (b.length >= 8 && b.length >= b.readUInt16BE(2)) {
        const len = b.readUInt16BE(2);
        if (b[1] === 2) {
          const r = Buffer.from(b.subarray(0, len));
          r[1] = 3;
          out.push(r);
        }
        b = b.subarray(len);
      }
      held = b.length ? Buffer.from(b) : Buffer.alloc(0);
      if (out.length) s.write(out.length === 1 ? out[0] : Buffer.concat(out));
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, FLOOR_PORT: String(port) },
    execArgv: ['--conditions=lattice-source', '--import', 'tsx'],
  });
  await new Promise((r) => child.once('message', r));
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  child.send('go');
  const n = (await new Promise((r) => child.once('message', r))) as number;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `floor: bare Node server, ${SWITCHES} switches, ${n} echoes, ${Math.round(n / (PHASE_MS / 1000))}/s; server process CPU ${((cpu.user + cpu.system) / n).toFixed(1)} us per echo (thread busy ${((elu.active * 1000) / n).toFixed(1)} us, utilisation ${(elu.utilization * 100).toFixed(0)} %)`,
  );
  child.kill();
  server.close();
}

if (process.env.FLOOR_PORT) void fleetProcess(Number(process.env.FLOOR_PORT));
else main().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
