/**
 * Failure behaviour of the MongoDB adapter against a real MongoDB-wire
 * server that is stopped and started again on the same port and data dir.
 */
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { openStore, StoreUnavailableError, StoreValidationError, type Store } from '../../../src/store/index.js';
import { silent } from '../../contract/harness.js';
import { startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';

interface Doc {
  id: string;
  n: number;
  body: string;
}
const doc = (n: number): Doc => ({ id: `d${String(n).padStart(6, '0')}`, n, body: `b${n}`.repeat((n % 7) + 1) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** "Fails fast": the spec asks for ~1-2 s instead of the driver's 30 s; this bound leaves room for a loaded CI box. */
const FAIL_FAST_MS = 3000;

async function waitUntil(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe('store outage: mongodb', function () {
  this.timeout(90_000);
  let wire: MongoWire;
  let n = 0;
  const open = (): Promise<Store> =>
    openStore({ backend: 'mongodb', dataDir: '', mongodb: { uri: wire.uri, dbName: `outage${n++}` }, log: silent });

  before(async function () {
    wire = await startMongoWireOrSkip(this);
  });
  after(async () => {
    await wire?.stop();
  });

  it('should refuse a malformed URI at once instead of retrying it as an outage', async () => {
    for (const uri of ['', 'http://127.0.0.1:1/']) {
      let err: unknown;
      try {
        await openStore({ backend: 'mongodb', dataDir: '', mongodb: { uri, dbName: 'x' }, log: silent });
      } catch (e) {
        err = e;
      }
      expect(err, uri).to.be.instanceOf(StoreValidationError);
    }
  });

  it('should start while the server is down, fail fast, and come up without a restart', async () => {
    await wire.pause();
    const store = await open(); // resolves although nothing listens
    try {
      expect(store.status()).to.include({ backend: 'mongodb', up: false });
      expect(store.status().lastError).to.be.a('string');
      const c = store.collection<Doc>('docs', { key: 'id', indexes: ['n'] });
      for (const op of [() => c.put(doc(1)), () => c.get('x'), () => c.list({ index: 'n', equals: 1 })]) {
        const t = Date.now();
        let err: unknown;
        try {
          await op();
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(StoreUnavailableError);
        expect((err as StoreUnavailableError).code).to.equal('STORE_UNAVAILABLE');
        expect((err as StoreUnavailableError).retryAfterSeconds).to.be.greaterThan(0);
        expect(Date.now() - t).to.be.lessThan(FAIL_FAST_MS);
      }
      await wire.resume();
      await waitUntil('the store reports up', () => store.status().up, 20_000);
      await c.put(doc(1));
      expect(await c.get(doc(1).id)).to.deep.equal(doc(1));
      // Indexes declared while down were created on recovery: list works through them.
      expect((await c.list({ index: 'n', equals: 1 })).map((d) => d.id)).to.deep.equal([doc(1).id]);
    } finally {
      await store.close();
      await wire.resume();
    }
  });

  it('should fail fast while the server is down, resume after it, and lose no acknowledged write', async () => {
    const store = await open();
    const c = store.collection<Doc>('docs', { key: 'id', indexes: ['n'] });
    const acked = new Set<number>();
    const batches: number[][] = [];
    const failures: { ms: number; err: unknown }[] = [];
    let seq = 0;
    let running = true;
    let sawDown = false;

    const writer = async (batchEvery: number) => {
      for (let i = 0; running; i++) {
        const t = Date.now();
        const isBatch = i % batchEvery === batchEvery - 1;
        const ns = isBatch ? [seq++, seq++, seq++] : [seq++];
        if (isBatch) batches.push(ns);
        try {
          if (isBatch) await c.batch(ns.map((k) => ({ op: 'put' as const, doc: doc(k) })));
          else await c.put(doc(ns[0]!));
          for (const k of ns) acked.add(k);
        } catch (err) {
          failures.push({ ms: Date.now() - t, err });
          if (!store.status().up) sawDown = true;
          await sleep(20); // a client backing off, as Retry-After asks
        }
      }
    };
    const writers = [writer(4), writer(5), writer(1000), writer(1000)];
    try {
      await waitUntil('100 writes acknowledged', () => acked.size >= 100, 30_000);
      await wire.pause('SIGKILL'); // a crash, not a clean shutdown
      const ackedAtStop = acked.size;
      await waitUntil('writes fail', () => failures.length >= 20, 20_000);
      expect(store.status().up).to.equal(false);
      await sleep(1000); // the outage goes on while writes keep being refused
      const ackedDuringOutage = acked.size - ackedAtStop;
      await wire.resume();
      const failuresAtResume = failures.length;
      await waitUntil('writes flow again', () => acked.size >= ackedAtStop + ackedDuringOutage + 100, 30_000);
      running = false;
      await Promise.all(writers);

      expect(sawDown).to.equal(true);
      expect(failuresAtResume).to.be.at.least(20);
      for (const f of failures) {
        expect(f.err, String(f.err)).to.be.instanceOf(StoreUnavailableError);
        expect(f.ms, 'a write failed slowly').to.be.lessThan(FAIL_FAST_MS);
      }
      expect(store.status().up).to.equal(true);

      // Nothing acknowledged was lost (same store object: no re-open).
      const stored = new Map((await c.all()).map((d) => [d.n, d]));
      const lost = [...acked].filter((k) => !stored.has(k));
      expect(lost, 'acknowledged writes lost').to.deep.equal([]);
      for (const k of acked) expect(stored.get(k)).to.deep.equal(doc(k));
      // Nothing half-written: each batch is there entirely or not at all.
      for (const b of batches) {
        const present = b.filter((k) => stored.has(k)).length;
        expect([0, b.length], `batch ${b.join(',')} is partly applied`).to.include(present);
      }
    } finally {
      running = false;
      await Promise.all(writers).catch(() => undefined);
      await store.close();
    }
  });

  it('should fail fast when the server hangs without closing its sockets, and recover when it answers again', async () => {
    const store = await open();
    const c = store.collection<Doc>('docs', { key: 'id', indexes: ['n'] });
    try {
      await c.put(doc(1));
      const t0 = Date.now();
      wire.freeze(); // SIGSTOP: connections stay open, nothing answers (no RST to notice)
      const outcomes: Promise<{ ms: number; err: unknown }>[] = [];
      for (const at of [0, 400, 900, 1500, 2500]) {
        await sleep(Math.max(0, at - (Date.now() - t0)));
        const t = Date.now();
        outcomes.push(
          c.put(doc(100 + at)).then(
            () => ({ ms: Date.now() - t, err: undefined }),
            (err: unknown) => ({ ms: Date.now() - t, err }),
          ),
        );
      }
      for (const o of await Promise.all(outcomes)) {
        expect(o.err).to.be.instanceOf(StoreUnavailableError);
        expect(o.ms, 'a write waited on a hung server').to.be.lessThan(FAIL_FAST_MS);
      }
      expect(store.status().up).to.equal(false);
      wire.thaw();
      await waitUntil('the store reports up', () => store.status().up, 20_000);
      await c.put(doc(2));
      expect(await c.get(doc(2).id)).to.deep.equal(doc(2));
    } finally {
      wire.thaw();
      await store.close();
    }
  });

  it('should complete a batch that a crash interrupted, before reporting up', async () => {
    const dbName = `outage${n++}`;
    // What a process that died between journaling a batch and applying all of it leaves behind:
    // the journal entry, and the batch's first document only.
    const raw = new MongoClient(wire.uri);
    await raw.connect();
    const db = raw.db(dbName);
    await db.collection('docs').insertOne({ _id: doc(1).id, ...doc(1) } as never);
    await db.collection('_lattice.batches').insertOne({
      _id: 'crashed-1',
      coll: 'docs',
      seq: 1,
      at: new Date(),
      ops: [
        { t: 'put', key: doc(1).id, doc: { _id: doc(1).id, ...doc(1) } },
        { t: 'put', key: doc(2).id, doc: { _id: doc(2).id, ...doc(2) } },
        { t: 'delete', key: 'never-there' },
        { t: 'patch', key: doc(1).id, set: { body: 'patched' } },
      ],
    } as never);
    await raw.close();

    const store = await openStore({ backend: 'mongodb', dataDir: '', mongodb: { uri: wire.uri, dbName }, log: silent });
    try {
      expect(store.status().up).to.equal(true);
      const c = store.collection<Doc>('docs', { key: 'id', indexes: ['n'] });
      expect(await c.all()).to.deep.equal([{ ...doc(1), body: 'patched' }, doc(2)]);
      const again = new MongoClient(wire.uri);
      await again.connect();
      expect(await again.db(dbName).collection('_lattice.batches').countDocuments({})).to.equal(0);
      await again.close();
    } finally {
      await store.close();
    }
  });
});
