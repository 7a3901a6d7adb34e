import { createHash } from 'node:crypto';
import { expect } from 'chai';
import topology from '../../../../../napps/kytos/topology/index.js';
import { runCommand } from '../../../../../napps/kytos/topology/events.js';
import { linkId } from '../../../../../napps/kytos/topology/state.js';
import {
  allocateLinkTags,
  allocateTags,
  askInput,
  getInterfaceTags,
  releaseLinkTags,
  releaseTags,
  connectionLost,
  deliver,
  getTopology,
  getTopologySwitch,
  interfaceIsNni,
  interfaceLinkDown,
  interfaceLinkUp,
  interruptionEnd,
  interruptionStart,
  switchNew,
  type StepInput,
} from '../../../../../src/sdk/index.js';
import type { Command } from '../../../../../napps/kytos/topology/commands.js';
import { MemoryStore } from './memory-store.js';
import { dpid, port, switchJson } from './fixtures.js';

const A = `${dpid(1)}:1`;
const B = `${dpid(2)}:1`;
const LINK = linkId(A, B);
const cmd = (command: Command): StepInput => askInput(runCommand, { command });
const two = [deliver(switchNew, { switch: switchJson(1, [1, 2]) }), deliver(switchNew, { switch: switchJson(2, [1]) })];
const nni = deliver(interfaceIsNni, { interface_a: { id: B }, interface_b: { id: A } });
const settings = { LINK_UP_TIMER: 1, PUBLISH_UPDATED: false };
const run = (inputs: StepInput[], store = new MemoryStore()) => stepNAppT(inputs, store);
async function stepNAppT(inputs: StepInput[], store: MemoryStore) {
  const { stepNApp } = await import('../../../../../src/sdk/index.js');
  return stepNApp(topology, inputs, { settings, store });
}
const names = (r: { emits: { name: string }[] }) => r.emits.map((e) => e.name);

