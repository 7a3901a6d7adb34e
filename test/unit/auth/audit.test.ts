import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { ManualClock } from '../../../src/actor/clock.js';
import { AUDIT_MAX_BATCH, AuditLog } from '../../../src/auth/audit.js';
import { CONFIG_SCHEMA } from '../../../src/config/schema.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { Store } from '../../../src/store/ports.js';

const log = pino({ level: 'silent' });
const entry = (i: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)), user: 'u', method: 'POST', path: `/p/${i}`, status: 202, remote: '127.0.0.1' });

/**
 * Watches the batches the audit collection writes (the real store underneath): how many, and their
 * sizes. With `hold`, the first one waits for it before it is written (a slow disk, a remote MongoDB).
 */
function countBatches(audit: AuditLog, hold?: Promise<void>): { readonly batches: number; sizes: number[] } {
  const sizes: number[] = [];
  const batch = audit.collection.batch.bind(audit.collection);
  (audit.collection as { batch: typeof batch }).batch = async (ops) => {
    sizes.push(ops.length);
    if (hold && sizes.length === 1) await hold;
    return batch(ops);
  };
  return {
    get batches() {
      return sizes.length;
    },
    sizes,
  };
}

describe('audit log', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lattice-audit-'));
    store = await openEmbeddedStore({ dataDir: dir, log });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should write every entry recorded within flushMs in one store write when the injected clock reaches it', async () => {
    const clock = new ManualClock(1_000);
    const audit = new AuditLog(store, clock, 100);
    const seen = countBatches(audit);
    let durable = 0;
    const records = Array.from({ length: 200 }, (_, i) => audit.record(entry(i)).then(() => durable++));
    await new Promise((r) => setImmediate(r));
    expect(durable).to.equal(0);
    expect(audit.waiting).to.equal(200);
    expect(await audit.collection.count()).to.equal(0);
    clock.advance(99);
    await new Promise((r) => setImmediate(r));
    expect(audit.waiting).to.equal(200);
    clock.advance(1);
    await Promise.all(records);
    expect(durable).to.equal(200);
    expect(seen.batches).to.equal(1);
    expect(await audit.collection.count()).to.equal(200);
    const ids = (await audit.query({ limit: 1000 })).entries.map((e) => e.id);
    expect(new Set(ids).size).to.equal(200);
    expect([...ids].sort().reverse()).to.deep.equal(ids);
  });

  it('should write what waits when flushed (shutdown) and before a query, without the timer', async () => {
    const clock = new ManualClock(1_000);
    const audit = new AuditLog(store, clock, 10_000);
    void audit.record(entry(1));
    void audit.record(entry(2));
    expect((await audit.query({ limit: 10 })).entries.map((e) => e.path)).to.deep.equal(['/p/2', '/p/1']);
    void audit.record(entry(3));
    await audit.flush();
    expect(await audit.collection.count()).to.equal(3);
    expect(clock.pending()).to.equal(0);
  });

  it('should not strand an entry recorded just as the previous batch became durable (each sequential record gets its timer)', async () => {
    const clock = new ManualClock(1_000);
    const audit = new AuditLog(store, clock, 100);
    let previous = audit.record(entry(0));
    for (let i = 1; i <= 3; i++) {
      clock.advance(100);
      await previous;
      previous = audit.record(entry(i));
      expect(clock.pending(), `entry ${i}`).to.equal(1);
    }
    clock.advance(100);
    await previous;
    expect(await audit.collection.count()).to.equal(4);
  });

  it('should keep what comes during a slow write for the next interval: one write per interval, not one per request', async () => {
    const clock = new ManualClock(1_000);
    const audit = new AuditLog(store, clock, 100);
    // The store takes its time over the first batch (a disk, a remote MongoDB).
    let release!: () => void;
    const seen = countBatches(audit, new Promise<void>((r) => (release = r)));
    const first = audit.record(entry(0));
    clock.advance(100);
    await new Promise((r) => setImmediate(r));
    expect(seen.batches).to.equal(1);
    const during = Array.from({ length: 5 }, (_, i) => audit.record(entry(i + 1)));
    release();
    await first;
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    expect([seen.batches, audit.waiting, clock.pending()], 'written at once after the slow one').to.deep.equal([1, 5, 1]);
    clock.advance(100);
    await Promise.all(during);
    expect([seen.batches, await audit.collection.count()]).to.deep.equal([2, 6]);
    // A flush (a query, shutdown) does not wait for the interval.
    void audit.record(entry(7));
    await audit.flush();
    expect([seen.batches, await audit.collection.count(), clock.pending()]).to.deep.equal([3, 7, 0]);
  });

  it('should write maxBatch waiting entries at once, at most maxBatch per store write, and the rest at the interval', async () => {
    const clock = new ManualClock(1_000);
    const audit = new AuditLog(store, clock, 100, undefined, undefined, 3);
    const { sizes } = countBatches(audit);
    // Seven in one turn: the third fills a batch, written without the clock; three more fill the next.
    const records = Array.from({ length: 7 }, (_, i) => audit.record(entry(i)));
    await Promise.all(records.slice(0, 6));
    expect([sizes, audit.waiting, clock.pending()]).to.deep.equal([[3, 3], 1, 1]);
    clock.advance(100);
    await records[6];
    expect([sizes, await audit.collection.count()]).to.deep.equal([[3, 3, 1], 7]);
    // A flush takes whatever waits, still in batches of at most three.
    const slow = new AuditLog(store, clock, 10_000, undefined, undefined, 3);
    let release!: () => void;
    const slowSizes = countBatches(slow, new Promise<void>((r) => (release = r))).sizes;
    const more = Array.from({ length: 8 }, (_, i) => slow.record(entry(100 + i)));
    const flushed = slow.flush();
    release();
    await flushed;
    await Promise.all(more);
    expect(slowSizes).to.deep.equal([3, 3, 2]);
    expect(await slow.collection.count()).to.equal(15);
  });

  it("should say in auth.auditFlushMs's doc how many waiting entries are written at once (the schema cannot import the constant)", () => {
    expect(CONFIG_SCHEMA.auth.auditFlushMs.doc).to.contain(`when ${AUDIT_MAX_BATCH} wait`);
  });

  it('should write at once, group-committed, with flushMs 0', async () => {
    const audit = new AuditLog(store, new ManualClock(), 0);
    const seen = countBatches(audit);
    await Promise.all(Array.from({ length: 50 }, (_, i) => audit.record(entry(i))));
    expect(await audit.collection.count()).to.equal(50);
    expect(seen.batches).to.be.within(1, 2);
  });

  it('should batch entries added without a promise with recorded ones, and report a failed batch once with how many were added', async () => {
    const clock = new ManualClock(1_000);
    const lost: [string, number][] = [];
    const audit = new AuditLog(store, clock, 100, (error, n) => lost.push([(error as Error).message, n]));
    const seen = countBatches(audit);
    for (let i = 0; i < 5; i++) audit.add(entry(i));
    const recorded = audit.record(entry(5));
    expect(audit.waiting).to.equal(6);
    clock.advance(100);
    await recorded;
    expect([seen.batches, await audit.collection.count(), lost.length]).to.deep.equal([1, 6, 0]);
    // The store refuses the next batch: the recorded entry's promise rejects, the added ones are counted lost once.
    (audit.collection as { batch: unknown }).batch = async () => {
      throw new Error('store down');
    };
    audit.add(entry(6));
    audit.add(entry(7));
    const refused = audit.record(entry(8)).catch((e: Error) => e.message);
    clock.advance(100);
    expect(await refused).to.equal('store down');
    expect(lost).to.deep.equal([['store down', 2]]);
  });

  it('should keep at most maxWaiting entries while the store does not answer: refuse record at once, drop add and tell how many once', async () => {
    const lost: [string, number][] = [];
    const audit = new AuditLog(store, new ManualClock(), 0, (error, n) => lost.push([(error as Error).message, n]), 3);
    const write = audit.collection.batch.bind(audit.collection);
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    (audit.collection as { batch: typeof write }).batch = async (ops) => {
      await hung;
      return write(ops);
    };
    audit.add(entry(0)); // written at once (flushMs 0): the store holds it
    for (let i = 1; i <= 3; i++) audit.add(entry(i));
    expect(audit.waiting).to.equal(3);
    audit.add(entry(4));
    audit.add(entry(5));
    const refused = await audit.record(entry(6)).then(
      () => 'written',
      (e: Error) => e.message,
    );
    expect(refused).to.equal('Audit queue full: 3 entries wait for the store');
    expect([audit.waiting, lost.length]).to.deep.equal([3, 0]);
    release();
    await audit.flush();
    expect(await audit.collection.count()).to.equal(4);
    expect(lost).to.deep.equal([['Audit queue full: 3 entries wait for the store', 2]]);
    // Room again: entries wait and are written as before.
    await audit.record(entry(7));
    expect([await audit.collection.count(), lost.length]).to.deep.equal([5, 1]);
  });
});
