/**
 * A bounded, seeded random + mutation fuzzer for the OpenFlow decoder.
 * Every input is decoded; anything thrown that is not an OfCodecError is an
 * escape. Decoded messages are re-encoded (only OfCodecError may escape
 * there too) and must be stable: encode(decode(encode(m))) == encode(m).
 * Used by fuzz.test.ts (CI size, behaviour only) and fuzz-run.ts
 * (`npm run fuzz:openflow`: longer, and times the slowest inputs).
 */
import { decodeMessage, encodeMessage, OfCodecError } from '../../../src/openflow/index.js';
import { validVectors } from '../../vectors/openflow/index.js';

import { prng } from '../../helpers/prng.js';

export { prng };

export interface FuzzOptions {
  seed: number;
  /** Inputs to run (random + mutated + large). */
  count: number;
  /** Stop early after this many ms (the count is then reported short); no limit when absent. */
  timeLimitMs?: number;
  /** Time each decode to keep the slowest inputs (`slowest`); off when absent. */
  time?: boolean;
}

export interface Escape {
  input: string;
  error: string;
}

export interface FuzzResult {
  inputs: number;
  decoded: number;
  rejected: number;
  escapes: Escape[];
  unstable: string[];
  elapsedMs: number;
  /** The slowest inputs of the first pass (by single-run time); empty unless `time`. */
  slowest: Array<{ input: Buffer; ns: number }>;
  /** Distinct codec error codes seen, with counts. */
  codes: Record<string, number>;
}

const INTERESTING_U8 = [0, 1, 4, 7, 8, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING_U16 = [0, 1, 2, 3, 4, 6, 7, 8, 12, 15, 16, 24, 48, 56, 64, 0x7fff, 0x8000, 0xfffe, 0xffff];

function fixLength(b: Buffer): void {
  if (b.length >= 4) b.writeUInt16BE(Math.min(b.length, 0xffff), 2);
}

/** A random frame: mostly a plausible header (version 4, known type, right length). */
function randomFrame(rnd: () => number): Buffer {
  const len = rnd() < 0.05 ? Math.floor(rnd() * 8) : 8 + Math.floor(rnd() * rnd() * 400);
  const b = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) b[i] = Math.floor(rnd() * 256);
  if (len >= 8 && rnd() < 0.9) {
    b[0] = rnd() < 0.95 ? 4 : b[0];
    b[1] = Math.floor(rnd() * 32);
    fixLength(b);
  }
  return b;
}

function mutate(src: Buffer, rnd: () => number): Buffer {
  let b = Buffer.from(src);
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * Math.max(1, b.length));
    const op = Math.floor(rnd() * 7);
    if (b.length === 0) break;
    switch (op) {
      case 0: // flip a bit
        b[at] ^= 1 << Math.floor(rnd() * 8);
        break;
      case 1: // interesting byte
        b[at] = INTERESTING_U8[Math.floor(rnd() * INTERESTING_U8.length)];
        break;
      case 2: // interesting u16 (lengths!) at an even offset past the header
        if (b.length >= 10) {
          const o = 8 + 2 * Math.floor(rnd() * ((b.length - 9) >> 1));
          b.writeUInt16BE(INTERESTING_U16[Math.floor(rnd() * INTERESTING_U16.length)], Math.min(o, b.length - 2));
        }
        break;
      case 3: // truncate
        b = b.subarray(0, at);
        break;
      case 4: // delete a run
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(rnd() * 8))]);
        break;
      case 5: {
        // insert random bytes
        const ins = Buffer.alloc(1 + Math.floor(rnd() * 8));
        for (let i = 0; i < ins.length; i++) ins[i] = Math.floor(rnd() * 256);
        b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        break;
      }
      case 6: // random byte
        b[at] = Math.floor(rnd() * 256);
        break;
    }
  }
  if (rnd() < 0.9) fixLength(b);
  return b;
}

/**
 * Large adversarial frames (up to 64 KiB): many tiny TLVs, the cases where a
 * slow or looping decoder would show. Each is a valid or nearly valid frame.
 */
