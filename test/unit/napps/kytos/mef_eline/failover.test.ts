import { expect } from 'chai';
import { EvcService } from '../../../../../napps/kytos/mef_eline/service.js';
import { handleLinkDown, handleLinkUp } from '../../../../../napps/kytos/mef_eline/failover.js';
import { initialTransition, transition } from 'xstate';
import { evcMachine, next, snapshotIn, stateOf, TRANSITIONS, type EvcMachineEvent, type EvcState } from '../../../../../napps/kytos/mef_eline/evc-machine.js';
import { FakeNetwork, intf } from './fakes.js';

const ids = (p: { id: string }[]) => p.map((l) => l.id);
const link = (n: FakeNetwork, id: string) => ({ id, endpoint_a: { id: n.links[id]!.endpoint_a.id }, endpoint_b: { id: n.links[id]!.endpoint_b.id } });

describe('kytos/mef_eline failover (EP029)', () => {
  it('should swap to the failover path, then compute a new failover when one exists', async () => {
    const net = new FakeNetwork(5);
    const svc = new EvcService(net.deps());
    const { circuit_id } = await svc.create({ name: 'x', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1) }, uni_z: { interface_id: intf(2, 1) } });
    await svc.settled();
    const before = svc.get(circuit_id);
    expect(ids(before.current_path)).to.deep.equal(['L1']);
    expect(ids(before.failover_path)).to.deep.equal(['L5', 'L4', 'L3', 'L2']);
    net.setLink('L1', false);
    await handleLinkDown(svc, 'L1');
    await svc.settled();
    const after = svc.get(circuit_id);
    expect(ids(after.current_path)).to.deep.equal(['L5', 'L4', 'L3', 'L2']);
    expect(after.current_path.map((l) => l.metadata.s_vlan?.value)).to.deep.equal(before.failover_path.map((l) => l.metadata.s_vlan?.value));
    expect(after.failover_path).to.deep.equal([]);
    net.setLink('L1', true);
    await handleLinkUp(svc, 'L1');
    await svc.settled();
    expect(ids(svc.get(circuit_id).failover_path)).to.deep.equal(['L1']);
    expect(svc.heldTags()).to.deep.equal(svc.referencedTags());
  });

  it('should only drop and recompute the failover when only it was hit', async () => {
    const net = new FakeNetwork(5);
    const svc = new EvcService(net.deps());
    const { circuit_id } = await svc.create({ name: 'x', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1) }, uni_z: { interface_id: intf(2, 1) } });
    await svc.settled();
    net.setLink('L3', false);
    await handleLinkDown(svc, 'L3');
    await svc.settled();
    const e = svc.get(circuit_id);
    expect(ids(e.current_path)).to.deep.equal(['L1']);
    expect(e.failover_path).to.deep.equal([]);
    expect(svc.stateOf(circuit_id)).to.equal('active');
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });

  it('should return a static primary path EVC to its primary when the link comes back', async () => {
    const net = new FakeNetwork(5);
    const svc = new EvcService(net.deps());
    const { circuit_id } = await svc.create({
      name: 'static',
      uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 10 } },
      uni_z: { interface_id: intf(2, 1), tag: { tag_type: 'vlan', value: 10 } },
      primary_path: [link(net, 'L1')],
      backup_path: [link(net, 'L5'), link(net, 'L4'), link(net, 'L3'), link(net, 'L2')],
    });
    await svc.settled();
    expect(ids(svc.get(circuit_id).current_path)).to.deep.equal(['L1']);
    expect(svc.get(circuit_id).failover_path).to.deep.equal([]);
    net.setLink('L1', false);
    await handleLinkDown(svc, 'L1');
    await svc.settled();
    expect(ids(svc.get(circuit_id).current_path)).to.deep.equal(['L5', 'L4', 'L3', 'L2']);
    net.setLink('L1', true);
    await handleLinkUp(svc, 'L1');
    await svc.settled();
    expect(ids(svc.get(circuit_id).current_path)).to.deep.equal(['L1']);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });

  it('should leave no EVC half-deployed under concurrent link events on shared links', async () => {
    const net = new FakeNetwork(6);
    const svc = new EvcService(net.deps());
    for (let i = 0; i < 6; i++) {
      await svc.create({ name: `e${i}`, dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 100 + i } }, uni_z: { interface_id: intf(4, 1), tag: { tag_type: 'vlan', value: 100 + i } } });
      await svc.settled();
    }
    net.setLink('L2', false);
    net.setLink('L5', false);
    await Promise.all([handleLinkDown(svc, 'L2'), handleLinkDown(svc, 'L5'), handleLinkUp(svc, 'L2')]);
    await svc.settled();
    for (const l of svc.evcs.values()) expect(svc.stateOf(l.doc.id)).to.be.oneOf(['idle', 'active']);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });

  it('should refuse an event the EVC state does not take (as data)', () => {
    const deploying = next(snapshotIn('idle'), { type: 'deploy' })!;
    expect(stateOf(deploying)).to.equal('deploying');
    expect(next(deploying, { type: 'link_down' })).to.equal(undefined);
    expect(next(deploying, { type: 'undeploy' })).to.equal(undefined);
    expect(stateOf(next(snapshotIn('active'), { type: 'link_down' })!)).to.equal('failing_over');
    expect(next(snapshotIn('archived'), { type: 'enable' })).to.equal(undefined);
  });

  it('should step exactly as xstate steps the machine, for every state and event', () => {
    const events: EvcMachineEvent['type'][] = ['enable', 'disable', 'deploy', 'deployed', 'failed', 'link_down', 'undeploy', 'undeployed', 'archive'];
    const states = [...TRANSITIONS.keys()];
    expect(states).to.have.members(['disabled', 'idle', 'deploying', 'active', 'failing_over', 'undeploying', 'archived']);
    const [initial] = initialTransition(evcMachine, {});
    let steps = 0;
    for (const state of states) {
      const real = evcMachine.resolveState({ ...initial, value: state });
      for (const type of events) {
        const mine = next(snapshotIn(state), { type });
        const theirs = real.can({ type }) ? (transition(evcMachine, real, { type })[0].value as EvcState) : undefined;
        expect(mine && stateOf(mine), `${state} + ${type}`).to.equal(theirs);
        if (theirs) steps++;
      }
    }
    expect(steps).to.equal(13);
  });
});

describe('kytos/mef_eline link_down racing a deploy', () => {
  it('should move an EVC whose deploy read the topology before the link went down', async () => {
    const net = new FakeNetwork(5);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    const deps = net.deps();
    const svc = new EvcService({
      ...deps,
      // The first install waits until the link is down and its event has been delivered.
      install: async (d, flows) => {
        if (!held) {
          held = true;
          await gate;
        }
        return deps.install(d, flows);
      },
    });
    const creating = svc.create({ name: 'race', dynamic_backup_path: true, uni_a: { interface_id: intf(1, 1) }, uni_z: { interface_id: intf(2, 1) } });
    await new Promise((r) => setImmediate(r));
    while (!held) await new Promise((r) => setImmediate(r));
    net.setLink('L1', false);
    const down = handleLinkDown(svc, 'L1');
    release();
    const { circuit_id } = await creating;
    await down;
    await svc.settled();
    expect(ids(svc.get(circuit_id).current_path)).to.not.include('L1');
    expect(svc.get(circuit_id).active).to.equal(true);
    expect(net.usedKeys()).to.deep.equal(svc.referencedTags());
  });
});
