/** kytos/maintenance retention: finished windows leave the store after FINISHED_RETENTION, on the NApp's clock. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import maintenance from '../../../../../napps/kytos/maintenance/index.js';
import { decidePrune } from '../../../../../napps/kytos/maintenance/decide.js';
import { validateWindow, type Win } from '../../../../../napps/kytos/maintenance/logic.js';
import { ManualClock, askInput, createMaintenance, getTopology, listMaintenances, stepNApp, type TopologyJson } from '../../../../../src/sdk/index.js';
import { openStore } from '../../../../../src/store/index.js';
import type { Store } from '../../../../../src/store/ports.js';
import { MemoryStore } from '../topology/memory-store.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;
const at = (min: number) => new Date(T0 + min * MIN).toISOString().replace('.000Z', '+0000');
const S1 = '00:00:00:00:00:00:00:01';
const topo = { switches: { [S1]: { id: S1, interfaces: {} } }, links: {} } as unknown as TopologyJson;

function win(id: string, start: number, end: number): Win {
  const v = validateWindow({ id, start: at(start), end: at(end), switches: [S1] }, T0);
  if ('error' in v) throw new Error(v.error);
  return v.window;
}

const settings = { FINISHED_RETENTION: 3600, PRUNE_INTERVAL: 600, PRUNE_BATCH: 1 };
/** w1 runs 10-20 min, w2 30-40 min, w3 is pending far ahead. */
const script = (advanceMin: number) => [
  askInput(createMaintenance, { window: win('w1', 10, 20), force: false, now: T0 }),
  askInput(createMaintenance, { window: win('w2', 30, 40), force: false, now: T0 }),
  askInput(createMaintenance, { window: win('w3', 10_000, 10_010), force: false, now: T0 }),
  ...Array.from({ length: advanceMin }, () => ({ advance: MIN })),
  askInput(listMaintenances, {}),
];

async function ids(store: Store, advanceMin: number): Promise<{ stored: string[]; listed: string[] }> {
  const r = await stepNApp(maintenance, script(advanceMin), { store, clock: new ManualClock(T0), settings, replies: { [getTopology.type]: () => topo } });
  const stored = (await store.collection<Win>('windows', { key: 'id', indexes: ['status'] }).all()).map((w) => w.id).sort();
  const listed = (r.answers.at(-1)!.value as Win[]).map((w) => w.id).sort();
  return { stored, listed };
}

describe('kytos/maintenance retention of finished windows', () => {
  it('should pick finished windows past the retention, none in flight, oldest first, at most a batch', () => {
    const f = (id: string, min: number, status: Win['status'] = 'finished') => ({ ...win(id, 1, 2), status, last_modified: new Date(T0 + min * MIN).toISOString() });
    const windows = { a: f('a', 20), b: f('b', 10), c: f('c', 50), d: f('d', 0, 'running'), e: f('e', 0) };
    const context = { windows, inflight: { e: windows.e }, waiting: [] };
    expect(decidePrune(context, T0 + 80 * MIN, 60 * MIN, 10).map((w) => [w.op, w.window.id])).to.deep.equal([
      ['delete', 'b'],
      ['delete', 'a'],
    ]);
    expect(decidePrune(context, T0 + 80 * MIN, 60 * MIN, 1).map((w) => w.window.id)).to.deep.equal(['b']);
    expect(decidePrune(context, T0 + 80 * MIN, 0, 10)).to.deep.equal([]);
  });

  for (const kind of ['memory', 'embedded (LMDB)'] as const) {
    it(`should remove them from the store and the list on the prune timer, a batch per pass (${kind} store)`, async () => {
      const dirs: string[] = [];
      const fresh = async (): Promise<Store> => {
        if (kind === 'memory') return new MemoryStore();
        const dir = mkdtempSync(join(tmpdir(), 'lattice-mw-'));
        dirs.push(dir);
        return openStore({ backend: 'embedded', dataDir: dir, mongodb: {} as never, log: pino({ level: 'silent' }) });
      };
      const stores: Store[] = [];
      const step = async (minutes: number) => {
        const s = await fresh();
        stores.push(s);
        return ids(s, minutes);
      };
      try {
        // 79 min: w1 finished at 20 min is 59 min old; nothing goes.
        expect(await step(79)).to.deep.equal({ stored: ['w1', 'w2', 'w3'], listed: ['w1', 'w2', 'w3'] });
        // The pass at 80 min takes w1 (60 min old); w2 (finished at 40) is 40 min old.
        expect(await step(80)).to.deep.equal({ stored: ['w2', 'w3'], listed: ['w2', 'w3'] });
        // The pass at 100 min takes w2; the pending window stays.
        expect(await step(100)).to.deep.equal({ stored: ['w3'], listed: ['w3'] });
      } finally {
        for (const s of stores) await s.close();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      }
    });
  }

  it('should keep finished windows forever with FINISHED_RETENTION 0', async () => {
    const store = new MemoryStore();
    const r = await stepNApp(maintenance, script(600), { store, clock: new ManualClock(T0), settings: { ...settings, FINISHED_RETENTION: 0 }, replies: { [getTopology.type]: () => topo } });
    expect((r.answers.at(-1)!.value as Win[]).map((w) => w.id).sort()).to.deep.equal(['w1', 'w2', 'w3']);
  });
});
