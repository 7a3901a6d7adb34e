/**
 * The store contract: the same tests, unchanged, against both adapters
 * (embedded LMDB, and MongoDB on a real MongoDB-wire server).
 */
import { expect } from 'chai';
import {
  StoreClosedError,
  StoreConflictError,
  StoreValidationError,
  type Collection,
  type Store,
} from '../../src/store/index.js';
import { embeddedHarness, mongoHarness, type Harness } from './harness.js';

interface Flow {
  id: string;
  dpid: string;
  priority: number;
  created: Date;
  tags?: string[];
  meta?: Record<string, unknown>;
  state?: string;
  [extra: string]: unknown;
}

const FLOW_SPEC = { key: 'id', indexes: ['dpid', 'priority', 'created', 'tags', 'meta.owner'] } as const;

/** Unsigned 64-bit values at the edges: the float-precision edge, a cookie, both sides of 2^63, the maximum. */
const U64S = [0n, 2n ** 53n + 1n, 0xab00000000000001n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n] as const;
/** The same, in numeric order. */
const SORTED = [0n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 0xab00000000000001n, 2n ** 64n - 1n] as const;

interface Cookie {
  id: string;
  cookie: bigint | number | bigint[];
  owner?: string;
  [extra: string]: unknown;
}

interface Counter {
  id: string;
  version: number;
  count: number;
  [extra: string]: unknown;
}

