import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { ManualClock } from '../../../src/actor/index.js';
import { tempDataDir } from '../../../src/main.js';
import { openStore } from '../../../src/store/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { evcFromRequest, type EvcDoc } from '../../../napps/kytos/mef_eline/model.js';
import { until } from '../../helpers/log.js';

const T = Date.parse('2026-03-01T12:00:00Z');
const topo = { interfaceExists: () => true, link: () => undefined };
const doc = (id: string, updated: string, archived: boolean): EvcDoc => ({
  ...evcFromRequest({ name: id, dynamic_backup_path: true, uni_a: { interface_id: '00:00:00:00:00:00:00:01:1' }, uni_z: { interface_id: '00:00:00:00:00:00:00:03:1' } }, topo, 0, id),
  archived,
  updated_at: updated,
});

/** mef_eline's pruning of archived EVCs on the embedded store, the controller on a manual clock. */
describe('kytos/mef_eline archived EVC retention on a real store', function () {
  this.timeout(60_000);
  const dataDir = tempDataDir();
  let c: TestController | undefined;
  after(async () => {
    await c?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should remove archived EVCs past ARCHIVED_RETENTION from the store when the prune timer fires, and keep the rest', async () => {
    const store = await openStore({ backend: 'embedded', dataDir, mongodb: {} as never, log: pino({ level: 'silent' }) });
    const evcs = store.scoped('kytos/mef_eline').collection<EvcDoc>('evcs', { key: 'id', indexes: ['archived'] });
    await evcs.batch([
      doc('old1', '2026-03-01T10:00:00', true),
      doc('old2', '2026-03-01T10:30:00', true),
      doc('young', '2026-03-01T11:30:00', true),
      doc('live', '2026-01-01T00:00:00', false),
    ].map((d) => ({ op: 'put' as const, doc: d })));
    await store.close();

    const clock = new ManualClock(T);
    c = await createTestController({
      clock,
      config: {
        store: { dataDir },
        napps: {
          enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline'],
          settings: { 'kytos/mef_eline': { ARCHIVED_RETENTION: 3600, PRUNE_INTERVAL: 60, PRUNE_BATCH: 1, CONSISTENCY_INTERVAL: 0 } },
        },
      },
    });
    const stored = async () => (await c!.controller.store.scoped('kytos/mef_eline').collection<EvcDoc>('evcs', { key: 'id', indexes: ['archived'] }).all()).map((d) => d.id).sort();
    const listed = async () => Object.keys((await c!.http.get('/api/kytos/mef_eline/v2/evc/?archived=null')).body).sort();
    expect(await listed()).to.deep.equal(['live', 'old1', 'old2', 'young']);
    // No time passed: nothing pruned.
    expect(await stored()).to.deep.equal(['live', 'old1', 'old2', 'young']);
    clock.advance(60_000);
    await until(async () => (await stored()).length === 3, 10_000, 'the first pass');
    expect(await stored()).to.deep.equal(['live', 'old2', 'young']);
    clock.advance(60_000);
    await until(async () => (await stored()).length === 2, 10_000, 'the second pass');
    expect(await stored()).to.deep.equal(['live', 'young']);
    // The store first, then memory: the list follows a moment later.
    await until(async () => JSON.stringify(await listed()) === '["live","young"]', 10_000, 'the list after the second pass');
    // "young" (archived 11:30) is past the hour at 12:30.
    clock.advance(28 * 60_000);
    await until(async () => (await stored()).length === 1, 10_000, 'the young one in its turn');
    expect(await stored()).to.deep.equal(['live']);
    await until(async () => JSON.stringify(await listed()) === '["live"]', 10_000, 'the list after the third pass');
  });
});
