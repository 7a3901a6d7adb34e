/** kytos/topology's held interruptions, stepped as data: overlap, ids, storage, and a restart in the middle of one. */
import { expect } from 'chai';
import topology from '../../../../../napps/kytos/topology/index.js';
import { linkId } from '../../../../../napps/kytos/topology/state.js';
import {
  askInput,
  deliver,
  getSwitches,
  getTopology,
  interfaceCreated,
  interfaceIsNni,
  interruptionEnd,
  interruptionStart,
  listInterruptions,
  ManualClock,
  stepNApp,
  switchNew,
  type InterruptionContent,
  type StepInput,
} from '../../../../../src/sdk/index.js';
import { MemoryStore } from './memory-store.js';
import { dpid, port, switchJson } from './fixtures.js';

// s1:1 - s2:1 (l12) and s2:2 - s3:1 (l23).
const l12 = linkId(`${dpid(1)}:1`, `${dpid(2)}:1`);
const l23 = linkId(`${dpid(2)}:2`, `${dpid(3)}:1`);
const switches = [deliver(switchNew, { switch: switchJson(1, [1, 2]) }), deliver(switchNew, { switch: switchJson(2, [1, 2]) }), deliver(switchNew, { switch: switchJson(3, [1]) })];
const links = [
  deliver(interfaceIsNni, { interface_a: { id: `${dpid(1)}:1` }, interface_b: { id: `${dpid(2)}:1` } }),
  deliver(interfaceIsNni, { interface_a: { id: `${dpid(2)}:2` }, interface_b: { id: `${dpid(3)}:1` } }),
];
const settings = { LINK_UP_TIMER: 1, PUBLISH_UPDATED: false };
/** A window over switch 1, expanded as maintenance expands it. */
const w1: InterruptionContent = { type: 'maintenance', id: 'w1', switches: [dpid(1)], interfaces: [`${dpid(1)}:1`, `${dpid(1)}:2`], links: [l12] };
/** A window over interface s1:1 (allowed with `force` beside w1: no item in common), expanded to its link. */
const w2: InterruptionContent = { type: 'maintenance', id: 'w2', switches: [], interfaces: [`${dpid(1)}:1`], links: [l12] };
const start = (c: InterruptionContent) => deliver(interruptionStart, c);
const end = (c: InterruptionContent) => deliver(interruptionEnd, c);
const topo = askInput(getTopology, {});

async function run(inputs: StepInput[], store = new MemoryStore(), restart = false) {
  const r = await stepNApp(topology, inputs, { settings, store, setup: restart, clock: new ManualClock(1000), replies: { [getSwitches.type]: () => ({}) } });
  return { ...r, store };
}
/** link_up / link_down as `<verb>:<link>`, in order. */
const linkEvents = (r: { emits: { name: string; content: unknown }[] }) =>
  r.emits
    .filter((e) => /link_(up|down)$/.test(e.name))
    .map((e) => `${e.name.split('_').pop()}:${(e.content as { link: { id: string } }).link.id === l12 ? 'l12' : 'l23'}`);
const linkAt = (r: { answers: { value?: unknown }[] }, i: number, id: string) => (r.answers[i]!.value as { links: Record<string, { status: string; status_reason: string[] }> }).links[id]!;
const held = (store: MemoryStore) => [...(store.data.get('interruptions')?.keys() ?? [])];

