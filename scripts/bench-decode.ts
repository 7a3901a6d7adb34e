/**
 * npm run bench:decode [-- --flows 1000] [--batches 15] [--json out.json]
 *
 * What exact, bounded request decoding costs (src/http/json-decode.ts, msgpack-decode.ts):
 *   1. a flow_manager body of N flows ({"flows": [{"priority", "match", "actions"}, ...]}),
 *      plain JSON.parse against decodeJson (scan, then JSON.parse), and the same with a
 *      64-bit cookie in every flow (scan, tag the unsafe literals, JSON.parse, untag);
 *      msgpack likewise, plain msgpackr unpack against decodeMsgpack (scan, unpack);
 *   2. refusing hostile bodies under the default 1 MiB body limit: a 500,000-deep JSON
 *      array and a 1,000,000-deep msgpack array (and a wide one of each), time to refuse and
 *      RSS growth, with the default limits (depth 64, 100,000 elements).
 * Figures are medians over batches (each batch runs for at least ~50 ms). Not a test: no
 * threshold, nothing fails on speed. Run with --expose-gc for steadier RSS figures.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Packr } from 'msgpackr';
import type { DecodeLimits } from '../src/http/decode-limits.js';
import { decodeJson } from '../src/http/json-decode.js';
import { decodeMsgpack } from '../src/http/msgpack-decode.js';
import { startProgress } from '../load-tests/lib/progress.js';

const LIMITS: DecodeLimits = { maxDepth: 64, maxElements: 100_000, maxKeys: 1000, maxStringBytes: 65_536 };
const packr = new Packr({ useRecords: false, moreTypes: false });
/** On a terminal, a line at least every 5 s; the timing loops are synchronous, so they poll it. */
const progress = startProgress('bench:decode');
let measured = 0;

function flowsBody(count: number, cookie: boolean): Record<string, unknown> {
  const flows = Array.from({ length: count }, (_, i) => ({
    priority: 10,
    ...(cookie ? { cookie: 12321848580485677057n + BigInt(i) } : {}),
    match: { in_port: 1 + (i % 48), dl_vlan: 100 + (i % 4000) },
    actions: [{ action_type: 'output', port: 2 }],
  }));
  return { flows };
}

const toJsonText = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `\u0000${v}` : v)).replace(/"\\u0000(\d+)"/g, '$1');

