/**
 * `npm run bench:flood`: a good switch's echo round trip while another peer
 * floods 10,000 malformed messages, with the malformed-message budget off
 * (every one answered) and on (the default: the peer is closed at 101).
 * Controller, good switch and flooder share this process (one event loop),
 * so the numbers include the emulators' own work; compare the two runs.
 */
import { encodeMessage } from '../src/openflow/index.js';
import { systemClock } from '../src/actor/clock.js';
import { startController } from '../test/integration/southbound/harness.js';
import { EmulatedSwitch } from '../test/tools/switch-emulator.js';
import { startProgress } from '../load-tests/lib/progress.js';

const FLOOD = Number(process.env.BENCH_FLOOD_N ?? 10_000);
const ECHOES = Number(process.env.BENCH_FLOOD_ECHOES ?? 200);
const clock = systemClock();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(label: string, malformedBudget: number): Promise<void> {
  const c = await startController({ malformedBudget });
  const good = new EmulatedSwitch({ port: c.port, dpid: 1n });
  const flooder = new EmulatedSwitch({ port: c.port, dpid: 2n });
  await Promise.all([good.waitReady(), flooder.waitReady()]);
  const bad = Buffer.alloc(12 * FLOOD);
  for (let i = 0; i < FLOOD; i++) {
    bad.writeUInt8(4, i * 12);
    bad.writeUInt8(0xf0, i * 12 + 1);
    bad.writeUInt16BE(12, i * 12 + 2);
    bad.writeUInt32BE(500_000 + i, i * 12 + 4);
  }
  const rtts: number[] = [];
  flooder.sendRaw(bad);
  for (let i = 0; i < ECHOES; i++) {
    const xid = 900_000 + i;
    const t0 = clock.monotonic();
    const reply = good.waitFor((m) => m.type === 'echo_reply' && m.xid === xid, 10_000);
    good.sendRaw(encodeMessage({ type: 'echo_request', version: 4, xid, data: Buffer.alloc(0) }));
    await reply;
    rtts.push(clock.monotonic() - t0);
  }
  rtts.sort((a, b) => a - b);
  const answered = flooder.received.filter((m) => m.type === 'error').length;
  console.log(
    `${label.padEnd(38)} echo RTT ms p50 ${percentile(rtts, 50).toFixed(2)} p99 ${percentile(rtts, 99).toFixed(2)} max ${rtts[rtts.length - 1]!.toFixed(2)}` +
      ` (${ECHOES} echoes; flooder got ${answered} errors, ${flooder.closed ? 'closed' : 'still connected'})`,
  );
  good.close();
  flooder.close();
  await c.stop();
}

// A line at least every 5 s on a TTY.
const progress = startProgress('bench:flood', { total: 2 });
progress.step('budget off', 0);
await run('budget off (every message answered)', 0);
progress.step('budget 100 per 10 s', 1);
await run('budget 100 per 10 s (default)', 100);
progress.stop();