export function largeFrames(): Buffer[] {
  const frame = (type: number, body: Buffer): Buffer => {
    const b = Buffer.concat([Buffer.from([4, type, 0, 0, 0, 0, 0, 1]), body]).subarray(0, 0xffff);
    fixLength(b);
    return b;
  };
  const rep = (hex: string, n: number): Buffer => Buffer.from(hex.repeat(n), 'hex');
  const flowModHead = Buffer.alloc(40); // cookie .. pad, all zero: a valid ADD to table 0
  const maxActions = Math.floor((0xffff - 8 - 40 - 16 - 8) / 8);
  return [
    // HELLO with ~8k bitmap elements
    frame(0, rep('0001000800000010', 8190)),
    // HELLO with one element of ~16k bitmaps
    frame(0, Buffer.concat([Buffer.from('0001fff0', 'hex'), rep('00000010', 16379)])),
    // FLOW_MOD: one OXM match, then one apply_actions with ~8k pop_vlan actions
    frame(14, Buffer.concat([flowModHead, Buffer.from('0001000c8000000400000001000000000004', 'hex'), Buffer.from([((8 + maxActions * 8) >> 8) & 0xff, (8 + maxActions * 8) & 0xff]), Buffer.alloc(4), rep('0012000800000000', maxActions)])),
    // FLOW_MOD: a match of 13095 one-byte OXMs (vlan_pcp), as many as fit in 64 KiB
    frame(14, Buffer.concat([flowModHead, Buffer.from('0001ffc7', 'hex'), rep('80000e0105', 13095), Buffer.alloc(1)])),
    // PORT_DESC reply with 1023 ports
    frame(19, Buffer.concat([Buffer.from('000d000000000000', 'hex'), rep(`00000001 00000000 aa55aa550002 0000 ${'70'.repeat(15)}00 ${'00'.repeat(32)}`.replace(/ /g, ''), 1023)])),
    // FLOW stats reply with ~1k minimal entries
    frame(19, Buffer.concat([Buffer.from('0001000000000000', 'hex'), rep(`0038${'00'.repeat(46)}00010004 00000000`.replace(/ /g, ''), 1169)])),
    // GROUP_MOD with ~4k empty buckets
    frame(15, Buffer.concat([Buffer.from('0000000000000001', 'hex'), rep('00100000ffffffffffffffff00000000', 4094)])),
    // METER_MOD with ~4k drop bands
    frame(29, Buffer.concat([Buffer.from('0000000100000001', 'hex'), rep('00010010000003e80000000000000000', 4094)])),
    // PACKET_OUT with 64 KiB of data
    frame(13, Buffer.concat([Buffer.from('fffffffffffffffd0000000000000000', 'hex'), Buffer.alloc(65000)])),
  ];
}

function runOne(input: Buffer, res: FuzzResult): void {
  let msg;
  try {
    msg = decodeMessage(input);
  } catch (e) {
    if (e instanceof OfCodecError) {
      res.rejected++;
      res.codes[e.code] = (res.codes[e.code] ?? 0) + 1;
    } else res.escapes.push({ input: input.toString('hex'), error: String((e as Error)?.stack ?? e) });
    return;
  }
  res.decoded++;
  let once: Buffer;
  try {
    once = encodeMessage(msg);
  } catch (e) {
    if (!(e instanceof OfCodecError)) res.escapes.push({ input: input.toString('hex'), error: `encode: ${String((e as Error)?.stack ?? e)}` });
    return;
  }
  try {
    const twice = encodeMessage(decodeMessage(once));
    if (!twice.equals(once)) res.unstable.push(input.toString('hex'));
  } catch (e) {
    res.unstable.push(`${input.toString('hex')} (${String(e)})`);
  }
}

/** Times only the decode; keeps the slowest few inputs. */
function timeDecode(input: Buffer): number {
  const t0 = process.hrtime.bigint();
  try {
    decodeMessage(input);
  } catch {
    // timed either way
  }
  return Number(process.hrtime.bigint() - t0);
}

export function fuzz(opts: FuzzOptions): FuzzResult {
  const rnd = prng(opts.seed);
  const seeds = validVectors.map((v) => v.bytes);
  const res: FuzzResult = { inputs: 0, decoded: 0, rejected: 0, escapes: [], unstable: [], elapsedMs: 0, slowest: [], codes: {} };
  const keep = 16;
  const consider = (input: Buffer, ns: number): void => {
    if (res.slowest.length < keep || ns > res.slowest[res.slowest.length - 1].ns) {
      res.slowest.push({ input, ns });
      res.slowest.sort((a, b) => b.ns - a.ns);
      if (res.slowest.length > keep) res.slowest.pop();
    }
  };
  const start = Date.now();
  const inputs = (function* () {
    for (const f of largeFrames()) yield f;
    for (const s of seeds) yield s;
    for (;;) yield rnd() < 0.3 ? randomFrame(rnd) : mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
  })();
  for (const input of inputs) {
    if (res.inputs >= opts.count) break;
    if (opts.timeLimitMs !== undefined && (res.inputs & 1023) === 0 && Date.now() - start > opts.timeLimitMs) break;
    if (opts.time) consider(input, timeDecode(input));
    runOne(input, res);
    res.inputs++;
  }
  res.elapsedMs = Date.now() - start;
  return res;
}

/**
 * Re-times the slowest inputs of a run together with the large adversarial
 * frames (a single noisy first pass must not hide them). Each input is decoded
 * `retries` times, round-robin across all inputs with a short pause between
 * rounds, so that one burst of noise (a GC pause, other processes taking the
 * cores) lands on few samples of any one input; its median is kept.
 * Returns the worst median in ns.
 */
export async function slowestMedian(slowest: FuzzResult['slowest'], retries = 15, pauseMs = 3): Promise<{ ns: number; input: Buffer }> {
  const inputs = [...slowest.map((s) => s.input), ...largeFrames()];
  const times = inputs.map(() => [] as number[]);
  for (let round = 0; round < retries; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    inputs.forEach((input, i) => times[i].push(timeDecode(input)));
  }
  let worst: { ns: number; input: Buffer } = { ns: 0, input: Buffer.alloc(0) };
  times.forEach((t, i) => {
    t.sort((a, b) => a - b);
    const median = t[t.length >> 1];
    if (median > worst.ns) worst = { ns: median, input: inputs[i] };
  });
  return worst;
}
