/**
 * Durability: a process that acknowledged writes is killed with SIGKILL right
 * after; every acknowledged write must be there when the store is reopened.
 * Runs against both adapters (MongoDB on a real MongoDB-wire server).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreOptions } from '../../../src/store/index.js';
import { embeddedHarness, mongoHarness, type Harness } from '../../contract/harness.js';
import { durableDoc, type DurableDoc } from './durable-writer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, 'durable-writer.ts');

/** Runs the writer until `acks` writes were acknowledged, kills it with SIGKILL, returns the acked sequence numbers. */
async function runAndKill(options: Omit<StoreOptions, 'log'>, acks: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--conditions=lattice-source', '--import', 'tsx', writer, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const acked: number[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, sig) => r(sig ?? code)));
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (!line.startsWith('ack ')) continue;
    acked.push(...line.slice(4).split(' ').map(Number));
    if (acked.length >= acks && child.exitCode === null) child.kill('SIGKILL');
  }
  const how = await exited;
  expect(how, `writer did not die by SIGKILL: ${stderr}`).to.equal('SIGKILL');
  return acked;
}

function durability(h: Harness, acks: number) {
  describe(`store durability: ${h.backend}`, function () {
    this.timeout(90_000);
    before(async function () {
      await h.setUp(this);
    });
    after(() => h.tearDown());

    it('should keep every acknowledged write after the writer is killed with SIGKILL', async () => {
      const acked = await runAndKill(h.options(), acks);
      expect(acked.length).to.be.at.least(acks);
      const store = await h.open();
      const coll = store.collection<DurableDoc>('durable', { key: 'id', indexes: ['n'] });
      const missing: number[] = [];
      for (const n of acked) {
        const got = await coll.get(durableDoc(n).id);
        if (!got) missing.push(n);
        else expect(got).to.deep.equal(durableDoc(n));
      }
      expect(missing, `acknowledged but missing after kill -9`).to.deep.equal([]);
      // The index was written with the documents.
      const some = acked[acked.length - 1]!;
      expect((await coll.list({ index: 'n', equals: some })).map((d) => d.n)).to.deep.equal([some]);
      await store.close();
    });
  });
}

durability(embeddedHarness(), 2000);
durability(mongoHarness(), 300);
