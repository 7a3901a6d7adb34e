import { expect } from 'chai';
import { AuditLog, decodeCursor, type AuditEntry } from '../../../src/auth/audit.js';
import type { Store } from '../../../src/store/ports.js';
import { embeddedHarness, mongoHarness, type Harness } from '../../contract/harness.js';

const BASE = Date.UTC(2026, 5, 1, 0, 0, 0);
const USERS = ['alice', 'bob', 'carol'];
const STATUSES = [200, 201, 401, 403, 500];

/** Entry i: three entries per millisecond (so pages end inside one), users and statuses in turn, a rare user. */
const entryOf = (i: number): Omit<AuditEntry, 'id'> => ({
  at: new Date(BASE + Math.floor(i / 3)),
  user: i % 500 === 7 ? 'rare' : USERS[i % 3]!,
  method: 'POST',
  path: `/p/${i}`,
  status: STATUSES[i % 5]!,
  remote: '127.0.0.1',
});

/** Newest first: by time, then id. */
const newestFirst = (a: AuditEntry, b: AuditEntry) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function suite(h: Harness) {
  // FerretDB (SQLite) scans the collection for every query: fewer entries there.
  const N = h.backend === 'mongodb' ? 1500 : 6000;
  describe(`audit log query: ${h.backend} (${N} entries)`, function () {
    this.timeout(120_000);
    let store: Store;
    let audit: AuditLog;
    let all: AuditEntry[];
    /** Documents the store handed back to the audit log, summed over list() calls. */
    let fetched = 0;

    before(async function () {
      await h.setUp(this);
      store = await h.open();
      audit = new AuditLog(store);
      for (let i = 0; i < N; i += 250) await Promise.all(Array.from({ length: Math.min(250, N - i) }, (_, k) => audit.record(entryOf(i + k))));
      all = (await audit.collection.all()).sort(newestFirst);
      expect(all).to.have.length(N);
      const list = audit.collection.list.bind(audit.collection);
      audit.collection.list = async (q) => {
        const rows = await list(q);
        fetched += rows.length;
        return rows;
      };
    });
    after(async () => {
      await store?.close();
      await h.tearDown();
    });

    /** Every page from the newest, following `next`; checks each page's store reads stay near its size. */
    async function walk(query: { limit: number; user?: string; status?: number; since?: Date }): Promise<AuditEntry[]> {
      const out: AuditEntry[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < N + 2; pages++) {
        fetched = 0;
        const page = await audit.query({ ...query, ...(before ? { before: decodeCursor(before)! } : {}) });
        // The page, plus the few read to skip the rest of the cursor's millisecond (3 entries per ms here).
        expect(fetched).to.be.at.most(query.limit + 8);
        expect(page.entries.length).to.be.at.most(query.limit);
        out.push(...page.entries);
        if (!page.next) return out;
        expect(page.entries).to.have.length(query.limit);
        before = page.next;
      }
      throw new Error('the pages did not end');
    }
    const ids = (es: AuditEntry[]) => es.map((e) => e.id);

    it('should page through every entry newest first, none twice, none missed, reading only each page from the store', async () => {
      expect(ids(await walk({ limit: h.backend === 'mongodb' ? 61 : 7 }))).to.deep.equal(ids(all));
      expect(ids(await walk({ limit: 1000 }))).to.deep.equal(ids(all));
      fetched = 0;
      const first = await audit.query({ limit: 10 });
      expect(ids(first.entries)).to.deep.equal(ids(all.slice(0, 10)));
      expect(fetched).to.equal(10);
      expect(first.entries[0]!.at).to.be.instanceOf(Date);
    });

    it('should filter by user and by status inside the store query, and both at once', async () => {
      expect(ids(await walk({ limit: 50, user: 'bob' }))).to.deep.equal(ids(all.filter((e) => e.user === 'bob')));
      expect(ids(await walk({ limit: 4, user: 'rare' }))).to.deep.equal(ids(all.filter((e) => e.user === 'rare')));
      expect(ids(await walk({ limit: 33, status: 401 }))).to.deep.equal(ids(all.filter((e) => e.status === 401)));
      const both = all.filter((e) => e.user === 'alice' && e.status === 403);
      expect(both.length).to.be.at.least(N / 15 - 5);
      expect(ids(await walk({ limit: 17, user: 'alice', status: 403 }))).to.deep.equal(ids(both));
      expect((await audit.query({ limit: 10, user: 'nobody' })).entries).to.deep.equal([]);
    });

    it('should stop at since, inclusive, also across pages', async () => {
      const since = new Date(BASE + N / 3 - 100);
      const want = all.filter((e) => e.at >= since);
      expect(want).to.have.length(300);
      expect(ids(await walk({ limit: 40, since }))).to.deep.equal(ids(want));
      expect(ids(await walk({ limit: 9, since, user: 'carol' }))).to.deep.equal(ids(want.filter((e) => e.user === 'carol')));
    });
  });
}

for (const h of [embeddedHarness(), mongoHarness()]) suite(h);
