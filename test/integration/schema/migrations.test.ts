/**
 * Schema versions and migrations, on both store adapters, through the real
 * controller: a NApp at version 2 starts on documents of version 1 (written as
 * the previous code wrote them, with no version recorded), its migration runs
 * once and is logged, a restart changes nothing, and a controller whose code
 * knows an older version refuses to start.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startController, tempDataDir, type Controller } from '../../../src/main.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { defineNApp, type Migration, type NAppContext } from '../../../src/sdk/index.js';
import { SCHEMA_VERSIONS, type SchemaVersionDoc } from '../../../src/platform/migrations.js';
import { startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';
import { silentLog } from '../../helpers/log.js';

/** Version 1 kept a port's MAC as the switch printed it; version 2 keeps it lower-case with colons, and its vendor prefix. */
interface PortV1 {
  id: string;
  mac: string;
}
interface PortV2 {
  id: string;
  mac: string;
  oui: string;
}
const SPEC = { key: 'id', indexes: ['oui'] } as const;
const ports = (ctx: { store: Store }) => ctx.store.collection<PortV2>('ports', { key: 'id', indexes: [...SPEC.indexes] });

const toV2: Migration = {
  to: 2,
  description: 'ports: MAC in lower case with colons, and its OUI',
  async up(ctx) {
    const coll = ports(ctx);
    for await (const doc of coll) {
      const mac = doc.mac.toLowerCase().replaceAll('-', ':');
      const oui = mac.slice(0, 8);
      if (doc.mac === mac && doc.oui === oui) continue; // already v2
      await coll.put({ id: doc.id, mac, oui });
      ctx.log.info({ id: doc.id }, 'port migrated');
    }
  },
};

const fixtureNApp = (version: 1 | 2, seen: PortV2[][]) =>
  defineNApp({
    manifest: { username: 'lattice', name: 'schema_fixture', version: '1.0.0' },
    schema: { ports: version === 2 ? { version: 2, migrations: [toV2] } : { version: 1 } },
    async setup(ctx: NAppContext) {
      seen.push(await ports(ctx).all()); // what the NApp reads at setup: already migrated
    },
  });

/** A JSON-lines logger whose lines the test reads. */
function recordingLog(): { log: pino.Logger; lines: () => Record<string, any>[] } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines: () => out.map((l) => JSON.parse(l)) };
}

const V1: PortV1[] = [
  { id: 'p1', mac: 'AA-BB-CC-00-00-01' },
  { id: 'p2', mac: 'aa:bb:cc:00:00:02' },
  { id: 'p3', mac: '0A-1B-2C-3D-4E-5F' },
];

