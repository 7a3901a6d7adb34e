import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unpack } from 'msgpackr';
import { pino } from 'pino';
import { createCodec } from '../../../src/store/embedded/codec.js';
import { EmbeddedStore, openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';

const log = pino({ level: 'silent' });

describe('embedded store (LMDB specifics)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lattice-emb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should batch concurrent writes into a few LMDB transactions', async () => {
    const store = (await openEmbeddedStore({ dataDir: dir, log })) as EmbeddedStore;
    const c = store.collection<{ id: string; v: number }>('batched', { key: 'id', indexes: ['v'] });
    await c.put({ id: 'warm', v: 0 });
    const before = store.lmdb.getStats() as { lastTxnId: number };
    await Promise.all(Array.from({ length: 500 }, (_, i) => c.put({ id: `k${i}`, v: i })));
    const after = store.lmdb.getStats() as { lastTxnId: number };
    expect(await c.count()).to.equal(501);
    // 500 writers issued in one event turn: far fewer commits than writes.
    expect(after.lastTxnId - before.lastTxnId).to.be.greaterThan(0).and.lessThan(10);
    await store.close();
  });

  it('should store plain MessagePack any decoder reads, Dates as timestamps', () => {
    const codec = createCodec();
    const doc = { id: 'x', at: new Date(1_234_567_890_123), nested: [{ a: 1 }, { a: 2, b: 'é' }], skip: undefined };
    const bytes = codec.encode(doc);
    // A default msgpackr decoder, sharing no state with the encoder (as after a restart).
    expect(unpack(bytes)).to.deep.equal({ id: 'x', at: new Date(1_234_567_890_123), nested: [{ a: 1 }, { a: 2, b: 'é' }] });
    expect(createCodec().decode(bytes)).to.deep.equal(unpack(bytes));
  });

  it('should decode documents written before a restart with a fresh process state', async () => {
    const s1 = await openEmbeddedStore({ dataDir: dir, log });
    const shapes = Array.from({ length: 50 }, (_, i) => ({ id: `s${i}`, [`field${i}`]: i, common: 'c' }));
    const c1 = s1.collection<Record<string, unknown> & { id: string }>('shapes', { key: 'id' });
    for (const s of shapes) await c1.put(s);
    await s1.close();
    const s2 = await openEmbeddedStore({ dataDir: dir, log });
    const c2 = s2.collection<Record<string, unknown> & { id: string }>('shapes', { key: 'id' });
    // Written in a different order than the first run: a shared structure table would now disagree.
    await c2.put({ id: 'new', zzz: 1, aaa: 2 });
    for (const s of shapes) expect(await c2.get(s.id)).to.deep.equal(s);
    expect(await c2.get('new')).to.deep.equal({ id: 'new', zzz: 1, aaa: 2 });
    await s2.close();
  });
});
