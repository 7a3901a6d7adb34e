import { expect } from 'chai';
import { checkDeadLinks } from '../../../../../napps/kytos/mef_eline/consistency.js';
import { EvcService } from '../../../../../napps/kytos/mef_eline/service.js';
import { FakeNetwork, intf } from './fakes.js';

describe('kytos/mef_eline links down with no link_down seen', () => {
  async function setUp() {
    let now = 0;
    const net = new FakeNetwork(5);
    const svc = new EvcService(net.deps({ now: () => now }));
    const { circuit_id } = await svc.create({ name: 'x', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 5 } }, uni_z: { interface_id: intf(3, 1), tag: { tag_type: 'vlan', value: 5 } } });
    await svc.settled();
    const evc = () => svc.get(circuit_id);
    return { net, svc, evc, advance: (ms: number) => (now += ms) };
  }

  it('should handle a link of the current path that stays down past DEAD_LINK_GRACE as a link_down', async () => {
    const { net, svc, evc, advance } = await setUp();
    const link = evc().current_path[0]!.id;
    expect(evc().failover_path).to.not.have.length(0);
    net.setLink(link, false); // topology shows it down; no link_down is delivered
    expect(await checkDeadLinks(svc), 'first seen: waits the grace').to.deep.equal([]);
    advance(29_000);
    expect(await checkDeadLinks(svc)).to.deep.equal([]);
    expect(evc().current_path.map((l) => l.id)).to.include(link);
    advance(1_000);
    expect(await checkDeadLinks(svc)).to.deep.equal([link]);
    await svc.settled();
    expect(evc().active).to.equal(true);
    expect(evc().current_path.map((l) => l.id)).to.not.include(link);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });

  it('should wait while a switch of the link is not UP, and forget a link that comes back', async () => {
    const { net, svc, evc, advance } = await setUp();
    const link = evc().current_path[0]!.id;
    net.setLink(link, false);
    net.down.add(1); // s1 reconnecting: the link may come back
    await checkDeadLinks(svc);
    advance(60_000);
    expect(await checkDeadLinks(svc)).to.deep.equal([]);
    net.down.delete(1);
    expect(await checkDeadLinks(svc), 'the grace starts when both switches are UP').to.deep.equal([]);
    net.setLink(link, true);
    advance(60_000);
    expect(await checkDeadLinks(svc)).to.deep.equal([]);
    expect(svc.deadLinks.size).to.equal(0);
    expect(evc().current_path.map((l) => l.id)).to.include(link);
  });
});
