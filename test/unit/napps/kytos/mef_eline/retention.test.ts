import { expect } from 'chai';
import { stepNApp } from '../../../../../src/sdk/index.js';
import mefEline from '../../../../../napps/kytos/mef_eline/index.js';
import { archivedToPrune, EvcService } from '../../../../../napps/kytos/mef_eline/service.js';
import { evcFromRequest, type EvcDoc } from '../../../../../napps/kytos/mef_eline/model.js';
import { FakeNetwork, intf } from './fakes.js';

const topo = { interfaceExists: () => true, link: () => undefined };
const doc = (id: string, updated: string, archived: boolean): EvcDoc => ({
  ...evcFromRequest({ name: id, dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1) }, uni_z: { interface_id: intf(3, 1) } }, topo, 0, id),
  archived,
  updated_at: updated,
});

describe('kytos/mef_eline retention of archived EVCs', () => {
  it('should pick archived EVCs older than the retention, oldest first, at most a batch', () => {
    const docs = [
      doc('live-old', '2026-01-01T00:00:00', false),
      doc('a3', '2026-01-03T00:00:00', true),
      doc('a1', '2026-01-01T00:00:00', true),
      doc('a2', '2026-01-02T00:00:00', true),
      doc('young', '2026-01-09T12:00:00', true),
    ];
    const now = Date.UTC(2026, 0, 10);
    const day = 86_400_000;
    expect(archivedToPrune(docs, now, 7.5 * day, 10)).to.deep.equal(['a1', 'a2']);
    // Exactly the retention old counts as past it.
    expect(archivedToPrune(docs, now, 7 * day, 10)).to.deep.equal(['a1', 'a2', 'a3']);
    expect(archivedToPrune(docs, now, 6 * day, 10)).to.deep.equal(['a1', 'a2', 'a3']);
    expect(archivedToPrune(docs, now, 6 * day, 2)).to.deep.equal(['a1', 'a2']);
    expect(archivedToPrune(docs, now, 0.25 * day, 10)).to.deep.equal(['a1', 'a2', 'a3', 'young']);
  });

  it('should remove them from the store first, then from memory, on the service clock', async () => {
    const net = new FakeNetwork(4);
    let now = Date.UTC(2026, 0, 1);
    const removed: string[][] = [];
    const svc = new EvcService(
      net.deps({
        now: () => now,
        settings: { ...net.deps().settings, ARCHIVED_RETENTION: 3600, PRUNE_BATCH: 1 },
        removeMany: async (ids) => {
          removed.push(ids);
          for (const id of ids) net.docs.delete(id);
        },
      }),
    );
    const a = await svc.create({ name: 'a', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 5 } }, uni_z: { interface_id: intf(3, 1), tag: { tag_type: 'vlan', value: 5 } } });
    const b = await svc.create({ name: 'b', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 6 } }, uni_z: { interface_id: intf(3, 1), tag: { tag_type: 'vlan', value: 6 } } });
    await svc.settled();
    await svc.remove(a.circuit_id);
    now += 1_000;
    await svc.remove(b.circuit_id);
    expect(Object.keys(svc.list(true)).sort()).to.deep.equal([a.circuit_id, b.circuit_id].sort());
    now += 3_599_000;
    // a was archived 3600 s ago, b 3599 s ago: only a goes, and only one per batch anyway.
    expect(await svc.pruneArchived()).to.deep.equal([a.circuit_id]);
    expect(await svc.pruneArchived()).to.deep.equal([]);
    now += 1_000;
    expect(await svc.pruneArchived()).to.deep.equal([b.circuit_id]);
    expect(removed).to.deep.equal([[a.circuit_id], [b.circuit_id]]);
    expect(svc.list(null)).to.deep.equal({});
    expect(net.docs.size).to.equal(0);
  });

  it('should keep archived EVCs forever with ARCHIVED_RETENTION 0', async () => {
    const net = new FakeNetwork(4);
    let now = 0;
    const svc = new EvcService(net.deps({ now: () => now, settings: { ...net.deps().settings, ARCHIVED_RETENTION: 0 }, removeMany: async () => expect.fail('nothing to remove') }));
    const a = await svc.create({ name: 'a', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1) }, uni_z: { interface_id: intf(3, 1) } });
    await svc.settled();
    await svc.remove(a.circuit_id);
    now += 10 * 365 * 86_400_000;
    expect(await svc.pruneArchived()).to.deep.equal([]);
    expect(Object.keys(svc.list(true))).to.deep.equal([a.circuit_id]);
  });

  it('should tell itself a prune tick every PRUNE_INTERVAL on the NApp clock, and none when retention is off', async () => {
    const ticks = (r: Awaited<ReturnType<typeof stepNApp>>) => r.sends.filter((s) => s.message.type === 'mef_eline.prune.tick').length;
    const on = await stepNApp(mefEline, [{ advance: 60_000 }, { advance: 60_000 }, { advance: 59_999 }], { settings: { CONSISTENCY_INTERVAL: 0, PRUNE_INTERVAL: 60, ARCHIVED_RETENTION: 10 } });
    expect(ticks(on)).to.equal(2);
    const off = await stepNApp(mefEline, [{ advance: 600_000 }], { settings: { CONSISTENCY_INTERVAL: 0, PRUNE_INTERVAL: 60, ARCHIVED_RETENTION: 0 } });
    expect(ticks(off)).to.equal(0);
  });
});