for (const backend of ['embedded', 'mongodb'] as const) {
  describe(`schema migrations at start (${backend} store)`, function () {
    this.timeout(60_000);
    let db: MongoWire | undefined;
    let storeOverrides: Record<string, unknown>;

    before(async function () {
      if (backend === 'mongodb') db = await startMongoWireOrSkip(this);
    });
    after(async () => db?.stop());
    beforeEach(function () {
      const dataDir = tempDataDir();
      storeOverrides =
        backend === 'embedded'
          ? { backend, dataDir }
          : { backend, dataDir, mongodbUri: db!.uri, mongodbDatabase: `schema_${this.currentTest!.title.replace(/\W+/g, '_').slice(0, 40)}` };
    });

    const open = () =>
      openStore({
        backend,
        dataDir: storeOverrides.dataDir as string,
        mongodb: { uri: (storeOverrides.mongodbUri as string) ?? '', dbName: (storeOverrides.mongodbDatabase as string) ?? 'x' },
        log: silentLog(),
      });
    const start = (version: 1 | 2, seen: PortV2[][], log = silentLog()): Promise<Controller> =>
      startController({
        overrides: {
          http: { host: '127.0.0.1', port: 0 },
          openflow: { host: '127.0.0.1', port: 0 },
          store: storeOverrides,
          napps: { enabled: [] },
        },
        napps: [fixtureNApp(version, seen)],
        log,
      });

    async function writeV1(): Promise<void> {
      const store = await open();
      const coll = store.scoped('lattice/schema_fixture').collection<PortV1>('ports', { key: 'id' });
      for (const p of V1) await coll.put(p);
      await store.close();
    }

    async function readBack(): Promise<{ docs: PortV2[]; version: SchemaVersionDoc | undefined; core: SchemaVersionDoc | undefined }> {
      const store = await open();
      const docs = await ports({ store: store.scoped('lattice/schema_fixture') }).all();
      const versions = store.collection<SchemaVersionDoc>(SCHEMA_VERSIONS, { key: 'collection' });
      const out = { docs, version: await versions.get('lattice.schema_fixture.ports'), core: await versions.get('users') };
      await store.close();
      return out;
    }

    const EXPECTED: PortV2[] = [
      { id: 'p1', mac: 'aa:bb:cc:00:00:01', oui: 'aa:bb:cc' },
      { id: 'p2', mac: 'aa:bb:cc:00:00:02', oui: 'aa:bb:cc' },
      { id: 'p3', mac: '0a:1b:2c:3d:4e:5f', oui: '0a:1b:2c' },
    ];

    it('should migrate version-1 documents before the NApp reads them, log it, and record version 2', async () => {
      await writeV1();
      const seen: PortV2[][] = [];
      const rec = recordingLog();
      const c = await start(2, seen, rec.log);
      await c.stop();
      expect(seen[0]).to.deep.equal(EXPECTED);
      const steps = rec.lines().filter((l) => l.msg === 'schema migration applied');
      expect(steps.map((l) => l.schema)).to.deep.equal([{ collection: 'lattice.schema_fixture.ports', from: 1, to: 2, description: toV2.description }]);
      expect(steps[0].napp).to.equal('lattice/schema_fixture');
      const back = await readBack();
      expect(back.docs).to.deep.equal(EXPECTED);
      expect(back.version?.version).to.equal(2);
      expect(back.version?.history.map((h) => h.to)).to.deep.equal([2]);
      expect(back.core?.version, 'core collections carry their version too').to.equal(1);
      // The index the new version declares answers for migrated documents.
      const store = await open();
      const byOui = await ports({ store: store.scoped('lattice/schema_fixture') }).list({ index: 'oui', equals: 'aa:bb:cc' });
      await store.close();
      expect(byOui.map((p) => p.id)).to.deep.equal(['p1', 'p2']);
    });

    it('should change nothing on a second start, and the migration itself is idempotent', async () => {
      await writeV1();
      const first = await start(2, []);
      await first.stop();
      const before = await readBack();
      const rec = recordingLog();
      const seen: PortV2[][] = [];
      const again = await start(2, seen, rec.log);
      await again.stop();
      expect(rec.lines().filter((l) => /schema migration/.test(l.msg))).to.deep.equal([]);
      expect(seen[0]).to.deep.equal(EXPECTED);
      const after = await readBack();
      expect(after.version).to.deep.equal(before.version);
      // Running the step again over migrated documents (a crash before the version was recorded) writes nothing.
      const store = await open();
      const log = recordingLog();
      await toV2.up({ store: store.scoped('lattice/schema_fixture'), log: log.log, collection: 'ports' });
      await store.close();
      expect(log.lines().filter((l) => l.msg === 'port migrated')).to.deep.equal([]);
      expect((await readBack()).docs).to.deep.equal(EXPECTED);
    });

    it('should refuse to start code that knows an older version (a downgrade), changing nothing', async () => {
      await writeV1();
      const upgraded = await start(2, []);
      await upgraded.stop();
      const seen: PortV2[][] = [];
      let error: Error | undefined;
      try {
        const c = await start(1, seen);
        await c.stop();
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.equal(
        'collection lattice.schema_fixture.ports is at schema version 2, but this Lattice knows versions up to 1: ' +
          'a downgrade is refused (run the newer Lattice, or restore a backup taken before the upgrade)',
      );
      expect(seen, 'the NApp never ran').to.deep.equal([]);
      const back = await readBack();
      expect(back.version?.version).to.equal(2);
      expect(back.docs).to.deep.equal(EXPECTED);
    });

    it('should start a fresh store at the declared version (migrations over no documents)', async () => {
      const c = await start(2, []);
      await c.stop();
      const back = await readBack();
      expect(back.docs).to.deep.equal([]);
      expect(back.version?.version).to.equal(2);
    });
  });
}
