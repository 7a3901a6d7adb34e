import { expect } from 'chai';
import { EvcService } from '../../../../../napps/kytos/mef_eline/service.js';
import { FakeNetwork, intf } from './fakes.js';

const uni = (i: number, p: number, value?: unknown) => ({ interface_id: intf(i, p), ...(value === undefined ? {} : { tag: { tag_type: 'vlan', value } }) });

describe('kytos/mef_eline EVC service', () => {
  it('should move UNI tags on a PATCH of the UNIs and redeploy, and refuse a tag in use without changing anything', async () => {
    const net = new FakeNetwork(4);
    const svc = new EvcService(net.deps());
    const a = await svc.create({ name: 'a', dynamic_backup_path: true, uni_a: uni(1, 1, 10), uni_z: uni(3, 1, 10) });
    await svc.settled();
    const b = await svc.create({ name: 'b', dynamic_backup_path: true, uni_a: uni(1, 1, 11), uni_z: uni(3, 1, 11) });
    await svc.settled();
    const r = await svc.update(a.circuit_id, { uni_a: uni(1, 1, 12) });
    await svc.settled();
    expect(r.redeployed).to.equal(true);
    expect(r.evc.uni_a.tag?.value).to.equal(12);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
    expect(net.usedKeys()).to.include(`intf|${intf(1, 1)}|12`).and.not.include(`intf|${intf(1, 1)}|10`);
    const before = svc.get(b.circuit_id);
    let error: unknown;
    await svc.update(b.circuit_id, { uni_a: uni(1, 1, 12) }).catch((e: unknown) => (error = e));
    await svc.settled();
    expect(String(error)).to.match(/KytosTagsAreNotAvailable/);
    expect(svc.get(b.circuit_id)).to.deep.equal(before);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });

  it('should answer deployed false with no path, reserve only the UNI tags, and deploy when a link comes up', async () => {
    const net = new FakeNetwork(4);
    for (const l of Object.keys(net.links)) net.setLink(l, false);
    const svc = new EvcService(net.deps());
    const r = await svc.create({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 1, 5), uni_z: uni(2, 1, 5) });
    await svc.settled();
    expect(r.deployed).to.equal(false);
    expect(svc.stateOf(r.circuit_id)).to.equal('idle');
    expect(net.usedKeys()).to.deep.equal([`intf|${intf(1, 1)}|5`, `intf|${intf(2, 1)}|5`]);
    net.setLink('L1', true);
    const { handleLinkUp } = await import('../../../../../napps/kytos/mef_eline/failover.js');
    await handleLinkUp(svc, 'L1');
    await svc.settled();
    expect(svc.get(r.circuit_id).active).to.equal(true);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });

  it('should refuse `any` twice on one interface (400) and a second EPL UNI on one interface (409)', async () => {
    const net = new FakeNetwork(4);
    const svc = new EvcService(net.deps());
    await svc.create({ name: 'any', dynamic_backup_path: true, uni_a: uni(1, 4, 'any'), uni_z: uni(3, 4, 'any') });
    await svc.settled();
    await svc.create({ name: 'epl', dynamic_backup_path: true, uni_a: uni(2, 1), uni_z: uni(4, 1) });
    await svc.settled();
    const err = async (body: Record<string, unknown>) => svc.create(body).then(() => undefined, (e: { code?: string; message?: string }) => [e.code, e.message]);
    expect(await err({ name: 'x', dynamic_backup_path: true, uni_a: uni(1, 4, 'any'), uni_z: uni(2, 4, 'any') })).to.deep.include('BAD_REQUEST');
    const dup = await err({ name: 'y', dynamic_backup_path: true, uni_a: uni(2, 1), uni_z: uni(3, 1, 7) });
    expect(dup?.[0]).to.equal('CONFLICT');
    expect(dup?.[1]).to.match(/^DuplicatedNoTagUNI/);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });
});