describe('kytos/topology held interruptions', () => {
  const up: StepInput[] = [...switches, ...links, { advance: 1000 }];

  it("keeps an entity DOWN until every interruption naming it ended (a switch's window and one of its interfaces')", async () => {
    const r = await run([...up, start(w1), start(w2), end(w2), topo, end(w1), topo]);
    expect(linkEvents(r)).to.deep.equal(['up:l12', 'up:l23', 'down:l12', 'up:l12']);
    expect(linkAt(r, 0, l12)).to.deep.include({ status: 'DOWN', status_reason: ['maintenance'] });
    expect((r.answers[0]!.value as any).switches[dpid(1)].interfaces[`${dpid(1)}:1`].status_reason).to.deep.equal(['maintenance']);
    expect(linkAt(r, 1, l12)).to.deep.include({ status: 'UP', status_reason: [] });
    expect(linkAt(r, 1, l23).status).to.equal('UP');
  });

  it('announces interface.down and up once per interface, and nothing for a start it already holds', async () => {
    const r = await run([...up, start(w1), start(w1), end(w1), end(w1)]);
    const intf = r.emits.filter((e) => /interface\.(up|down)$/.test(e.name)).map((e) => `${e.name.split('.').pop()}:${(e.content as { interface: { id: string } }).interface.id}`);
    expect(intf).to.deep.equal([`down:${dpid(1)}:1`, `down:${dpid(1)}:2`, `up:${dpid(1)}:1`, `up:${dpid(1)}:2`]);
    expect(linkEvents(r)).to.deep.equal(['up:l12', 'up:l23', 'down:l12', 'up:l12']);
  });

  it('releases by id whatever items the end names', async () => {
    const r = await run([...up, start(w1), end({ type: 'maintenance', id: 'w1', switches: [], interfaces: [], links: [] }), topo]);
    expect(linkAt(r, 0, l12)).to.deep.include({ status: 'UP', status_reason: [] });
    expect((r.answers[0]!.value as any).switches[dpid(1)].status_reason).to.deep.equal([]);
  });

  it('without an id (as Kytos-ng sends it), an end releases the items it names', async () => {
    const kytos = { type: 'maintenance', switches: [dpid(1)], interfaces: [`${dpid(1)}:1`, `${dpid(1)}:2`], links: [l12] };
    const r = await run([...up, start(kytos), topo, end(kytos), topo]);
    expect(linkAt(r, 0, l12).status_reason).to.deep.equal(['maintenance']);
    expect(linkAt(r, 1, l12)).to.deep.include({ status: 'UP', status_reason: [] });
    expect(held(r.store)).to.deep.equal([]);
  });

  it('stores what it holds, answers listInterruptions, and deletes it at the end', async () => {
    const during = await run([...up, start(w1), askInput(listInterruptions, {})]);
    expect(held(during.store)).to.deep.equal(['maintenance:w1']);
    expect(during.answers[0]!.value).to.deep.equal([{ type: 'maintenance', id: 'w1', switches: w1.switches, interfaces: w1.interfaces, links: w1.links }]);
    const after = await run([...up, start(w1), end(w1), askInput(listInterruptions, {})]);
    expect(held(after.store)).to.deep.equal([]);
    expect(after.answers[0]!.value).to.deep.equal([]);
  });

  it('gives the reason to a switch first seen during a window naming it, and to a port added to a maintained switch', async () => {
    const late = { type: 'maintenance', id: 'w9', switches: [dpid(4)], interfaces: [], links: [] };
    const r = await run([
      ...up,
      start(late),
      start(w1),
      deliver(switchNew, { switch: switchJson(4, [1]) }),
      deliver(interfaceCreated, { interface: port(1, 7) }),
      deliver(interfaceCreated, { interface: port(3, 7) }),
      topo,
    ]);
    const t = r.answers[0]!.value as any;
    expect(t.switches[dpid(4)]).to.deep.include({ status: 'DOWN', status_reason: ['maintenance'] });
    expect(t.switches[dpid(4)].interfaces[`${dpid(4)}:1`].status_reason).to.deep.equal(['maintenance']);
    expect(t.switches[dpid(1)].interfaces[`${dpid(1)}:7`].status_reason).to.deep.equal(['maintenance']);
    expect(t.switches[dpid(3)].interfaces[`${dpid(3)}:7`].status_reason).to.deep.equal([]);
  });

  describe('a restart in the middle of a window', () => {
    /** The store a controller left behind with w1 running and both links UP. */
    const leftBehind = async () => (await run([...up, start(w1)])).store;

    it('begins with the interruption: the maintained link never goes UP (no link_up), the others do', async () => {
      const r = await run([topo, ...switches, { advance: 5000 }, topo], await leftBehind(), true);
      expect(linkAt(r, 0, l12)).to.deep.include({ status: 'DOWN' });
      expect(linkAt(r, 0, l12).status_reason).to.include('maintenance');
      expect(linkEvents(r)).to.deep.equal(['up:l23']);
      expect(linkAt(r, 1, l12)).to.deep.include({ status: 'DOWN', status_reason: ['maintenance'] });
      expect((r.answers[1]!.value as any).switches[dpid(1)].interfaces[`${dpid(1)}:2`].status_reason).to.deep.equal(['maintenance']);
    });

    it("takes maintenance's re-applied start as already held, and its end brings the link UP once", async () => {
      const r = await run([...switches, { advance: 5000 }, start(w1), end(w1), { advance: 1000 }, topo], await leftBehind(), true);
      expect(linkEvents(r)).to.deep.equal(['up:l23', 'up:l12']);
      expect(r.emits.filter((e) => e.name.endsWith('interface.down'))).to.deep.equal([]);
      expect(linkAt(r, 0, l12)).to.deep.include({ status: 'UP', status_reason: [] });
      expect(held(r.store)).to.deep.equal([]);
    });

    it('without the stored interruption (the old behaviour) the link would go UP: the test can fail', async () => {
      const store = await leftBehind();
      store.data.get('interruptions')!.clear();
      const r = await run([...switches, { advance: 5000 }], store, true);
      expect(linkEvents(r)).to.deep.equal(['up:l12', 'up:l23']);
    });
  });
});
