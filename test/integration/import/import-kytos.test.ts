/**
 * `lattice import-kytos` end to end: Kytos-ng's documents (test/fixtures/kytos-ng)
 * read from a mongodump folder (exact BSON: Decimal128 cookies, nested tag
 * arrays) and from a real MongoDB-wire server, imported into both store
 * adapters; then the controller starts on the imported store with real OVS
 * bridges of the same dpids and installs the imported flows and the imported
 * EVC's flows; the imported user logs in; a re-run changes nothing; a bad
 * document refuses the whole import; a running controller refuses it.
 *
 * FerretDB 1.x (the test's MongoDB-wire server when no mongod is installed)
 * holds neither Decimal128 nor nested arrays, so the MongoDB-source case
 * stores every collection but `flows` and `interface_details` there; their
 * exact BSON comes from the mongodump folder.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../../src/config/index.js';
import { importKytosCommand } from '../../../src/cli/import-kytos.js';
import { run } from '../../../src/cli/main.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { tempDataDir } from '../../../src/main.js';
import { SCHEMA_VERSIONS } from '../../../src/platform/migrations.js';
import { interfaceIsNni } from '../../../src/sdk/index.js';
import { freePort, startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';
import { skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { silentLog, until } from '../../helpers/log.js';
import { startControllerProcess } from '../../helpers/controller-process.js';
import { DPID_1, DPID_2, EVC_COOKIE, EVC_ID, kytosCollections, LINK_ID, LLDP_COOKIE, NNI_1, NNI_2, UNI_A, UNI_Z, USER, writeDump } from '../../fixtures/kytos-ng/documents.js';

type Backend = 'embedded' | 'mongodb';
const NAPPS = ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline'];
const LATTICE_COLLECTIONS = [
  'users',
  'kytos.flow_manager.flows',
  'kytos.maintenance.windows',
  'kytos.mef_eline.evcs',
  'kytos.of_lldp.liveness',
  'kytos.topology.switches',
  'kytos.topology.links',
  'kytos.topology.interface_details',
  'kytos.topology.tag_claims',
];

interface Output {
  code: number;
  out: string;
  err: string;
}

describe('lattice import-kytos', function () {
  this.timeout(240_000);
  let mongo: MongoWire;
  let dump: string;
  let seq = 0;

  before(async function () {
    mongo = await startMongoWireOrSkip(this);
    dump = mkdtempSync(join(tmpdir(), 'kytos-dump-'));
    await writeDump(dump, kytosCollections());
  });
  after(async () => mongo?.stop());

  /** A fresh Lattice store of that backend: its config overrides. */
  function freshStore(backend: Backend): Record<string, unknown> {
    return backend === 'embedded' ? { backend, dataDir: tempDataDir() } : { backend, dataDir: tempDataDir(), mongodbUri: mongo.uri, mongodbDatabase: `lattice_import_${++seq}` };
  }

  async function importFrom(store: Record<string, unknown>, args: { from: string; db?: string; dryRun?: boolean; json?: boolean; httpPort?: number; overwrite?: boolean }): Promise<Output> {
    const out: string[] = [];
    const err: string[] = [];
    const config = loadConfig({ env: {}, overrides: { store, http: { host: '127.0.0.1', port: args.httpPort ?? (await freePort()) } } });
    const code = await importKytosCommand({
      from: args.from,
      db: args.db ?? 'napps',
      dryRun: args.dryRun ?? false,
      overwrite: args.overwrite ?? false,
      json: args.json ?? false,
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      config,
    }).catch((e: { exitCode?: number; message: string }) => {
      err.push(e.message);
      return e.exitCode ?? -1;
    });
    return { code, out: out.join(''), err: err.join('') };
  }

  async function openLattice(store: Record<string, unknown>): Promise<Store> {
    return openStore({
      backend: store.backend as Backend,
      dataDir: store.dataDir as string,
      mongodb: { uri: (store.mongodbUri as string) ?? 'mongodb://127.0.0.1:1', dbName: (store.mongodbDatabase as string) ?? 'x' },
      log: silentLog(),
    });
  }

  /** Document counts of every collection the import writes, and the schema versions recorded. */
  async function counts(store: Record<string, unknown>): Promise<Record<string, number>> {
    const s = await openLattice(store);
    const out: Record<string, number> = {};
    for (const name of [...LATTICE_COLLECTIONS, SCHEMA_VERSIONS]) out[name] = await s.collection<{ id: string }>(name, { key: name === 'users' ? ('_id' as 'id') : name === SCHEMA_VERSIONS ? ('collection' as 'id') : 'id' }).count();
    await s.close();
    return out;
  }

  for (const backend of ['embedded', 'mongodb'] as const) {
    describe(`into the ${backend} store`, () => {
      let ovs: Ovs | undefined;
      let c: TestController | undefined;
      afterEach(async () => {
        await c?.stop();
        c = undefined;
        await ovs?.stop();
        ovs = undefined;
      });

      it('should import every collection, change nothing on a second run, and run the network it describes', async function () {
        await skipWithoutOvs(this);
        const store = freshStore(backend);
        const first = await importFrom(store, { from: dump, json: true });
        expect(first.code, first.err).to.equal(0);
        const report = JSON.parse(first.out);
        expect(report.refused).to.deep.equal([]);
        expect(report.read).to.deep.equal({ evcs: 1, flow_checks: 2, flows: 6, interface_details: 4, links: 1, liveness: 2, 'maintenance.windows': 2, switches: 2, users: 1 });
        const inserted = Object.fromEntries(report.collections.map((x: { collection: string; inserted: number }) => [x.collection, x.inserted]));
        expect(inserted).to.deep.equal({
          users: 1,
          'kytos.flow_manager.flows': 6,
          'kytos.maintenance.windows': 2,
          'kytos.mef_eline.evcs': 1,
          'kytos.of_lldp.liveness': 2,
          'kytos.topology.switches': 2,
          'kytos.topology.links': 1,
          'kytos.topology.interface_details': 4,
          // VLAN 100 at each UNI, S-VLAN 1 at each end of the link (3799 is of_lldp's, held apart).
          'kytos.topology.tag_claims': 4,
        });
        expect(report.skipped.map((s: { from: string; id: string }) => `${s.from} ${s.id}`)).to.deep.equal([`flow_checks ${DPID_1}`, `flow_checks ${DPID_2}`]);
        expect(report.written).to.equal(true);

        const again = await importFrom(store, { from: dump });
        expect(again.code).to.equal(0);
        expect(again.out).to.include('nothing to change: the store already holds every imported document');
        expect(again.out).to.match(/kytos\.flow_manager\.flows: 6 mapped, 0 new, 0 replaced, 6 unchanged/);

        // The network: two bridges with the imported dpids, the UNIs on port 1, the link on ports 2.
        ovs = await startOvs();
        await ovs.addBridges([
          { name: 'i1', dpid: 0x6001, ports: [{ name: 'i1-eth1', ofport: 1 }] },
          { name: 'i2', dpid: 0x6002, ports: [{ name: 'i2-eth1', ofport: 1 }] },
        ]);
        await ovs.link('i1', 'i2', { aOfport: 2, bOfport: 2 });
        c = await createTestController({
          config: {
            store,
            napps: {
              enabled: NAPPS,
              settings: {
                'kytos/topology': { LINK_UP_TIMER: 0.2 },
                'kytos/of_core': { STATS_INTERVAL: 60 },
                'kytos/flow_manager': { CONSISTENCY_INTERVAL: 0.5, CONSISTENCY_MIN_VERDICT_INTERVAL: 1, WAIT_TIMEOUT: 3, BARRIER_TIMEOUT: 3, STATS_TIMEOUT: 3 },
              },
            },
          },
        });
        // Before any switch connects, the imported state is served.
        const switches = (await c.http.get('/api/kytos/topology/v3/switches')).body.switches;
        expect(switches[DPID_1].metadata).to.deep.include({ site: 'north', lat: '-23.5' });
        expect(switches[DPID_1].interfaces[UNI_A].metadata).to.deep.equal({ description: 'customer port' });
        const evc = (await c.http.get(`/api/kytos/mef_eline/v2/evc/${EVC_ID}`)).body;
        expect(evc).to.deep.include({ id: EVC_ID, name: 'north-south-100', enabled: true, creation_time: '2025-03-01T10:00:00', last_deployed_at: '2025-03-01T10:00:05' });
        expect(evc.current_path[0].metadata.s_vlan).to.deep.equal({ tag_type: 'vlan', value: 1 });
        // Cookies read from the response text: every digit (JSON.parse would round them).
        const stored = (await c.http.get(`/api/kytos/flow_manager/v2/stored_flows?dpid=${DPID_1}`)).text;
        expect([...stored.matchAll(/"cookie":(\d+)/g)].map((m) => BigInt(m[1]!)).sort()).to.deep.equal([EVC_COOKIE, EVC_COOKIE, LLDP_COOKIE].sort());

        await ovs.setControllers(['i1', 'i2'], c.openflowPort);
        await until(() => c!.controller.southbound.list().length === 2, 15_000, 'switches connected');
        // of_lldp is not enabled here: announce the link as its LLDP would.
        c.bus.publish(interfaceIsNni.type, { interface_a: { id: NNI_1 }, interface_b: { id: NNI_2 } });

        const hex = (n: bigint) => `cookie=0x${n.toString(16)}`;
        let dump1: string[] = [];
        let dump2: string[] = [];
        await until(
          async () => {
            dump1 = await ovs!.dumpFlows('i1');
            dump2 = await ovs!.dumpFlows('i2');
            return dump1.filter((l) => l.includes(hex(EVC_COOKIE))).length === 2 && dump2.filter((l) => l.includes(hex(EVC_COOKIE))).length === 2 && dump1.some((l) => l.includes(hex(LLDP_COOKIE)));
          },
          30_000,
          'imported flows on the switches',
        );
        // The cookie above 2^63 arrived exact; the soft-deleted flow was not installed.
        expect(dump1.find((l) => l.includes(hex(LLDP_COOKIE)))).to.match(/priority=50000,dl_vlan=3799,dl_type=0x88cc actions=CONTROLLER:65535/);
        expect(dump2.some((l) => l.includes('cookie=0x7,'))).to.equal(false);
        const push = dump1.find((l) => l.includes(hex(EVC_COOKIE)) && l.includes('in_port=1'));
        expect(push).to.match(/priority=20000,in_port=1,dl_vlan=100 actions=push_vlan:0x88a8,set_field:4097->vlan_vid,output:2/);
        // A customer frame at the A UNI leaves the Z UNI with its VLAN, through the link.
        const trace = await ovs.trace('i1', 'in_port=1,dl_vlan=100,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02', ['--names']);
        const actions = trace.split('\n').find((l) => l.startsWith('Datapath actions:'));
        expect(actions, trace).to.match(/i2-eth1/);

        // The imported user logs in with the password it had in Kytos-ng.
        const basic = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;
        const login = await c.http.get('/api/kytos/core/auth/login/', { headers: { authorization: basic } });
        expect(login.status, login.text).to.equal(200);
        expect(login.body.token).to.be.a('string');
        const wrong = await c.http.get('/api/kytos/core/auth/login/', { headers: { authorization: `Basic ${Buffer.from(`${USER.username}:Wrong1234x`).toString('base64')}` } });
        expect(wrong.status).to.equal(401);
        // The imported pools hold the EVC's VLAN: a new EVC cannot take it (and its token writes).
        const taken = await c.http.post(
          '/api/kytos/mef_eline/v2/evc/',
          { name: 'clash', uni_a: { interface_id: UNI_A, tag: { tag_type: 'vlan', value: 100 } }, uni_z: { interface_id: UNI_Z, tag: { tag_type: 'vlan', value: 100 } }, dynamic_backup_path: true, enabled: true },
          { headers: { authorization: `Bearer ${login.body.token as string}` } },
        );
        expect(taken.status, taken.text).to.equal(400);
        expect(taken.body.description).to.match(/^KytosTagsAreNotAvailable, The tags \[100\] are not available on /);
        // The EVC ran on its imported flows: not redeployed.
        const after = (await c.http.get(`/api/kytos/mef_eline/v2/evc/${EVC_ID}`)).body;
        expect(after).to.deep.include({ active: true, last_deployed_at: '2025-03-01T10:00:05' });
        const links = (await c.http.get('/api/kytos/topology/v3/links')).body.links;
        expect(links[LINK_ID].metadata).to.deep.include({ link_name: 'north-south' });
      });

      it('should refuse the whole import for one document it cannot map, naming it, and write nothing', async () => {
        const bad = kytosCollections();
        const flow = bad.flows![1]!;
        (flow.flow as Record<string, unknown>).cookie = (await import('mongodb')).Decimal128.fromString('1.5');
        bad.switches![1]!.enabled = 'yes';
        const dir = mkdtempSync(join(tmpdir(), 'kytos-bad-'));
        await writeDump(dir, bad);
        const store = freshStore(backend);
        const r = await importFrom(store, { from: dir });
        expect(r.code).to.equal(6);
        expect(r.out).to.include(`REFUSED flows ${String(flow._id)}: flow.cookie 1.5 is not an integer`);
        expect(r.out).to.include(`REFUSED switches ${DPID_2}: enabled is not a boolean`);
        expect(r.out).to.include('import refused: 2 document(s) cannot be mapped; nothing was written');
        expect(Object.values(await counts(store)).every((n) => n === 0), JSON.stringify(await counts(store))).to.equal(true);
      });
    });
  }

  it('should read Kytos-ng\'s MongoDB (mongodb://) like the dump into either adapter, and write nothing in a dry run', async () => {
    // Everything FerretDB can hold (see the header): the same documents as the dump.
    const client = new MongoClient(mongo.uri);
    await client.connect();
    const source = client.db('kytos_napps');
    const all = kytosCollections();
    for (const [name, docs] of Object.entries(all)) if (name !== 'flows' && name !== 'interface_details') await source.collection(name).insertMany(docs as never[]);
    await client.close();
    const store = freshStore('embedded');
    const dry = await importFrom(store, { from: mongo.uri, db: 'kytos_napps', dryRun: true });
    expect(dry.code, dry.err).to.equal(0);
    expect(dry.out).to.include('dry run: nothing was written');
    expect(Object.values(await counts(store)).every((n) => n === 0)).to.equal(true);
    const r = await importFrom(store, { from: mongo.uri, db: 'kytos_napps', json: true });
    expect(r.code, r.err).to.equal(0);
    const fromMongo = await counts(store);
    // And the same documents as from the dump folder.
    const viaDump = freshStore('embedded');
    const d = await importFrom(viaDump, { from: dump });
    expect(d.code).to.equal(0);
    const a = await openLattice(store);
    const b = await openLattice(viaDump);
    for (const [name, key] of [['users', '_id'], ['kytos.mef_eline.evcs', 'id'], ['kytos.topology.switches', 'id'], ['kytos.maintenance.windows', 'id'], ['kytos.of_lldp.liveness', 'id']] as const) {
      const spec = { key: key as 'id' };
      expect(await a.collection<{ id: string }>(name, spec).all(), name).to.deep.equal(await b.collection<{ id: string }>(name, spec).all());
    }
    await a.close();
    await b.close();
    expect(fromMongo['kytos.mef_eline.evcs']).to.equal(1);
    expect(fromMongo['kytos.flow_manager.flows']).to.equal(0);
    // A `mongodump --gzip` folder reads the same.
    const gz = mkdtempSync(join(tmpdir(), 'kytos-gz-'));
    await writeDump(gz, kytosCollections(), { gzip: true });
    const viaGz = freshStore('embedded');
    expect((await importFrom(viaGz, { from: gz })).code).to.equal(0);
    expect(await counts(viaGz)).to.deep.equal(await counts(viaDump));
    // Into Lattice's MongoDB adapter too, in another database of the same server.
    const intoMongo = freshStore('mongodb');
    const m = await importFrom(intoMongo, { from: mongo.uri, db: 'kytos_napps' });
    expect(m.code, m.err).to.equal(0);
    expect(await counts(intoMongo)).to.deep.equal(fromMongo);
  });

  it('should keep what Lattice holds with other content unless --overwrite, and never take a username another user holds', async () => {
    const store = freshStore('embedded');
    expect((await importFrom(store, { from: dump })).code).to.equal(0);
    const s = await openLattice(store);
    const evcs = s.scoped('kytos/mef_eline').collection<{ id: string; name: string }>('evcs', { key: 'id', indexes: ['archived'] });
    await evcs.patch(EVC_ID, { name: 'renamed in Lattice' });
    const users = s.collection<{ _id: string; username: string }>('users', { key: '_id', indexes: ['username'], unique: ['username'] });
    const imported = (await users.all())[0]!;
    await users.delete(imported._id);
    await users.put({ ...imported, _id: 'another-lattice-user' });
    await s.close();

    const kept = await importFrom(store, { from: dump });
    expect(kept.code).to.equal(0);
    expect(kept.out).to.include(`skipped kytos.mef_eline.evcs ${EVC_ID}: Lattice's store holds it with other content (kept; --overwrite replaces it)`);
    expect(kept.out).to.include(`skipped users ${imported._id}: Lattice already has another-lattice-user with username "${USER.username}" (kept; not imported)`);
    expect(kept.out).to.include('nothing to change: 2 document(s) kept as Lattice holds them (skipped above)');

    const replaced = await importFrom(store, { from: dump, overwrite: true });
    expect(replaced.out).to.match(/kytos\.mef_eline\.evcs: 1 mapped, 0 new, 1 replaced, 0 unchanged/);
    const after = await openLattice(store);
    expect((await after.scoped('kytos/mef_eline').collection<{ id: string; name: string }>('evcs', { key: 'id', indexes: ['archived'] }).get(EVC_ID))?.name).to.equal('north-south-100');
    expect((await after.collection<{ _id: string }>('users', { key: '_id', indexes: ['username'], unique: ['username'] }).all()).map((u) => u._id)).to.deep.equal(['another-lattice-user']);
    await after.close();
  });

  it('should refuse a store whose collection is at another schema version than this Lattice writes', async () => {
    const store = freshStore('embedded');
    const s = await openLattice(store);
    await s.collection<{ collection: string; version: number; updated_at: string; history: unknown[] }>(SCHEMA_VERSIONS, { key: 'collection' }).put({ collection: 'kytos.flow_manager.flows', version: 3, updated_at: '2026-01-01T00:00:00.000Z', history: [] });
    await s.close();
    const r = await importFrom(store, { from: dump });
    expect(r.code).to.equal(6);
    expect(r.out).to.include("REFUSED kytos.flow_manager.flows (collection): Lattice's kytos.flow_manager.flows is at schema version 3 and this Lattice writes version 1: run the newer Lattice");
    const n = await counts(store);
    expect(LATTICE_COLLECTIONS.map((c) => n[c])).to.deep.equal(LATTICE_COLLECTIONS.map(() => 0));
  });

  it('should refuse while a controller answers on the configured port, writing nothing (exit 7)', async () => {
    const running = await createTestController({});
    try {
      const store = freshStore('embedded');
      const r = await importFrom(store, { from: dump, httpPort: running.port });
      expect(r.code).to.equal(7);
      expect(r.err).to.include(`a controller answers on http://127.0.0.1:${running.port}/api/kytos/core/status/: stop it first`);
      expect(Object.values(await counts(store)).every((n) => n === 0)).to.equal(true);
    } finally {
      await running.stop();
    }
  });

  it('should refuse (exit 7) while another process has the embedded store open, whatever its HTTP port, and not once it died (kill -9)', async () => {
    const dataDir = tempDataDir();
    const controller = await startControllerProcess({ LATTICE_DATA_DIR: dataDir, LATTICE_NAPPS: 'kytos/topology' });
    try {
      const r = await importFrom({ backend: 'embedded', dataDir }, { from: dump });
      expect(r.code, r.out).to.equal(7);
      expect(r.err).to.include(`is open in process ${controller.child.pid}: stop the controller first`);
      const n = await counts({ backend: 'embedded', dataDir });
      expect(LATTICE_COLLECTIONS.map((c) => n[c]), 'nothing imported').to.deep.equal(LATTICE_COLLECTIONS.map(() => 0));
    } finally {
      // Killed, its reader slot left behind: a dead process does not count.
      controller.child.kill('SIGKILL');
      await controller.exited;
    }
    const after = await importFrom({ backend: 'embedded', dataDir }, { from: dump });
    expect(after.code, after.err).to.equal(0);
  });

  it('should run as `lattice import-kytos` with the controller\'s environment, printing JSON', async () => {
    const dataDir = tempDataDir();
    const saved = { ...process.env };
    Object.assign(process.env, { LATTICE_DATA_DIR: dataDir, LATTICE_STORE: 'embedded', LATTICE_HTTP_PORT: String(await freePort()) });
    const out: string[] = [];
    try {
      const code = await run(['import-kytos', '--from', dump, '--json'], (s) => out.push(s), (s) => out.push(s));
      expect(code, out.join('')).to.equal(0);
    } finally {
      for (const k of ['LATTICE_DATA_DIR', 'LATTICE_STORE', 'LATTICE_HTTP_PORT']) if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    const report = JSON.parse(out.join(''));
    expect(report.dry_run).to.equal(false);
    expect(report.collections.find((x: { collection: string }) => x.collection === 'kytos.flow_manager.flows').inserted).to.equal(6);
    const usage = await run(['import-kytos'], () => undefined, (s) => out.push(s));
    expect(usage).to.equal(1);
  });
});
