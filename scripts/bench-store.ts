/**
 * `npm run bench:store`: writes/s and reads/s of both store adapters, single
 * operations and batches, in one bounded run (~30 s). The MongoDB adapter
 * runs against the test environment's MongoDB-wire server (a `mongod` when
 * installed, else FerretDB 1.x with SQLite), started and stopped here.
 *
 * Each phase runs for PHASE_MS (or until MAX_OPS) with a fixed number of
 * operations in flight, on a key space of KEYS documents (updates after the
 * first round, like flows being re-installed). Options: BENCH_PHASE_MS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { openStore, type Collection, type Store } from '../src/store/index.js';
import { startMongoWire, type MongoWire } from '../test/env/mongo.js';

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 2000);
const MAX_OPS = 200_000;
const KEYS = 2000;
const BATCH = 100;
const log = pino({ level: 'silent' });

interface FlowDoc {
  id: string;
  dpid: string;
  cookie: number;
  priority: number;
  match: Record<string, unknown>;
  actions: { type: string; port: number }[];
  updated: Date;
}

const flow = (i: number, gen: number): FlowDoc => ({
  id: `flow-${String(i % KEYS).padStart(6, '0')}`,
  dpid: `00:00:00:00:00:00:00:${String((i % 16) + 1).padStart(2, '0')}`,
  cookie: 0xab00000000000000 / 2 ** 32 + gen,
  priority: 1000 + (i % 100),
  match: { in_port: (i % 48) + 1, dl_vlan: 100 + (i % 200), dl_type: 0x800, nw_dst: `10.0.${i % 256}.0/24` },
  actions: [{ type: 'output', port: (i % 48) + 2 }],
  updated: new Date(),
});

interface Row {
  backend: string;
  op: string;
  inFlight: number;
  ops: number;
  docs: number;
  seconds: number;
  p50: number;
  p99: number;
}

async function phase(
  backend: string,
  op: string,
  inFlight: number,
  docsPerOp: number,
  fn: (i: number) => Promise<unknown>,
): Promise<Row> {
  const lat: number[] = [];
  let next = 0;
  const start = performance.now();
  const end = start + PHASE_MS;
  const worker = async () => {
    while (performance.now() < end && next < MAX_OPS) {
      const i = next++;
      const t = performance.now();
      await fn(i);
      lat.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { backend, op, inFlight, ops: lat.length, docs: lat.length * docsPerOp, seconds, p50: q(0.5), p99: q(0.99) };
}

async function benchStore(backend: string, store: Store): Promise<Row[]> {
  const c: Collection<FlowDoc> = store.collection<FlowDoc>('bench', { key: 'id', indexes: ['dpid', 'cookie'] });
  const rows: Row[] = [];
  // Fill the key space once so reads always hit and later writes are updates.
  for (let i = 0; i < KEYS; i += BATCH) {
    await c.batch(Array.from({ length: BATCH }, (_, j) => ({ op: 'put' as const, doc: flow(i + j, 0) })));
  }
  rows.push(await phase(backend, 'put (single)', 1, 1, (i) => c.put(flow(i, 1))));
  rows.push(await phase(backend, 'put (single)', 32, 1, (i) => c.put(flow(i, 2))));
  rows.push(
    await phase(backend, `batch of ${BATCH} puts`, 2, BATCH, (i) =>
      c.batch(Array.from({ length: BATCH }, (_, j) => ({ op: 'put' as const, doc: flow(i * BATCH + j, 3) }))),
    ),
  );
  rows.push(await phase(backend, 'get (single)', 1, 1, (i) => c.get(flow(i * 7, 0).id)));
  rows.push(await phase(backend, 'get (single)', 32, 1, (i) => c.get(flow(i * 7, 0).id)));
  rows.push(
    await phase(backend, `list by index (${KEYS / 16} docs)`, 4, KEYS / 16, (i) =>
      c.list({ index: 'dpid', equals: flow(i, 0).dpid }),
    ),
  );
  // Conditional writes (added with issue 8; the rows above are unchanged): create on fresh
  // keys, and compare-and-set on the key space (a version bump per key, read first).
  const fresh: Collection<FlowDoc> = store.collection<FlowDoc>('bench_create', { key: 'id', indexes: ['dpid', 'cookie'] });
  rows.push(await phase(backend, 'create (new key)', 32, 1, (i) => fresh.create({ ...flow(i, 4), id: `new-${i}` })));
  rows.push(
    await phase(backend, 'get + patchIf (CAS)', 32, 1, async (i) => {
      const cur = (await c.get(flow(i, 0).id))!;
      await c.patchIf(cur.id, { priority: cur.priority }, { priority: cur.priority + 1 });
    }),
  );
  return rows;
}

function printTable(rows: Row[], notes: string[]): void {
  const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
  const head = ['backend', 'operation', 'in flight', 'ops', 'docs/s', 'ops/s', 'p50 ms', 'p99 ms'];
  const body = rows.map((r) => [
    r.backend,
    r.op,
    String(r.inFlight),
    fmt(r.ops),
    fmt(r.docs / r.seconds),
    fmt(r.ops / r.seconds),
    fmt(r.p50, 2),
    fmt(r.p99, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const b of body) console.log(line(b));
  for (const n of notes) console.log(n);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const rows: Row[] = [];
  const notes: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lattice-bench-'));
  let wire: MongoWire | undefined;
  try {
    const emb = await openStore({ backend: 'embedded', dataDir: dir, mongodb: { uri: '', dbName: '' }, log });
    rows.push(...(await benchStore('embedded', emb)));
    await emb.close();

    wire = await startMongoWire();
    const mongo = await openStore({
      backend: 'mongodb',
      dataDir: '',
      mongodb: { uri: wire.uri, dbName: `bench_${process.pid}` },
      log,
    });
    rows.push(...(await benchStore(`mongodb (${wire.kind})`, mongo)));
    await mongo.close();
  } finally {
    await wire?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push(
    '',
    `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${PHASE_MS} ms per phase, ${KEYS} keys, ~300-byte flow documents with 2 indexes.`,
    'embedded: LMDB, durability "flush" (acknowledged after fsync). mongodb: w=majority, j=true, readPreference primaryPreferred.',
    `total ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  printTable(rows, notes);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