/** Resolves to the error a call rejects with (undefined when it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

function contract(h: Harness) {
  describe(`store contract: ${h.backend}`, function () {
    this.timeout(60_000);
    let store: Store;
    let n = 0;
    const fresh = (): Collection<Flow> => store.collection<Flow>(`c${++n}`, { ...FLOW_SPEC, indexes: [...FLOW_SPEC.indexes] });

    before(async function () {
      await h.setUp(this);
      store = await h.open();
    });
    after(async () => {
      await store?.close();
      await h.tearDown();
    });

    describe('status', () => {
      it('should report its backend as up', () => {
        expect(store.status()).to.include({ backend: h.backend, up: true });
      });
    });

    describe('get/put', () => {
      it('should round-trip every JSON type, Dates and unicode exactly', async () => {
        const c = fresh();
        const doc: Flow = {
          id: 'sw:01/флоу/🚀',
          dpid: '00:00:00:00:00:00:00:01',
          priority: 65535,
          created: new Date('2024-02-29T12:34:56.789Z'),
          neg: -42,
          float: 3.14159,
          big: 2 ** 40 + 1,
          zero: 0,
          t: true,
          f: false,
          nil: null,
          empty: '',
          arr: [1, 'two', { three: [3, new Date(0)] }, null],
          nested: { a: { b: { c: 'déjà vu — 日本語 — עברית — e\u0301 — 𝄞' } } },
          meta: { owner: 'of_lldp', when: new Date(1_700_000_000_123) },
        };
        await c.put(doc);
        const got = await c.get(doc.id);
        expect(got).to.deep.equal(doc);
        expect(got!.created).to.be.instanceOf(Date);
        expect((got!.meta as { when: Date }).when).to.be.instanceOf(Date);
        expect(((got!.arr as unknown[])[2] as { three: unknown[] }).three[1]).to.be.instanceOf(Date);
      });

      it('should return undefined for a missing key', async () => {
        expect(await fresh().get('nope')).to.equal(undefined);
      });

      it('should replace the whole document on put (upsert)', async () => {
        const c = fresh();
        await c.put({ id: 'a', dpid: 'd1', priority: 1, created: new Date(1), state: 'x' });
        await c.put({ id: 'a', dpid: 'd2', priority: 2, created: new Date(2) });
        expect(await c.get('a')).to.deep.equal({ id: 'a', dpid: 'd2', priority: 2, created: new Date(2) });
        expect(await c.count()).to.equal(1);
      });

      it('should refuse invalid keys, reserved fields and non-objects', async () => {
        const c = fresh();
        const bad: unknown[] = [
          { id: '', dpid: 'd', priority: 1, created: new Date() },
          { id: 7, dpid: 'd', priority: 1, created: new Date() },
          { id: 'x'.repeat(513), dpid: 'd', priority: 1, created: new Date() },
          { id: 'ok', _id: 'mine', dpid: 'd', priority: 1, created: new Date() },
          { id: 'ok', dpid: 'é'.repeat(300), priority: 1, created: new Date() }, // indexed string > 512 bytes
          { id: 'ok', dpid: 'd', priority: 1, created: new Date(), 'a.b': 1 }, // not portable to MongoDB
          { id: 'ok', dpid: 'd', priority: 1, created: new Date(), $set: 1 },
          [1, 2],
          null,
        ];
        for (const b of bad) {
          let err: unknown;
          try {
            await c.put(b as Flow);
          } catch (e) {
            err = e;
          }
          expect(err, JSON.stringify(b)?.slice(0, 60)).to.be.instanceOf(StoreValidationError);
          expect((err as StoreValidationError).code).to.equal('STORE_INVALID');
        }
        expect(await c.count()).to.equal(0);
      });

      it('should store a 1 MB document intact', async () => {
        const c = fresh();
        const chunk = 'ab€𝄞✓z'; // 1- to 4-byte UTF-8 characters
        const big = chunk.repeat(Math.ceil(1_048_576 / Buffer.byteLength(chunk)));
        const numbers = Array.from({ length: 10_000 }, (_, i) => i * 1.5);
        const doc: Flow = { id: 'big', dpid: 'd', priority: 1, created: new Date(5), big, numbers };
        expect(Buffer.byteLength(big)).to.be.greaterThanOrEqual(1_048_576);
        await c.put(doc);
        const got = await c.get('big');
        expect(got!.big).to.equal(big);
        expect(got).to.deep.equal(doc);
      });
    });

    describe('patch', () => {
      it('should shallow-merge and return the new document', async () => {
        const c = fresh();
        await c.put({ id: 'p', dpid: 'd1', priority: 1, created: new Date(1), meta: { owner: 'a', x: 1 } });
        const next = await c.patch('p', { priority: 7, meta: { owner: 'b' }, state: 'on', dpid: undefined });
        const want = { id: 'p', dpid: 'd1', priority: 7, created: new Date(1), meta: { owner: 'b' }, state: 'on' };
        expect(next).to.deep.equal(want);
        expect(await c.get('p')).to.deep.equal(want);
      });

      it('should return undefined and create nothing when the key is absent', async () => {
        const c = fresh();
        expect(await c.patch('ghost', { priority: 1 })).to.equal(undefined);
        expect(await c.get('ghost')).to.equal(undefined);
        expect(await c.count()).to.equal(0);
      });

      it('should refuse to change the key', async () => {
        const c = fresh();
        await c.put({ id: 'k', dpid: 'd', priority: 1, created: new Date(1) });
        let err: unknown;
        try {
          await c.patch('k', { id: 'other' });
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(StoreValidationError);
        expect(await c.get('k')).to.include({ id: 'k' });
      });

      it('should refuse a patch whose result cannot be indexed, leaving the document as it was', async () => {
        const c = fresh();
        const before: Flow = { id: 'v', dpid: 'd', priority: 1, created: new Date(1) };
        await c.put(before);
        let err: unknown;
        try {
          await c.patch('v', { dpid: 'x'.repeat(600), state: 'changed' });
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(StoreValidationError);
        expect(await c.get('v')).to.deep.equal(before);
        expect((await c.list({ index: 'dpid', equals: 'd' })).map((d) => d.id)).to.deep.equal(['v']);
        // The store is still usable after the refused write.
        expect(await c.patch('v', { state: 'ok' })).to.deep.equal({ ...before, state: 'ok' });
      });

      it('should keep indexes in step with patched fields', async () => {
        const c = fresh();
        await c.put({ id: 'i', dpid: 'old', priority: 1, created: new Date(1) });
        await c.patch('i', { dpid: 'new' });
        expect(await c.list({ index: 'dpid', equals: 'old' })).to.deep.equal([]);
        expect((await c.list({ index: 'dpid', equals: 'new' })).map((d) => d.id)).to.deep.equal(['i']);
      });
    });

    describe('delete', () => {
      it('should remove a document and its index entries, reporting whether it existed', async () => {
        const c = fresh();
        await c.put({ id: 'd', dpid: 'x', priority: 1, created: new Date(1), tags: ['t'] });
        expect(await c.delete('d')).to.equal(true);
        expect(await c.delete('d')).to.equal(false);
        expect(await c.get('d')).to.equal(undefined);
        expect(await c.list({ index: 'dpid', equals: 'x' })).to.deep.equal([]);
        expect(await c.list({ index: 'tags', equals: 't' })).to.deep.equal([]);
        expect(await c.count()).to.equal(0);
      });
    });

    describe('list', () => {
      let c: Collection<Flow>;
      before(async () => {
        c = fresh();
        const docs: Flow[] = [
          { id: 'f5', dpid: 'sw2', priority: 10, created: new Date('2024-01-05'), tags: ['b'] },
          { id: 'f1', dpid: 'sw1', priority: 30, created: new Date('2024-01-01'), tags: ['a', 'b'] },
          { id: 'f3', dpid: 'sw1', priority: 20, created: new Date('2024-01-03'), meta: { owner: 'mef' } },
          { id: 'f2', dpid: 'sw10', priority: 20, created: new Date('2024-01-02'), tags: ['a', 'a'] },
          { id: 'f4', dpid: 'sw1', priority: -5, created: new Date('2024-01-04'), meta: { owner: 'lldp' } },
          { id: 'f6', dpid: 'zz', priority: 1.5, created: new Date('2024-01-06') },
          { id: 'f7', dpid: 'sw€', priority: 100, created: new Date('2024-01-07') },
        ];
        for (const d of docs) await c.put(d);
      });
      const ids = (docs: Flow[]) => docs.map((d) => d.id);

      it('should find by equality, ordered by key', async () => {
        expect(ids(await c.list({ index: 'dpid', equals: 'sw1' }))).to.deep.equal(['f1', 'f3', 'f4']);
        expect(ids(await c.list({ index: 'priority', equals: 20 }))).to.deep.equal(['f2', 'f3']);
        expect(ids(await c.list({ index: 'created', equals: new Date('2024-01-03') }))).to.deep.equal(['f3']);
        expect(await c.list({ index: 'dpid', equals: 'none' })).to.deep.equal([]);
      });

      it('should find by a nested (dotted) field', async () => {
        expect(ids(await c.list({ index: 'meta.owner', equals: 'mef' }))).to.deep.equal(['f3']);
      });

      it('should treat array fields as multikey and return each document once', async () => {
        expect(ids(await c.list({ index: 'tags', equals: 'a' }))).to.deep.equal(['f1', 'f2']);
        expect(ids(await c.list({ index: 'tags', equals: 'b' }))).to.deep.equal(['f1', 'f5']);
      });

      it('should find by string prefix, ordered by value then key', async () => {
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw1' }))).to.deep.equal(['f1', 'f3', 'f4', 'f2']);
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw' }))).to.deep.equal(['f1', 'f3', 'f4', 'f2', 'f5', 'f7']);
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw.' }))).to.deep.equal([]);
      });

      it('should find by numeric range with inclusive and exclusive bounds', async () => {
        expect(ids(await c.list({ index: 'priority', range: { gte: 1.5, lt: 30 } }))).to.deep.equal(['f6', 'f5', 'f2', 'f3']);
        expect(ids(await c.list({ index: 'priority', range: { gt: 20 } }))).to.deep.equal(['f1', 'f7']);
        expect(ids(await c.list({ index: 'priority', range: { lte: 1.5 } }))).to.deep.equal(['f4', 'f6']);
      });

      it('should find by Date range', async () => {
        const r = await c.list({ index: 'created', range: { gt: new Date('2024-01-02'), lte: new Date('2024-01-04') } });
        expect(ids(r)).to.deep.equal(['f3', 'f4']);
        expect(r[0]!.created).to.be.instanceOf(Date);
      });

      it('should compare a range with values of the bound type only', async () => {
        expect(ids(await c.list({ index: 'dpid', range: { gte: 'sw10', lt: 'sw2' } }))).to.deep.equal(['f2']);
        expect(await c.list({ index: 'priority', range: { gte: 'a' } })).to.deep.equal([]);
      });

      it('should honour limit', async () => {
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw', limit: 2 }))).to.deep.equal(['f1', 'f3']);
        expect(await c.list({ index: 'dpid', prefix: 'sw', limit: 0 })).to.deep.equal([]);
      });

      it('should walk in descending (value, key) order with reverse, limit counting from the top', async () => {
        expect(ids(await c.list({ index: 'dpid', equals: 'sw1', reverse: true }))).to.deep.equal(['f4', 'f3', 'f1']);
        expect(ids(await c.list({ index: 'priority', range: { gte: 1.5, lt: 30 }, reverse: true }))).to.deep.equal(['f3', 'f2', 'f5', 'f6']);
        expect(ids(await c.list({ index: 'created', range: { lte: new Date('2024-01-04') }, reverse: true, limit: 2 }))).to.deep.equal(['f4', 'f3']);
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw1', reverse: true }))).to.deep.equal(['f2', 'f4', 'f3', 'f1']);
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw', reverse: true, limit: 3 }))).to.deep.equal(['f7', 'f5', 'f2']);
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw1', reverse: false }))).to.deep.equal(['f1', 'f3', 'f4', 'f2']);
      });

      it('should keep only documents whose fields hold the where values, before limit counts', async () => {
        expect(ids(await c.list({ index: 'created', range: { gte: new Date(0) }, where: { dpid: 'sw1' } }))).to.deep.equal(['f1', 'f3', 'f4']);
        expect(ids(await c.list({ index: 'created', range: { gte: new Date(0) }, where: { dpid: 'sw1' }, reverse: true, limit: 2 }))).to.deep.equal(['f4', 'f3']);
        expect(ids(await c.list({ index: 'dpid', prefix: 'sw', where: { priority: 20 } }))).to.deep.equal(['f3', 'f2']);
        expect(ids(await c.list({ index: 'dpid', equals: 'sw1', where: { priority: 20, dpid: 'sw1' } }))).to.deep.equal(['f3']);
        expect(ids(await c.list({ index: 'priority', range: { gte: -10 }, where: { tags: 'a' } }))).to.deep.equal(['f2', 'f1']);
        expect(ids(await c.list({ index: 'dpid', equals: 'sw1', where: { tags: null } }))).to.deep.equal(['f3', 'f4']);
        expect(await c.list({ index: 'dpid', equals: 'sw1', where: { priority: 1000 } })).to.deep.equal([]);
      });

      it('should refuse a field that is not indexed and malformed queries', async () => {
        const bad = [
          { index: 'dpid', equals: 'x', reverse: 'yes' },
          { index: 'dpid', equals: 'x', where: {} },
          { index: 'dpid', equals: 'x', where: { _id: 'f1' } },
          { index: 'dpid', equals: 'x', where: { priority: { $gt: 1 } } },
          { index: 'state', equals: 'x' },
          { index: 'dpid', equals: 'x', prefix: 'y' },
          { index: 'dpid', equals: { $ne: 1 } },
          { index: 'priority', range: { gt: 1, gte: 2 } },
          { index: 'dpid', equals: 'x', limit: -1 },
        ];
        for (const q of bad) {
          let err: unknown;
          try {
            await c.list(q as never);
          } catch (e) {
            err = e;
          }
          expect(err, JSON.stringify(q)).to.be.instanceOf(StoreValidationError);
        }
      });

      it('should return everything ordered by key from all() and iteration, and count it', async () => {
        const want = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7'];
        expect(ids(await c.all())).to.deep.equal(want);
        const seen: string[] = [];
        for await (const d of c) seen.push(d.id);
        expect(seen).to.deep.equal(want);
        expect(await c.count()).to.equal(7);
      });
    });

    describe('key order', () => {
      it('should order unicode keys by their UTF-8 bytes in all(), iteration and index ties', async () => {
        const c = fresh();
        const keys = ['b', 'B', 'a', 'ab', 'a b', 'é', 'e', 'z', '日本', '🚀', '\uFFFD', 'Ω', '10', '9', '~'];
        for (const k of keys) await c.put({ id: k, dpid: 'same', priority: 1, created: new Date(1) });
        const want = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
        expect((await c.all()).map((d) => d.id)).to.deep.equal(want);
        const seen: string[] = [];
        for await (const d of c) seen.push(d.id);
        expect(seen).to.deep.equal(want);
        expect((await c.list({ index: 'dpid', equals: 'same' })).map((d) => d.id)).to.deep.equal(want);
      });
    });

    describe('batch', () => {
      it('should apply put, patch and delete in order', async () => {
        const c = fresh();
        await c.put({ id: 'gone', dpid: 'x', priority: 1, created: new Date(1) });
        await c.batch([
          { op: 'put', doc: { id: 'a', dpid: 'd1', priority: 1, created: new Date(1) } },
          { op: 'put', doc: { id: 'b', dpid: 'd1', priority: 2, created: new Date(2) } },
          { op: 'patch', key: 'a', changes: { dpid: 'd2' } },
          { op: 'delete', key: 'gone' },
          { op: 'delete', key: 'never-existed' },
          { op: 'patch', key: 'never-existed', changes: { priority: 9 } },
        ]);
        expect((await c.all()).map((d) => [d.id, d.dpid])).to.deep.equal([
          ['a', 'd2'],
          ['b', 'd1'],
        ]);
        expect((await c.list({ index: 'dpid', equals: 'd1' })).map((d) => d.id)).to.deep.equal(['b']);
        await c.batch([]);
        expect(await c.count()).to.equal(2);
      });

      it('should apply nothing when one operation is invalid', async () => {
        const c = fresh();
        let err: unknown;
        try {
          await c.batch([
            { op: 'put', doc: { id: 'ok', dpid: 'd', priority: 1, created: new Date(1) } },
            { op: 'put', doc: { id: '', dpid: 'd', priority: 1, created: new Date(1) } },
          ]);
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(StoreValidationError);
        expect(await c.count()).to.equal(0);
      });

      it('should apply nothing when a later operation fails inside the batch', async () => {
        const c = fresh();
        await c.put({ id: 'keep', dpid: 'd0', priority: 0, created: new Date(0) });
        let err: unknown;
        try {
          await c.batch([
            { op: 'put', doc: { id: 'new', dpid: 'd1', priority: 1, created: new Date(1) } },
            { op: 'delete', key: 'keep' },
            { op: 'patch', key: 'new', changes: { dpid: 'y'.repeat(600) } }, // its result cannot be indexed
          ]);
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(StoreValidationError);
        expect((await c.all()).map((d) => d.id)).to.deep.equal(['keep']);
        expect(await c.list({ index: 'dpid', equals: 'd1' })).to.deep.equal([]);
      });

      it('should store and index 10,000 documents', async function () {
        this.timeout(120_000);
        const c = fresh();
        const N = 10_000;
        for (let i = 0; i < N; i += 1000) {
          await c.batch(
            Array.from({ length: 1000 }, (_, j) => {
              const k = i + j;
              return {
                op: 'put' as const,
                doc: { id: `f${String(k).padStart(5, '0')}`, dpid: `sw${k % 10}`, priority: k, created: new Date(k) },
              };
            }),
          );
        }
        expect(await c.count()).to.equal(N);
        const sw3 = await c.list({ index: 'dpid', equals: 'sw3' });
        expect(sw3).to.have.length(N / 10);
        expect(sw3.every((d) => d.priority % 10 === 3)).to.equal(true);
        expect((await c.list({ index: 'priority', range: { gte: 9990 } })).map((d) => d.id)).to.deep.equal(
          Array.from({ length: 10 }, (_, j) => `f0${9990 + j}`),
        );
        const all = await c.all();
        expect(all).to.have.length(N);
        expect(all[4321]).to.deep.equal({ id: 'f04321', dpid: 'sw1', priority: 4321, created: new Date(4321) });
        let iterated = 0;
        let last = '';
        for await (const d of c) {
          expect(d.id > last).to.equal(true);
          last = d.id;
          iterated++;
        }
        expect(iterated).to.equal(N);
      });
    });

    describe('concurrency', () => {
      it('should keep one intact document when writers race on one key (last write wins)', async () => {
        const c = fresh();
        const W = 40;
        const docOf = (w: number): Flow => ({
          id: 'hot',
          dpid: `sw${w}`,
          priority: w,
          created: new Date(w),
          payload: String(w).repeat(2000),
          tags: [`w${w}`],
        });
        await Promise.all(Array.from({ length: W }, (_, w) => c.put(docOf(w))));
        const final = (await c.get('hot'))!;
        const w = final.priority;
        expect(final).to.deep.equal(docOf(w)); // not a mix of two writes
        // Index entries agree with the surviving document, none left behind by the losers.
        expect((await c.list({ index: 'dpid', prefix: 'sw' })).map((d) => d.priority)).to.deep.equal([w]);
        expect((await c.list({ index: 'tags', prefix: 'w' })).map((d) => d.priority)).to.deep.equal([w]);
        // Once the race is over, the next write is the one that is read back.
        await c.put(docOf(999));
        expect(await c.get('hot')).to.deep.equal(docOf(999));
      });

      it('should lose no field when patches of different fields race on one key', async () => {
        const c = fresh();
        await c.put({ id: 'p', dpid: 'd', priority: 0, created: new Date(0) });
        const P = 30;
        await Promise.all(Array.from({ length: P }, (_, i) => c.patch('p', { [`f${i}`]: i })));
        const got = (await c.get('p'))!;
        for (let i = 0; i < P; i++) expect(got[`f${i}`], `f${i}`).to.equal(i);
      });
    });

    describe('unsigned 64-bit integers', () => {
      const cookies = (): Collection<Cookie> => store.collection<Cookie>(`u${++n}`, { key: 'id', indexes: ['cookie'] });
      const ids = (docs: Cookie[]) => docs.map((d) => d.id);

      it('should round-trip bigints exactly as fields, nested and in arrays, and keep numbers numbers', async () => {
        const c = cookies();
        for (const [i, v] of U64S.entries()) {
          const doc: Cookie = { id: `v${i}`, cookie: v, nested: { deep: [v, { again: v }] }, list: [...U64S], safe: 2 ** 53 - 1, small: 7 };
          await c.put(doc);
          const got = (await c.get(doc.id))!;
          expect(got).to.deep.equal(doc);
          expect(typeof got.cookie, String(v)).to.equal('bigint');
          expect(got.cookie).to.equal(v);
          expect(((got.nested as { deep: [bigint, { again: bigint }] }).deep[1].again)).to.equal(v);
          expect(typeof got.safe).to.equal('number');
          expect(typeof got.small).to.equal('number');
        }
        const patched = await c.patch('v0', { big: 2n ** 64n - 1n, zero: 0n });
        expect(patched!.big).to.equal(2n ** 64n - 1n);
        expect((await c.get('v0'))!.zero).to.equal(0n);
      });

      it('should find each bigint by equality, and never confuse it with a number', async () => {
        const c = cookies();
        for (const [i, v] of U64S.entries()) await c.put({ id: `v${i}`, cookie: v });
        await c.put({ id: 'num', cookie: 0 });
        for (const [i, v] of U64S.entries()) {
          expect(ids(await c.list({ index: 'cookie', equals: v })), String(v)).to.deep.equal([`v${i}`]);
        }
        expect(ids(await c.list({ index: 'cookie', equals: 0 }))).to.deep.equal(['num']);
        expect(await c.list({ index: 'cookie', equals: 2n ** 63n + 5n })).to.deep.equal([]);
        expect(await c.list({ index: 'cookie', equals: 5 })).to.deep.equal([]);
      });

      it('should answer ranges across 2^63 with exactly the right documents, in numeric order', async () => {
        const c = cookies();
        // Written in reverse so that order comes from the values, not from insertion or keys.
        for (const [i, v] of [...SORTED.entries()].reverse()) await c.put({ id: `k${5 - i}`, cookie: v });
        await c.put({ id: 'number', cookie: 2 ** 62 });
        const values = async (q: Parameters<Collection<Cookie>['list']>[0]) => (await c.list(q)).map((d) => d.cookie);
        expect(await values({ index: 'cookie', range: { gte: 0n } })).to.deep.equal([...SORTED]);
        expect(await values({ index: 'cookie', range: { gte: 2n ** 63n - 1n, lte: 2n ** 63n } })).to.deep.equal([2n ** 63n - 1n, 2n ** 63n]);
        expect(await values({ index: 'cookie', range: { gt: 2n ** 63n - 1n } })).to.deep.equal(SORTED.slice(3));
        expect(await values({ index: 'cookie', range: { lt: 2n ** 63n } })).to.deep.equal(SORTED.slice(0, 3));
        expect(await values({ index: 'cookie', range: { gt: 2n ** 53n + 1n, lt: 2n ** 64n - 1n } })).to.deep.equal(SORTED.slice(2, 5));
        expect(await values({ index: 'cookie', range: { gte: 0xab00000000000000n, lte: 0xabffffffffffffffn } })).to.deep.equal([
          0xab00000000000001n,
        ]);
        expect(await values({ index: 'cookie', range: { gte: 2n ** 63n }, limit: 1 })).to.deep.equal([2n ** 63n]);
        expect(await values({ index: 'cookie', range: { gte: 0 } })).to.deep.equal([2 ** 62]);
      });

      it('should index each bigint of an array (multikey)', async () => {
        const c = cookies();
        await c.put({ id: 'a', cookie: [2n ** 63n, 1n] });
        await c.put({ id: 'b', cookie: [2n ** 64n - 1n] });
        expect(ids(await c.list({ index: 'cookie', equals: 1n }))).to.deep.equal(['a']);
        expect(ids(await c.list({ index: 'cookie', range: { gte: 2n ** 63n } }))).to.deep.equal(['a', 'b']);
      });

      it('should refuse bigints outside 0 .. 2^64-1 in documents, patches and queries', async () => {
        const c = cookies();
        for (const bad of [-1n, 2n ** 64n]) {
          expect(await rejection(c.put({ id: 'x', cookie: bad })), String(bad)).to.be.instanceOf(StoreValidationError);
          expect(await rejection(c.put({ id: 'x', cookie: 1n, deep: { v: [bad] } }))).to.be.instanceOf(StoreValidationError);
          expect(await rejection(c.list({ index: 'cookie', equals: bad }))).to.be.instanceOf(StoreValidationError);
        }
        await c.put({ id: 'x', cookie: 1n });
        expect(await rejection(c.patch('x', { other: -1n }))).to.be.instanceOf(StoreValidationError);
        expect(await c.get('x')).to.deep.equal({ id: 'x', cookie: 1n });
      });
    });

    describe('nested arrays', () => {
      it('should store nested arrays and read them back unchanged', async () => {
        const c = store.collection<Cookie>(`na${++n}`, { key: 'id', indexes: ['vlan'] });
        const doc = { id: 'n', cookie: 1n, vlan: [[1, 4094]], x: [[1, [2, 3]]], deep: { m: [[], [[]], [[new Date(3), 2n ** 63n, null]]] } };
        await c.put(doc);
        expect(await c.get('n')).to.deep.equal(doc);
        expect((await c.patch('n', { x: [[[0]]] }))!.x).to.deep.equal([[[0]]]);
        await c.batch([{ op: 'put', doc: { id: 'm', cookie: 2n, vlan: [[5, 6], 7] } }]);
        expect(await c.get('m')).to.deep.equal({ id: 'm', cookie: 2n, vlan: [[5, 6], 7] });
        expect((await c.list({ index: 'vlan', equals: 7 })).map((d) => d.id)).to.deep.equal(['m']);
        expect((await c.all()).map((d) => d.id)).to.deep.equal(['m', 'n']);
      });

      it('should round-trip objects that look like an adapter encoding', async () => {
        const c = store.collection<Cookie>(`na${++n}`, { key: 'id' });
        const doc = { id: 'o', cookie: 0n, a: { _lattice_array: [1] }, b: [{ _lattice_object: { x: 1 } }], c: { _lattice_array: [[2]], y: 1 } };
        await c.put(doc);
        expect(await c.get('o')).to.deep.equal(doc);
      });
    });

    describe('conditional writes', () => {
      const uniq = (): Collection<Cookie> =>
        store.collection<Cookie>(`cw${++n}`, { key: 'id', indexes: ['cookie', 'owner'], unique: ['cookie'] });

      it('should refuse a duplicate value of a unique index with StoreConflictError, writing nothing', async () => {
        const c = uniq();
        await c.put({ id: 'a', cookie: 2n ** 63n, owner: 'x' });
        await c.put({ id: 'b', cookie: 5, owner: 'x' }); // owner is not unique
        await c.put({ id: 'a', cookie: 2n ** 63n, owner: 'again' }); // a document may keep its own value
        const err = await rejection(c.put({ id: 'c', cookie: 2n ** 63n }));
        expect(err).to.be.instanceOf(StoreConflictError);
        expect((err as StoreConflictError).code).to.equal('CONFLICT');
        expect(await rejection(c.patch('b', { cookie: 2n ** 63n }))).to.be.instanceOf(StoreConflictError);
        expect(await rejection(c.create({ id: 'd', cookie: 2n ** 63n }))).to.be.instanceOf(StoreConflictError);
        expect(await rejection(c.batch([{ op: 'put', doc: { id: 'e', cookie: 2n ** 63n } }]))).to.be.instanceOf(StoreConflictError);
        expect((await c.all()).map((d) => [d.id, d.cookie])).to.deep.equal([
          ['a', 2n ** 63n],
          ['b', 5],
        ]);
        // Within one batch too: two keys cannot end up with one value; moving a value is fine.
        expect(
          await rejection(
            c.batch([
              { op: 'put', doc: { id: 'x', cookie: 9n } },
              { op: 'put', doc: { id: 'y', cookie: [8n, 9n] } },
            ]),
          ),
        ).to.be.instanceOf(StoreConflictError);
        expect(await c.get('x')).to.equal(undefined);
        await c.batch([
          { op: 'patch', key: 'b', changes: { cookie: 6 } },
          { op: 'put', doc: { id: 'x', cookie: 5 } },
        ]);
        expect(await rejection(c.batch([{ op: 'put', doc: { id: 'y', cookie: 6 } }]))).to.be.instanceOf(StoreConflictError);
        await c.batch([{ op: 'delete', key: 'x' }, { op: 'patch', key: 'b', changes: { cookie: 5 } }]);
        // Once the holder is gone, the value is free again.
        await c.delete('a');
        await c.put({ id: 'c', cookie: 2n ** 63n });
        expect((await c.list({ index: 'cookie', equals: 2n ** 63n })).map((d) => d.id)).to.deep.equal(['c']);
      });

      it('should create only when the key is absent', async () => {
        const c = uniq();
        await c.create({ id: 'k', cookie: 1n });
        const err = await rejection(c.create({ id: 'k', cookie: 2n }));
        expect(err).to.be.instanceOf(StoreConflictError);
        expect((err as StoreConflictError).key).to.equal('k');
        expect(await c.get('k')).to.deep.equal({ id: 'k', cookie: 1n });
        expect(await rejection(c.create({ id: '', cookie: 3n }))).to.be.instanceOf(StoreValidationError);
      });

      it('should give exactly one winner among 50 concurrent creators of one key', async () => {
        const c = store.collection<Cookie>(`race${++n}`, { key: 'id' });
        const W = 50;
        const results = await Promise.allSettled(Array.from({ length: W }, (_, w) => c.create({ id: 'one', cookie: BigInt(w), owner: `w${w}` })));
        const won = results.flatMap((r, w) => (r.status === 'fulfilled' ? [w] : []));
        expect(won).to.have.length(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(StoreConflictError);
        expect(await c.get('one')).to.deep.equal({ id: 'one', cookie: BigInt(won[0]!), owner: `w${won[0]}` });
        expect(await c.count()).to.equal(1);
      });

      it('should compare-and-set: apply only while the expected values hold', async () => {
        const c = store.collection<Counter>(`cas${++n}`, { key: 'id' });
        expect(await c.patchIf('ghost', { version: 0 }, { count: 1 })).to.deep.equal({ applied: false, current: undefined });
        expect(await c.get('ghost')).to.equal(undefined);
        await c.put({ id: 'k', version: 1, count: 0, tag: 2n ** 63n });
        expect(await c.patchIf('k', { version: 2 }, { count: 9 })).to.deep.equal({
          applied: false,
          current: { id: 'k', version: 1, count: 0, tag: 2n ** 63n },
        });
        expect(await c.patchIf('k', { version: 1, tag: 2n ** 63n, absent: null }, { version: 2, count: 1 })).to.deep.equal({
          applied: true,
          doc: { id: 'k', version: 2, count: 1, tag: 2n ** 63n },
        });
        expect((await c.patchIf('k', { tag: 2n ** 63n + 1n }, { count: 5 })).applied).to.equal(false);
        for (const bad of [{}, { _id: 'k' }, { 'a.b': 1 }, { version: { $gt: 0 } }, { version: -1n }]) {
          expect(await rejection(c.patchIf('k', bad as never, { count: 5 })), JSON.stringify(bad, (_, v) => String(v))).to.be.instanceOf(StoreValidationError);
        }
        expect(await c.get('k')).to.deep.equal({ id: 'k', version: 2, count: 1, tag: 2n ** 63n });
      });

      it('should lose no update when 50 writers read, compare-and-set and retry', async () => {
        const c = store.collection<Counter>(`cas${++n}`, { key: 'id' });
        await c.put({ id: 'hot', version: 0, count: 0 });
        const W = 50;
        let attempts = 0;
        const writer = async (w: number) => {
          for (;;) {
            const cur = (await c.get('hot'))!;
            attempts++;
            const r = await c.patchIf('hot', { version: cur.version }, { version: cur.version + 1, count: cur.count + 1, [`w${w}`]: true });
            if (r.applied) return;
          }
        };
        await Promise.all(Array.from({ length: W }, (_, w) => writer(w)));
        const got = (await c.get('hot'))!;
        expect(got.count).to.equal(W);
        expect(got.version).to.equal(W);
        for (let w = 0; w < W; w++) expect(got[`w${w}`], `w${w}`).to.equal(true);
        expect(attempts).to.be.greaterThanOrEqual(W);
      });

      it('should stay exact across two store instances on one database (as two controller processes)', async () => {
        const other = await h.open();
        try {
          const name = `two${++n}`;
          const cs = [store, other].map((s) => s.collection<Counter>(name, { key: 'id' }));
          await cs[0]!.put({ id: 'hot', version: 0, count: 0 });
          const W = 50;
          await Promise.all(
            Array.from({ length: W }, async (_, w) => {
              const c = cs[w % 2]!;
              for (;;) {
                const cur = (await c.get('hot'))!;
                if ((await c.patchIf('hot', { version: cur.version }, { version: cur.version + 1, count: cur.count + 1 })).applied) return;
              }
            }),
          );
          expect(await cs[1]!.get('hot')).to.deep.equal({ id: 'hot', version: W, count: W });
          const results = await Promise.allSettled(Array.from({ length: W }, (_, w) => cs[w % 2]!.create({ id: 'one', version: w, count: 0 })));
          expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
          for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(StoreConflictError);
        } finally {
          await other.close();
        }
      });

      it('should refuse a unique field that is not an index', () => {
        expect(() => store.collection<Cookie>(`bad${++n}`, { key: 'id', indexes: ['owner'], unique: ['cookie'] })).to.throw(StoreValidationError);
      });
    });

    describe('lifecycle', () => {
      it('should keep documents and indexes across close and reopen, and refuse use after close', async () => {
        const s1 = await h.open();
        const name = `reopen${Date.now()}`;
        const c1 = s1.collection<Flow>(name, { key: 'id', indexes: ['dpid'] });
        await c1.put({ id: 'r1', dpid: 'sw', priority: 1, created: new Date(11), meta: { owner: 'x' } });
        await c1.batch([{ op: 'put', doc: { id: 'r2', dpid: 'sw', priority: 2, created: new Date(12) } }]);
        await s1.close();
        await s1.close(); // idempotent
        let err: unknown;
        try {
          await c1.get('r1');
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(StoreClosedError);
        expect((err as StoreClosedError).code).to.equal('STORE_CLOSED');

        // Reopen with one more index: existing documents are found through it.
        const s2 = await h.open();
        const c2 = s2.collection<Flow>(name, { key: 'id', indexes: ['dpid', 'meta.owner'] });
        expect(await c2.get('r1')).to.deep.equal({ id: 'r1', dpid: 'sw', priority: 1, created: new Date(11), meta: { owner: 'x' } });
        expect((await c2.list({ index: 'dpid', equals: 'sw' })).map((d) => d.id)).to.deep.equal(['r1', 'r2']);
        expect((await c2.list({ index: 'meta.owner', equals: 'x' })).map((d) => d.id)).to.deep.equal(['r1']);
        await s2.close();
      });

      it('should refuse to open one collection with two different specs', () => {
        const name = `spec${n++}`;
        store.collection<Flow>(name, { key: 'id', indexes: ['dpid'] });
        expect(() => store.collection<Flow>(name, { key: 'id', indexes: ['dpid'] })).not.to.throw();
        expect(() => store.collection<Flow>(name, { key: 'id', indexes: ['priority'] })).to.throw(StoreValidationError);
      });

      it('should refuse invalid collection names', () => {
        for (const bad of ['', '_lattice.batches', 'a/b', 'a b', 'a..b', '.a', 'x'.repeat(200), '$x']) {
          expect(() => store.collection<Flow>(bad, { key: 'id' }), bad).to.throw(StoreValidationError);
        }
      });
    });

    describe('scoped', () => {
      it('should namespace collections per NApp', async () => {
        const topo = store.scoped('kytos/topology');
        const lldp = store.scoped('kytos/of_lldp');
        const a = topo.collection<Flow>('things', { key: 'id' });
        const b = lldp.collection<Flow>('things', { key: 'id' });
        await a.put({ id: 'same', dpid: 'topology', priority: 1, created: new Date(1) });
        await b.put({ id: 'same', dpid: 'lldp', priority: 2, created: new Date(2) });
        expect((await a.get('same'))!.dpid).to.equal('topology');
        expect((await b.get('same'))!.dpid).to.equal('lldp');
        expect(a.name).to.equal('kytos.topology.things');
        const raw = store.collection<Flow>('kytos.topology.things', { key: 'id' });
        expect((await raw.get('same'))!.dpid).to.equal('topology');
        expect(topo.status()).to.deep.equal(store.status());
        expect(() => store.scoped('../etc')).to.throw(StoreValidationError);
      });
    });
  });
}

for (const h of [embeddedHarness(), mongoHarness()]) contract(h);
