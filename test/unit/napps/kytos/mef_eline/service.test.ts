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

  describe('creation requests that can never be placed: 409, nothing reserved', () => {
    const refusal = async (svc: EvcService, body: Record<string, unknown>) =>
      svc.create(body).then(
        () => undefined,
        (e: { code?: string; message?: string }) => [e.code, e.message],
      );
    /** Nothing held, stored, installed or known afterwards. */
    const nothing = (net: FakeNetwork, svc: EvcService) => {
      expect(net.usedKeys()).to.deep.equal([]);
      expect(svc.heldTags()).to.deep.equal([]);
      expect([...net.docs.keys()]).to.deep.equal([]);
      expect(svc.list(null)).to.deep.equal({});
      expect([...net.tables.values()].every((t) => t.size === 0)).to.equal(true);
    };

    it('should answer 409 when paths exist but none meets the constraints', async () => {
      const net = new FakeNetwork(4);
      const base = net.deps();
      // The fake pathfinder: the ring's paths, none of them when a mandatory metric is asked.
      const svc = new EvcService({ ...base, findPaths: async (req) => (req.mandatory_metrics ? [] : base.findPaths(req)) });
      const r = await refusal(svc, { name: 'c', dynamic_backup_path: true, uni_a: uni(1, 1, 5), uni_z: uni(3, 1, 5), primary_constraints: { mandatory_metrics: { bandwidth: 1000 } } });
      expect(r).to.deep.equal(['CONFLICT', `no path satisfies the constraints between ${intf(1, 1)} and ${intf(3, 1)}`]);
      nothing(net, svc);
    });

    it('should answer 409 when no link joins the UNIs\' switches at all', async () => {
      const net = new FakeNetwork(4);
      delete net.links.L1;
      delete net.links.L4; // s1 is cut off the ring
      const svc = new EvcService(net.deps());
      const r = await refusal(svc, { name: 'n', dynamic_backup_path: true, uni_a: uni(1, 1, 5), uni_z: uni(3, 1, 5) });
      expect(r).to.deep.equal(['CONFLICT', `no path between ${intf(1, 1)} and ${intf(3, 1)}`]);
      nothing(net, svc);
    });

    it('should answer 409 when no path has a free S-VLAN on every link, giving back the UNI tags and S-VLANs taken', async () => {
      const net = new FakeNetwork(4);
      const base = net.deps();
      // L2 (on one way round) and L3 (on the other) have no S-VLAN left.
      const svc = new EvcService({ ...base, allocateLinkTags: async (link, req) => (link === 'L2' || link === 'L3' ? Promise.reject(Object.assign(new Error('none'), { code: 'CONFLICT' })) : base.allocateLinkTags(link, req)) });
      const r = await refusal(svc, { name: 's', dynamic_backup_path: true, uni_a: uni(1, 1, 5), uni_z: uni(3, 1, [[7, 9]]) });
      expect(r?.[0]).to.equal('BAD_REQUEST'); // tag lists differ: refused before anything
      const e = await refusal(svc, { name: 's', dynamic_backup_path: true, uni_a: uni(1, 1, 5), uni_z: uni(3, 1, 6) });
      expect(e).to.deep.equal(['CONFLICT', `no S-VLAN is free on every link of a path between ${intf(1, 1)} and ${intf(3, 1)}`]);
      nothing(net, svc);
    });

    it('should store an EVC whose UNI switch is disconnected and deploy it later (Kytos-ng), with only its UNI tags held', async () => {
      const net = new FakeNetwork(4);
      net.down.add(3);
      net.setLink('L2', false);
      net.setLink('L3', false);
      const svc = new EvcService(net.deps());
      const r = await svc.create({ name: 'later', dynamic_backup_path: true, uni_a: uni(1, 1, 5), uni_z: uni(3, 1, 5), primary_constraints: { mandatory_metrics: { bandwidth: 10 } } });
      await svc.settled();
      expect(r.deployed).to.equal(false);
      expect([...net.docs.keys()]).to.deep.equal([r.circuit_id]);
      expect(net.usedKeys()).to.deep.equal([`intf|${intf(1, 1)}|5`, `intf|${intf(3, 1)}|5`]);
      net.down.delete(3);
      net.setLink('L2', true);
      const { handleLinkUp } = await import('../../../../../napps/kytos/mef_eline/failover.js');
      await handleLinkUp(svc, 'L2');
      await svc.settled();
      expect(svc.get(r.circuit_id).active).to.equal(true);
      expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
    });

    it('should let only one of two concurrent creations take an interface with no tag (409 for the other)', async () => {
      const net = new FakeNetwork(4);
      const svc = new EvcService(net.deps());
      const [a, b] = await Promise.allSettled([
        svc.create({ name: 'a', dynamic_backup_path: true, uni_a: uni(1, 1), uni_z: uni(3, 1) }),
        svc.create({ name: 'b', dynamic_backup_path: true, uni_a: uni(1, 1), uni_z: uni(2, 1) }),
      ]);
      await svc.settled();
      expect(a.status).to.equal('fulfilled');
      expect(b.status).to.equal('rejected');
      expect((b as PromiseRejectedResult).reason.code).to.equal('CONFLICT');
      expect(Object.keys(svc.list())).to.have.length(1);
      expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
    });
  });
});