/** How many calls make a batch of at least ~50 ms. */
function batchSize(fn: () => unknown): number {
  for (let k = 0; k < 20; k++) fn();
  let per = 1;
  for (;;) {
    const t0 = performance.now();
    for (let k = 0; k < per; k++) fn();
    if (performance.now() - t0 >= 50) return per;
    per *= 2;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median microseconds per call of each function, their batches interleaved so drift hurts both alike. */
function timeEach(fns: (() => unknown)[], batches: number): number[] {
  const sizes = fns.map(batchSize);
  const samples: number[][] = fns.map(() => []);
  for (let b = 0; b < batches; b++) {
    progress.poll();
    fns.forEach((fn, f) => {
      const per = sizes[f]!;
      const t0 = performance.now();
      for (let k = 0; k < per; k++) fn();
      samples[f]!.push(((performance.now() - t0) * 1000) / per);
    });
  }
  return samples.map(median);
}

const time = (fn: () => unknown, batches: number): number => timeEach([fn], batches)[0]!;

function row(body: string, baseline: string, base: () => unknown, ours: () => unknown, batches: number) {
  progress.step(body, measured++);
  const [b, o] = timeEach([base, ours], batches);
  return { body, baseline, base: b!, ours: o! };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Time to refuse (first call, then median) and the RSS growth over the first call. */
function refusal(name: string, bytes: Buffer, decode: (b: Buffer) => unknown, batches: number) {
  progress.step(name, measured++);
  progress.poll();
  gc?.();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  let code = 'accepted';
  try {
    decode(bytes);
  } catch (error) {
    code = String((error as { code?: unknown }).code ?? (error as Error).name);
  }
  const firstMs = performance.now() - t0;
  const rssGrowthKiB = Math.round((process.memoryUsage().rss - rss0) / 1024);
  const medianUs = time(() => {
    try {
      decode(bytes);
    } catch {
      // refused, as measured above
    }
  }, batches);
  return { name, bytes: bytes.length, code, firstMs: +firstMs.toFixed(3), medianUs: +medianUs.toFixed(2), rssGrowthKiB };
}

function main(): void {
  const { values } = parseArgs({
    options: { flows: { type: 'string', default: '1000' }, batches: { type: 'string', default: '15' }, json: { type: 'string' } },
  });
  const flows = Number(values.flows);
  const batches = Number(values.batches);

  const plain = Buffer.from(toJsonText(flowsBody(flows, false)));
  const cookies = Buffer.from(toJsonText(flowsBody(flows, true)));
  const plainPack = packr.pack(flowsBody(flows, false));
  const cookiePack = packr.pack(flowsBody(flows, true));

  const rows = [
    row(`${flows} flows, JSON (${plain.length} B)`, 'JSON.parse', () => JSON.parse(plain.toString('utf8')), () => decodeJson(plain, LIMITS), batches),
    row(`${flows} flows + 64-bit cookies, JSON (${cookies.length} B)`, 'JSON.parse (lossy)', () => JSON.parse(cookies.toString('utf8')), () => decodeJson(cookies, LIMITS), batches),
    row(`${flows} flows, msgpack (${plainPack.length} B)`, 'msgpackr unpack', () => packr.unpack(plainPack), () => decodeMsgpack(plainPack, LIMITS), batches),
    row(`${flows} flows + 64-bit cookies, msgpack (${cookiePack.length} B)`, 'msgpackr unpack', () => packr.unpack(cookiePack), () => decodeMsgpack(cookiePack, LIMITS), batches),
  ];
  console.log(`bench:decode — median µs per decode over ${batches} batches (node ${process.version})`);
  console.log(`${'body'.padEnd(46)} ${'baseline'.padEnd(20)} ${'baseline µs'.padStart(12)} ${'ours µs'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const r of rows) {
    console.log(`${r.body.padEnd(46)} ${r.baseline.padEnd(20)} ${r.base.toFixed(1).padStart(12)} ${r.ours.toFixed(1).padStart(10)} ${(r.ours / r.base).toFixed(2).padStart(6)}x`);
  }

  const deepJson = Buffer.from(`${'['.repeat(500_000)}${']'.repeat(500_000)}`);
  const deepPack = Buffer.concat([Buffer.alloc(1_000_000, 0x91), Buffer.from([0xc0])]);
  const wideJson = Buffer.from(`[${'0,'.repeat(500_000)}0]`);
  const widePack = Buffer.concat([Buffer.from([0xdd, 0x00, 0x07, 0xa1, 0x20]), Buffer.alloc(500_000, 0x00)]);
  const refusals = [
    refusal('500,000-deep JSON array', deepJson, (b) => decodeJson(b, LIMITS), batches),
    refusal('1,000,000-deep msgpack array', deepPack, (b) => decodeMsgpack(b, LIMITS), batches),
    refusal('500,001-element JSON array', wideJson, (b) => decodeJson(b, LIMITS), batches),
    refusal('500,000-element msgpack array', widePack, (b) => decodeMsgpack(b, LIMITS), batches),
  ];
  progress.stop();
  console.log('');
  console.log(`refusals (limits: depth ${LIMITS.maxDepth}, ${LIMITS.maxElements} elements; gc ${gc ? 'exposed' : 'not exposed'})`);
  console.log(`${'body'.padEnd(32)} ${'bytes'.padStart(9)} ${'code'.padEnd(18)} ${'first ms'.padStart(9)} ${'median µs'.padStart(10)} ${'RSS +KiB'.padStart(9)}`);
  for (const r of refusals) {
    console.log(`${r.name.padEnd(32)} ${String(r.bytes).padStart(9)} ${r.code.padEnd(18)} ${r.firstMs.toFixed(3).padStart(9)} ${r.medianUs.toFixed(2).padStart(10)} ${String(r.rssGrowthKiB).padStart(9)}`);
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ rows, refusals }, null, 2)}\n`);
}

main();
