/**
 * The store as operators meet it: through the controller's REST API, with the
 * controller process killed (-9) and the database going away.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';
import { startControllerProcess, type ControllerProcess } from '../../helpers/controller-process.js';
import { until } from '../../helpers/log.js';

const HELLO = '/api/lattice/hello/v1/greetings';
const json = { 'content-type': 'application/json' };

/** POSTs greetings with `concurrency` in flight until `acks` were acknowledged (201), then SIGKILLs the controller. */
async function greetUntilKilled(c: ControllerProcess, acks: number, concurrency: number): Promise<string[]> {
  const acked: string[] = [];
  let seq = 0;
  let killed = false;
  const worker = async () => {
    while (!killed) {
      const name = `n${seq++}`;
      try {
        const res = await fetch(c.url + HELLO, { method: 'POST', headers: json, body: JSON.stringify({ name }) });
        if (res.status === 201) acked.push(name);
        else throw new Error(`unexpected ${res.status}: ${await res.text()}`);
      } catch (error) {
        if (killed) return;
        throw error;
      }
      if (acked.length >= acks && !killed) {
        killed = true;
        c.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const { signal } = await c.exited;
  expect(signal).to.equal('SIGKILL');
  return acked;
}

async function expectAllStored(c: ControllerProcess, names: string[]): Promise<void> {
  const missing: string[] = [];
  for (const name of names) {
    const res = await fetch(`${c.url}${HELLO}/${name}`);
    if (res.status !== 200) missing.push(name);
    else expect((await res.json()).greeting).to.equal(`Hello, ${name}!`);
  }
  expect(missing, 'acknowledged (201) but missing after kill -9 and restart').to.deep.equal([]);
}

describe('controller durability (kill -9 right after acknowledging writes)', function () {
  this.timeout(120_000);

  it('should keep every acknowledged write, embedded store', async () => {
    const env = { LATTICE_NAPPS: 'lattice/hello', LATTICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lattice-dur-')) };
    const acked = await greetUntilKilled(await startControllerProcess(env), 300, 16);
    expect(acked.length).to.be.at.least(300);
    const again = await startControllerProcess(env);
    try {
      await expectAllStored(again, acked);
    } finally {
      await again.stop();
    }
  });

  describe('MongoDB store', () => {
    let db: MongoWire;
    before(async function () {
      db = await startMongoWireOrSkip(this);
    });
    after(async () => db?.stop());

    it('should keep every acknowledged write, MongoDB store', async () => {
      const env = { LATTICE_NAPPS: 'lattice/hello', LATTICE_STORE: 'mongodb', LATTICE_MONGODB_URI: db.uri, LATTICE_MONGODB_DB: 'durability' };
      const acked = await greetUntilKilled(await startControllerProcess(env), 40, 4);
      expect(acked.length).to.be.at.least(40);
      const again = await startControllerProcess(env);
      try {
        await expectAllStored(again, acked);
      } finally {
        await again.stop();
      }
    });
  });
});

describe('controller with its MongoDB unreachable', function () {
  this.timeout(120_000);
  let db: MongoWire;
  let controller: ControllerProcess | undefined;
  before(async function () {
    db = await startMongoWireOrSkip(this);
  });
  after(async () => {
    await controller?.stop();
    await db?.stop();
  });

  it('should start, report the store down, answer writes 503 + Retry-After fast, and resume when the database returns', async () => {
    await db.pause();
    controller = await startControllerProcess({
      LATTICE_NAPPS: 'lattice/hello',
      LATTICE_STORE: 'mongodb',
      LATTICE_MONGODB_URI: db.uri,
      LATTICE_MONGODB_DB: 'outage',
    });
    const status = await (await fetch(`${controller.url}/api/kytos/core/status/`)).json();
    expect(status.store).to.include({ backend: 'mongodb', up: false });
    expect(status.system_status).to.equal('degradated');

    const started = Date.now();
    const refused = await fetch(controller.url + HELLO, { method: 'POST', headers: json, body: JSON.stringify({ name: 'early' }) });
    expect(refused.status).to.equal(503);
    expect(Number(refused.headers.get('retry-after'))).to.be.greaterThan(0);
    const body = await refused.json();
    expect(body.code).to.equal(503);
    expect(body.description).to.be.a('string').and.not.equal('');
    expect(Date.now() - started, 'fails fast instead of waiting on the database').to.be.below(5_000);

    await db.resume();
    await until(
      async () => {
        const back = await (await fetch(`${controller!.url}/api/kytos/core/status/`)).json();
        // The users are read again once the store is back: until then, writes cannot be authorised (503).
        return back.store.up === true && back.auth.ready === true;
      },
      30_000,
      'the store and the users to come back',
    );
    const ok = await fetch(controller.url + HELLO, { method: 'POST', headers: json, body: JSON.stringify({ name: 'late' }) });
    expect(ok.status).to.equal(201);
    expect((await fetch(`${controller.url}${HELLO}/late`)).status).to.equal(200);
    expect((await fetch(`${controller.url}${HELLO}/early`)).status, 'the refused write was not stored').to.equal(404);
  });
});
