import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unpack } from 'msgpackr';
import { pino } from 'pino';
import { createCodec } from '../../../src/store/embedded/codec.js';
import { EmbeddedStore, openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { metaKey } from '../../../src/store/embedded/keys.js';

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

  it('should write a bigint as a 64-bit MessagePack integer and a number never as one', () => {
    const codec = createCodec();
    expect(codec.encode(2n ** 63n).toString('hex')).to.equal('cf8000000000000000');
    expect(codec.encode(5n).toString('hex')).to.equal('d30000000000000005');
    expect(codec.encode(2 ** 53 + 2)[0]).to.equal(0xcb); // float64
    const back = codec.decode<{ a: bigint; b: number; c: bigint }>(codec.encode({ a: 0n, b: 2 ** 40 + 1, c: 2n ** 64n - 1n }));
    expect(back).to.deep.equal({ a: 0n, b: 2 ** 40 + 1, c: 2n ** 64n - 1n });
    expect(typeof back.b).to.equal('number');
  });

  it('should re-index a collection written with the previous index layout when it is opened', async () => {
    type Doc = { id: string; v: number | bigint };
    const s1 = (await openEmbeddedStore({ dataDir: dir, log })) as EmbeddedStore;
    const c1 = s1.collection<Doc>('old', { key: 'id', indexes: ['v'] });
    await c1.put({ id: 'a', v: 2n ** 63n });
    await c1.put({ id: 'b', v: 3 });
    // What layout 1 left: its meta had no layout, and it had no bigint entries.
    await s1.lmdb.transaction(() => {
      for (const k of s1.lmdb.getKeys({ start: ['i', 'old'], end: ['i', 'old', new Uint8Array([0xff])] })) s1.lmdb.removeSync(k);
      s1.lmdb.putSync(metaKey('old'), createCodec().encode({ key: 'id', indexes: ['v'] }));
    });
    await s1.close();
    const s2 = await openEmbeddedStore({ dataDir: dir, log });
    const c2 = s2.collection<Doc>('old', { key: 'id', indexes: ['v'] });
    expect((await c2.list({ index: 'v', equals: 2n ** 63n })).map((d) => d.id)).to.deep.equal(['a']);
    expect((await c2.list({ index: 'v', equals: 3 })).map((d) => d.id)).to.deep.equal(['b']);
    await s2.close();
  });
});