describe('kytos/topology machine', () => {
  it('should take switches from switch.new, enabled by default, with Kytos shapes', async () => {
    const r = await run([...two, askInput(getTopologySwitch, { dpid: dpid(1) })]);
    expect(names(r)).to.deep.equal(['kytos/topology.switch.enabled', 'kytos/topology.switch.enabled']);
    const sw = r.answers[0]!.value as Record<string, any>;
    expect(Object.keys(sw)).to.deep.equal(['id', 'name', 'dpid', 'connection', 'ofp_version', 'type', 'manufacturer', 'serial', 'hardware', 'software', 'data_path', 'interfaces', 'metadata', 'active', 'enabled', 'status', 'status_reason']);
    expect(sw).to.include({ enabled: true, active: true, status: 'UP' });
    expect(sw.interfaces[`${dpid(1)}:1`]).to.include({ enabled: true, active: true, status: 'UP', nni: false, link: '' });
  });

  it('should make a link from is.nni with the sha256 id, UP only after LINK_UP_TIMER, link_up once', async () => {
    const r = await run([...two, nni, askInput(getTopology, {}), { advance: 999 }, { advance: 1 }, { advance: 5000 }, askInput(getTopology, {})]);
    // Kytos' LinkID: sha256 of the endpoint ids sorted by (dpid, port), joined by ':'.
    expect(LINK).to.equal(createHash('sha256').update(`${A}:${B}`).digest('hex'));
    expect(linkId(`${dpid(1)}:10`, `${dpid(1)}:9`)).to.equal(createHash('sha256').update(`${dpid(1)}:9:${dpid(1)}:10`).digest('hex'));
    const before = (r.answers[0]!.value as any).links[LINK];
    expect(before).to.include({ status: 'DOWN', active: true, enabled: true });
    expect(before.endpoint_a.id).to.equal(A);
    expect(before.endpoint_a).to.include({ nni: true, uni: false, link: LINK });
    const after = (r.answers[1]!.value as any).links[LINK];
    expect(after).to.include({ status: 'UP' });
    expect(after.status_reason).to.deep.equal([]);
    expect(names(r).filter((n) => n.includes('link_up'))).to.have.length(1);
  });

  it('should announce link_down once when an endpoint goes down, and link_up again after the timer', async () => {
    const down = deliver(interfaceLinkDown, { interface: port(2, 1, false) });
    const up = deliver(interfaceLinkUp, { interface: port(2, 1, true) });
    const r = await run([...two, nni, { advance: 1000 }, down, down, up, { advance: 1000 }]);
    const linkEvents = r.emits.filter((e) => /link_(up|down)$/.test(e.name)).map((e) => `${e.name.split('.').pop()}:${(e.content as any).reason}`);
    expect(linkEvents).to.deep.equal(['link_up:link up', 'link_down:link down', 'link_up:link up']);
  });

  it('should take the links of a disconnected switch down', async () => {
    const r = await run([...two, nni, { advance: 1000 }, deliver(connectionLost, { connection_id: 'c', connection: '', dpid: dpid(2), reason: 'closed' }), askInput(getTopology, {})]);
    expect(names(r)).to.include('kytos/topology.link_down');
    const t = r.answers[0]!.value as any;
    expect(t.switches[dpid(2)]).to.include({ active: false, connection: '', ofp_version: null, status: 'DOWN' });
    expect(t.links[LINK].status_reason).to.deep.equal(['deactivated']);
  });

  it('should cascade a switch disable to its interfaces and links, and enable neither back', async () => {
    const r = await run([...two, nni, { advance: 1000 }, cmd({ op: 'switch.disable', dpid: dpid(1) }), cmd({ op: 'switch.enable', dpid: dpid(1) }), askInput(getTopology, {})]);
    expect(r.answers.slice(0, 2).map((a) => a.value)).to.deep.equal(['Operation successful', 'Operation successful']);
    const t = r.answers[2]!.value as any;
    expect(t.switches[dpid(1)].enabled).to.equal(true);
    expect(t.switches[dpid(1)].interfaces[A]).to.include({ enabled: false, status: 'DISABLED' });
    expect(t.links[LINK]).to.include({ enabled: false, status: 'DISABLED' });
    expect(names(r)).to.include.members(['kytos/topology.link.disabled', 'kytos/topology.switch.disabled', 'kytos/topology.link_down']);
  });

  it('should answer Kytos-ng 404 / 409 messages', async () => {
    const r = await run([
      ...two,
      nni,
      cmd({ op: 'switch.enable', dpid: dpid(9) }),
      cmd({ op: 'switch.disable', dpid: dpid(1) }),
      cmd({ op: 'interface.enable', dpid: dpid(1), port: 77 }),
      cmd({ op: 'link.enable', id: LINK }),
      cmd({ op: 'link.enable', id: 'nope' }),
      cmd({ op: 'switch.delete', dpid: dpid(2), flows: { flows: [] } }),
      cmd({ op: 'switch.delete', dpid: dpid(1), flows: { flows: [] } }),
      cmd({ op: 'interface.delete', id: A, flows: { flows: [] } }),
      cmd({ op: 'interface.delete', id: 'bad', flows: { flows: [] } }),
      cmd({ op: 'metadata.delete', kind: 'switch', id: dpid(1), key: 'x' }),
      cmd({ op: 'metadata.add', kind: 'link', id: LINK, metadata: [1] as never }),
      cmd({ op: 'link.delete', id: LINK }),
      cmd({ op: 'switch.delete', dpid: dpid(1), flows: { flows: [{ flow_id: 'f1' } as never] } }),
      cmd({ op: 'switch.delete', dpid: dpid(1), flows: { error: 'timed out' } }),
      cmd({ op: 'switch.delete', dpid: dpid(1), flows: { flows: [] } }),
      cmd({ op: 'switch.delete', dpid: dpid(1), flows: { flows: [] } }),
    ]);
    const errors = r.answers.map((a) => (a.error ? `${(a.error as any).code}:${(a.error as Error).message}` : a.value));
    expect(errors).to.deep.equal([
      'NOT_FOUND:Switch not found',
      'Operation successful',
      'CONFLICT:Enable Switch first',
      `CONFLICT:${A} needs enabling.`,
      'NOT_FOUND:Link not found',
      'CONFLICT:Switch should be disabled.',
      `CONFLICT:Switch should not have links. Link found ${LINK}.`,
      'CONFLICT:Interface could not be deleted. Reason: It is enabled or active.',
      'BAD_REQUEST:Invalid interface id.',
      'NOT_FOUND:Metadata not found',
      'BAD_REQUEST:Invalid metadata: it must be a JSON object.',
      'Operation successful',
      'CONFLICT:Switch has flows. Verify if a switch is used.',
      'CONFLICT:Error while getting flows: timed out.',
      'Operation successful',
      'NOT_FOUND:Switch not found.',
    ]);
  });

  it('should refuse to delete an interface a stored flow uses, and delete it otherwise', async () => {
    const id = `${dpid(1)}:2`;
    const flow = (flow_id: string, f: Record<string, unknown>) => ({ flow_id, flow: f }) as never;
    const r = await run([
      ...two,
      deliver(interfaceLinkDown, { interface: port(1, 2, false) }),
      cmd({ op: 'interface.disable', dpid: dpid(1), port: 2 }),
      cmd({ op: 'interface.delete', id, flows: { flows: [flow('f1', { match: { in_port: 2 } })] } }),
      cmd({ op: 'interface.delete', id, flows: { flows: [flow('f2', { instructions: [{ instruction_type: 'apply_actions', actions: [{ action_type: 'output', port: 2 }] }] })] } }),
      cmd({ op: 'interface.delete', id, flows: { flows: [flow('f3', { match: { in_port: 1 }, actions: [{ action_type: 'output', port: 1 }] })] } }),
      askInput(getTopologySwitch, { dpid: dpid(1) }),
    ]);
    expect(r.answers.map((a) => (a.error ? (a.error as Error).message : a.value))).to.deep.equal([
      'Operation successful',
      'Interface could not be deleted. Reason: There is a flow installed, f1.',
      'Interface could not be deleted. Reason: There is a flow installed, f2.',
      'Operation Successful',
      r.answers[4]!.value,
    ]);
    expect(Object.keys((r.answers[4]!.value as any).interfaces)).to.deep.equal([`${dpid(1)}:1`]);
    expect(names(r)).to.include('kytos/topology.interface.deleted');
  });

  it('should write before it answers, and answer 503 with nothing changed when the store is down', async () => {
    const store = new MemoryStore();
    const first = await run([...two, cmd({ op: 'metadata.add', kind: 'switch', id: dpid(1), metadata: { a: 1 } })], store);
    expect(first.answers[0]!.value).to.equal('Operation successful');
    expect((store.data.get('switches')!.get(dpid(1)) as any).metadata).to.deep.equal({ a: 1 });
    expect(first.emits.map((e) => e.name)).to.include('kytos/topology.switches.metadata.added');

    const down = new MemoryStore();
    down.failAfterWrites = 2; // the two switches are stored, then the store goes away
    const r = await run([...two, cmd({ op: 'switch.disable', dpid: dpid(1) }), askInput(getTopologySwitch, { dpid: dpid(1) })], down);
    const err = r.answers[0]!.error as any;
    expect(err.code).to.equal('STORE_UNAVAILABLE');
    expect((r.answers[1]!.value as any).enabled).to.equal(true);
    expect(r.emits.map((e) => e.name)).to.not.include('kytos/topology.switch.disabled');
  });

  it('should give 100 concurrent allocations 100 distinct tags, never the LLDP VLAN', async () => {
    const asks = Array.from({ length: 100 }, () => askInput(allocateTags, { interface_id: A, count: 1 }));
    const r = await run([deliver(switchNew, { switch: switchJson(1, [1]) }), cmd({ op: 'tags.set', id: A, ranges: [[3790, 3900]] }), ...asks]);
    const tags = r.answers.slice(1).map((a) => (a.value as number[])[0]);
    expect(new Set(tags).size).to.equal(100);
    expect(tags).to.not.include(3799);
  });

  it('should claim each allocated tag in the store, and learn tags another holder claimed', async () => {
    const store = new MemoryStore();
    // Another instance on the same database already holds VLAN 1 on A.
    await store.collection<{ id: string }>('tag_claims', { key: 'id' }).put({ id: `${A}|vlan|1`, interface_id: A, tag_type: 'vlan', tag: 1 } as never);
    const alloc = askInput(allocateTags, { interface_id: A, count: 1 });
    const r = await run([deliver(switchNew, { switch: switchJson(1, [1]) }), alloc, alloc, askInput(releaseTags, { interface_id: A, tags: [2] })], store);
    expect((r.answers[0]!.error as any).code).to.equal('CONFLICT');
    expect(r.answers[1]!.value).to.deep.equal([2]);
    expect(r.answers[2]!.value).to.deep.equal([2]);
    expect([...store.data.get('tag_claims')!.keys()]).to.deep.equal([`${A}|vlan|1`]);
  });

  it('should allocate a link\'s tags free on both endpoints, claimed on both, and release them', async () => {
    const r = await run([
      ...two,
      nni,
      askInput(allocateTags, { interface_id: B, tags: [1, 3] }),
      askInput(allocateLinkTags, { link_id: LINK, count: 2 }),
      askInput(allocateLinkTags, { link_id: LINK, tags: [3] }),
      askInput(allocateLinkTags, { link_id: 'nope', count: 1 }),
      askInput(releaseLinkTags, { link_id: LINK, tags: [2, 4, 9] }),
      askInput(getInterfaceTags, { interface_id: A }),
    ]);
    const out = r.answers.map((a) => (a.error ? `${(a.error as any).code}` : a.value));
    expect(out.slice(0, 5)).to.deep.equal([[1, 3], [2, 4], 'CONFLICT', 'NOT_FOUND', [2, 4]]);
    expect((r.answers[5]!.value as any).available_tags.vlan[0]).to.deep.equal([1, 3798]);
  });

  it('should take an interrupted switch\'s links DOWN with the reason, and back', async () => {
    const r = await run([
      ...two,
      nni,
      { advance: 1000 },
      deliver(interruptionStart, { type: 'maintenance', switches: [dpid(1)] }),
      askInput(getTopology, {}),
      deliver(interruptionEnd, { type: 'maintenance', switches: [dpid(1)] }),
      askInput(getTopology, {}),
    ]);
    const during = (r.answers[0]!.value as any).links[LINK];
    expect(during).to.include({ status: 'DOWN' });
    expect(during.status_reason).to.deep.equal(['maintenance']);
    expect((r.answers[1]!.value as any).links[LINK]).to.include({ status: 'UP' });
    const linkEvents = r.emits.filter((e) => /link_(up|down)$/.test(e.name)).map((e) => `${e.name.split('.').pop()}:${(e.content as any).reason}`);
    expect(linkEvents).to.deep.equal(['link_up:link up', 'link_down:maintenance', 'link_up:maintenance']);
  });
});
