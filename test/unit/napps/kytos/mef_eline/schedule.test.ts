import { expect } from 'chai';
import { ManualClock } from '../../../../../src/sdk/index.js';
import { EvcService } from '../../../../../napps/kytos/mef_eline/service.js';
import { nextCron, nextFire, parseCron } from '../../../../../napps/kytos/mef_eline/schedule.js';
import { ticks } from '../../../../helpers/log.js';
import { FakeNetwork, intf } from './fakes.js';

const T0 = Date.UTC(2026, 0, 1, 10, 2, 30);

describe('kytos/mef_eline schedules', () => {
  it('should compute cron, interval and date firings in UTC', () => {
    expect(new Date(nextCron(parseCron('*/5 * * * *'), T0)!).toISOString()).to.equal('2026-01-01T10:05:00.000Z');
    expect(new Date(nextCron(parseCron('0 3 * * 1'), T0)!).toISOString()).to.equal('2026-01-05T03:00:00.000Z');
    expect(new Date(nextCron(parseCron('30 8 1 2 *'), T0)!).toISOString()).to.equal('2026-02-01T08:30:00.000Z');
    expect(nextFire({ id: 'i', action: 'create', interval: { minutes: 2 } }, T0)).to.equal(T0 + 120_000);
    expect(nextFire({ id: 'd', action: 'create', date: '2026-01-01T11:00:00' }, T0)).to.equal(Date.UTC(2026, 0, 1, 11));
    expect(nextFire({ id: 'd', action: 'create', date: '2026-01-01T11:00:00' }, T0, Date.UTC(2026, 0, 1, 11))).to.equal(undefined);
    expect(() => parseCron('61 * * * *')).to.throw(/Invalid cron/);
  });

  it('should deploy and remove an EVC when its schedules fire on the manual clock', async () => {
    const clock = new ManualClock(T0);
    const net = new FakeNetwork(4);
    const svc = new EvcService(net.deps({ now: () => clock.now(), timers: { after: (fn, ms) => clock.setTimeout(fn, ms), cancel: (h) => clock.clearTimeout(h) } }));
    const { circuit_id, deployed } = await svc.create({
      name: 'sched',
      dynamic_backup_path: true,
      uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 10 } },
      uni_z: { interface_id: intf(3, 1), tag: { tag_type: 'vlan', value: 10 } },
      circuit_scheduler: [{ frequency: '*/5 * * * *', action: 'create' }],
    });
    expect(deployed).to.equal(false);
    expect(svc.get(circuit_id).active).to.equal(false);
    clock.advance(150_000); // 10:05:00
    await ticks(20);
    expect(svc.get(circuit_id).active).to.equal(true);
    const removal = await svc.addSchedule(circuit_id, { date: '2026-01-01T10:06:00', action: 'remove' });
    expect(svc.schedules()).to.have.length(2);
    clock.advance(60_000);
    await ticks(20);
    expect(svc.get(circuit_id).active).to.equal(false);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
    clock.advance(240_000); // 10:10:00: the cron deploys it again
    await ticks(20);
    expect(svc.get(circuit_id).active).to.equal(true);
    await svc.removeSchedule(removal.id);
    await svc.remove(circuit_id);
    expect(svc.armed).to.equal(0);
    expect(svc.schedules()).to.deep.equal({});
  });
});
