import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { openStore } from '../../../src/store/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOvs, skipWithoutOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { startControllerProcess, type ControllerProcess } from '../../helpers/controller-process.js';
import { until } from '../../helpers/log.js';

const BIN = new URL('../../../src/cli/bin.ts', import.meta.url).pathname;
const DPID = dpidColon(0x7001);
const FLOWS = '/api/kytos/flow_manager/v2';
const COOKIE = 0x7700_0000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real `lattice` CLI process. */
function lattice(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const flow = (n: number) => ({ priority: 100 + n, cookie: COOKIE + n, match: { in_port: 1, dl_vlan: n }, actions: [{ action_type: 'output', port: 2 }] });

/** A controller process on real OVS, with users, flows and topology metadata; backed up while busy, wiped, restored. */
describe('lattice backup / restore of the embedded store (real process, real OVS)', function () {
  this.timeout(180_000);
  let ovs: Ovs | undefined;
  let c: ControllerProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'lattice-backup-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'config.json');
  const backupFile = join(work, 'backups', 'lattice.mdb');
  writeFileSync(configFile, JSON.stringify({ openflow: { host: '127.0.0.1' }, napps: { enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager'], settings: { 'kytos/flow_manager': { CONSISTENCY_INTERVAL: 1, CONSISTENCY_MIN_VERDICT_INTERVAL: 1 } } } }));

  const start = async (): Promise<ControllerProcess> => {
    const p = await startControllerProcess({ LATTICE_CONFIG: configFile, LATTICE_DATA_DIR: dataDir });
    const port = Number(/OpenFlow on [^\s]+:(\d+)/.exec(p.stderr())![1]);
    await ovs!.setController('b1', port);
    return p;
  };
  const call = async (method: string, path: string, body?: unknown, token?: string, basic?: string) => {
    const r = await fetch(`${c!.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, text, body: text ? (JSON.parse(text) as any) : undefined };
  };
  const storedCookies = async (): Promise<number[]> => {
    const r = await call('GET', `${FLOWS}/stored_flows?dpid=${DPID}&state=installed&state=pending`);
    return ((r.body[DPID] ?? []) as { flow: { cookie: number } }[]).map((d) => d.flow.cookie).filter((k) => k >= COOKIE).sort((a, b) => a - b);
  };
  const switchCookies = async (): Promise<number[]> =>
    (await ovs!.dumpFlows('b1'))
      .map((l) => Number(/cookie=(0x[0-9a-f]+)/.exec(l)?.[1] ?? 0))
      .filter((k) => k >= COOKIE)
      .sort((a, b) => a - b);
  const login = (password: string) => call('GET', '/api/kytos/core/auth/login/', undefined, undefined, `ops:${password}`);

  before(async function () {
    await skipWithoutOvs(this);
    ovs = await startOvs();
    await ovs.addBridge('b1', 0x7001, { ports: [{ name: 'b1-p1', ofport: 1 }, { name: 'b1-p2', ofport: 2 }] });
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('should take a consistent snapshot while the controller writes, refuse to restore under it, and bring everything back', async () => {
    c = await start();
    expect((await call('POST', '/api/kytos/core/auth/users/', { username: 'ops', email: 'ops@example.com', password: 'Operator-1234' })).status).to.equal(201);
    const token = (await login('Operator-1234')).body.token as string;
    expect(token).to.be.a('string');
    await until(async () => (await call('GET', '/api/kytos/topology/v3/switches')).body.switches[DPID] !== undefined, 20_000, 'the switch in topology');
    expect((await call('POST', `/api/kytos/topology/v3/switches/${DPID}/metadata`, { site: 'lab-7' }, token)).status).to.equal(201);
    const added: number[] = [];
    for (let b = 0; b < 5; b++) {
      const batch = Array.from({ length: 10 }, (_, i) => b * 10 + i + 1);
      expect((await call('POST', `${FLOWS}/flows/${DPID}`, { flows: batch.map(flow) }, token)).status).to.equal(202);
      added.push(...batch);
    }
    const before = added.map((n) => COOKIE + n);

    // The backup runs while flows keep coming (one request at a time, bounded).
    let busy = true;
    const during: number[] = [];
    const writer = (async () => {
      for (let n = 51; busy && n <= 400; n++) {
        const r = await call('POST', `${FLOWS}/flows/${DPID}`, { flows: [flow(n)] }, token);
        if (r.status === 202) during.push(COOKIE + n);
      }
    })();
    await until(() => during.length >= 5, 20_000, 'writes under way');
    const backup = await lattice(['backup', backupFile, '--data-dir', dataDir]);
    busy = false;
    await writer;
    expect(backup.code, backup.stderr).to.equal(0);
    expect(backup.stdout).to.match(/^backup: .*lattice\.mdb \(\d+ bytes, \d+ documents in \d+ collections\)/);
    expect(during.length).to.be.greaterThan(5);
    const sum = readFileSync(`${backupFile}.sha256`, 'utf8');
    expect(sum).to.match(/^[0-9a-f]{64} {2}lattice\.mdb\n$/);

    // Restoring under the running controller is refused, and changes nothing.
    const refused = await lattice(['restore', backupFile, '--data-dir', dataDir]);
    expect(refused.code).to.equal(8);
    expect(refused.stderr).to.match(/is in use by process \d+.*stop it first/);
    expect(await storedCookies()).to.include.members([...before, ...during]);

    // A damaged copy is refused by its checksum.
    const damaged = join(work, 'damaged.mdb');
    const bytes = readFileSync(backupFile);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(damaged, bytes);
    writeFileSync(`${damaged}.sha256`, sum.replace('lattice.mdb', 'damaged.mdb'));

    // Stop, wipe the store and the switch's flows, restore, restart.
    await c.stop();
    c = undefined;
    rmSync(join(dataDir, 'store'), { recursive: true, force: true });
    await ovs!.ofctl(['del-flows', `unix:${ovs!.mgmtSocket('b1')}`]);
    expect(await switchCookies()).to.deep.equal([]);
    const bad = await lattice(['restore', damaged, '--data-dir', dataDir]);
    expect(bad.code, `${bad.stderr}${bad.stdout}`).to.equal(8);
    expect(bad.stderr).to.match(/does not match .*sha256/);
    expect(existsSync(join(dataDir, 'store'))).to.equal(false);
    const notAStore = join(work, 'not-a-store.mdb');
    writeFileSync(notAStore, Buffer.alloc(64 * 1024, 7));
    const junk = await lattice(['restore', notAStore, '--data-dir', dataDir]);
    expect(junk.code).to.equal(8);
    expect(junk.stderr).to.match(/not an LMDB store|not a Lattice store|does not read back/);
    const restored = await lattice(['restore', backupFile, '--data-dir', dataDir]);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stdout).to.match(/checksum verified/);

    c = await start();
    // Everything stored before the backup began is back, and the snapshot is a prefix of the writes that went on during it.
    const back = await storedCookies();
    expect(back).to.include.members(before);
    const fromDuring = back.filter((k) => !before.includes(k));
    expect(fromDuring).to.deep.equal(during.slice(0, fromDuring.length));
    // flow_manager reinstalls every restored flow on the wiped switch.
    await until(async () => JSON.stringify(await switchCookies()) === JSON.stringify(back), 30_000, 'the restored flows on the switch');
    // Users, their tokens (the signing key is in the store) and topology metadata are back.
    expect((await login('Operator-1234')).status).to.equal(200);
    expect((await login('wrong-password-1')).status).to.equal(401);
    expect((await call('GET', '/api/kytos/core/auth/users/', undefined, token)).status).to.equal(200);
    expect((await call('GET', `/api/kytos/topology/v3/switches/${DPID}/metadata`)).body.metadata).to.include({ site: 'lab-7' });
    // The store that was there (empty: wiped) was kept aside, not deleted.
    expect(restored.stdout).to.not.match(/previous store/);
  });
});

describe('lattice backup / restore offline', function () {
  this.timeout(60_000);
  const work = mkdtempSync(join(tmpdir(), 'lattice-backup-off-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('should back up a stopped store, restore it without a checksum file (said so), keep the old store aside and hand it to the data dir owner', async function () {
    const dataDir = join(work, 'data');
    const store = await openStore({ backend: 'embedded', dataDir, mongodb: {} as never, log: pino({ level: 'silent' }) });
    const coll = store.collection<{ id: string; n: number }>('things', { key: 'id', indexes: ['n'] });
    await coll.batch(Array.from({ length: 100 }, (_, n) => ({ op: 'put' as const, doc: { id: `t${n}`, n } })));
    await store.close();
    const file = join(work, 'b.mdb');
    const b = await lattice(['backup', file, '--data-dir', dataDir]);
    expect(b.code, b.stderr).to.equal(0);
    expect(b.stdout).to.match(/100 documents in 1 collections/);
    rmSync(`${file}.sha256`);
    // The service user owns the data dir; the restore runs as root (when this test does).
    const root = process.getuid?.() === 0;
    if (root) chownSync(dataDir, 65534, 65534);
    const r = await lattice(['restore', file, '--data-dir', dataDir, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { checksum: string; keptAside: string; summary: { documents: number } };
    expect(out.checksum).to.equal('absent');
    expect(out.summary.documents).to.equal(100);
    expect(readdirSync(dataDir).filter((n) => n.startsWith('store.before-restore-'))).to.have.length(1);
    expect(existsSync(join(out.keptAside, 'data.mdb'))).to.equal(true);
    if (root) expect(statSync(join(dataDir, 'store', 'data.mdb')).uid).to.equal(65534);
    const again = await openStore({ backend: 'embedded', dataDir, mongodb: {} as never, log: pino({ level: 'silent' }) });
    try {
      const c = again.collection<{ id: string; n: number }>('things', { key: 'id', indexes: ['n'] });
      expect(await c.count()).to.equal(100);
      expect((await c.list({ index: 'n', range: { gte: 98 } })).map((d) => d.id)).to.deep.equal(['t98', 't99']);
    } finally {
      await again.close();
    }
  });

  it('should refuse a config naming the MongoDB backend and point at mongodump', async () => {
    const cfg = join(work, 'mongo.json');
    writeFileSync(cfg, JSON.stringify({ store: { backend: 'mongodb' } }));
    const r = await lattice(['backup', join(work, 'x.mdb')], { LATTICE_CONFIG: cfg });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/mongodump/);
  });
});
