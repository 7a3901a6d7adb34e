import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { mongoHarness } from '../../contract/harness.js';
import { until } from '../../helpers/log.js';

interface Doc {
  id: string;
  at: Date;
  user: string;
  name: string;
}

describe('MongoDB adapter: index layout', function () {
  this.timeout(60_000);
  const h = mongoHarness();
  let client: MongoClient;
  before(async function () {
    await h.setUp(this);
    client = new MongoClient(h.wire().uri);
    await client.connect();
  });
  after(async () => {
    await client?.close();
    await h.tearDown();
  });

  const keysOf = async (coll: string) => {
    const out: Record<string, unknown> = {};
    for (const i of await client.db(h.options().mongodb.dbName).collection(coll).listIndexes().toArray()) out[String(i.name)] = Object.entries(i.key as Record<string, unknown>).map(([f, d]) => [f, Number(d)]);
    return out;
  };

  it('should index (field, _id) so that the list order is the index order, replace the earlier single-field index, and leave existing ones alone on reopen', async () => {
    const db = client.db(h.options().mongodb.dbName);
    // The earlier layout: lattice_at on the field alone.
    await db.collection('ix').createIndex({ at: 1 }, { name: 'lattice_at' });
    const spec = { key: 'id', indexes: ['at', 'user', 'name'], unique: ['name'] } as const;
    for (let round = 0; round < 2; round++) {
      const store = await h.open();
      try {
        const c = store.collection<Doc>('ix', { ...spec, indexes: [...spec.indexes], unique: [...spec.unique] });
        // A unique index is in place before the first write returns.
        await c.put({ id: `d${round}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, round)), user: 'u', name: `n${round}` });
        const descending = await c.list({ index: 'at', range: { gte: new Date(0) }, reverse: true, limit: 1 });
        expect(descending.map((d) => d.id)).to.deep.equal([`d${round}`]);
        await until(async () => Object.keys(await keysOf('ix')).length === 4, 5000, 'the indexes');
        expect(await keysOf('ix')).to.deep.equal({
          _id_: [['_id', 1]],
          lattice_at: [['at', 1], ['_id', 1]],
          lattice_user: [['user', 1], ['_id', 1]],
          lattice_unique_name: [['name', 1]],
        });
      } finally {
        await store.close();
      }
    }
  });
});
