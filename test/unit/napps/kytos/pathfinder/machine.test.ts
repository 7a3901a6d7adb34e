import { expect } from 'chai';
import {
  askInput,
  BadRequestError,
  defineEvent,
  deliver,
  findPaths,
  linkMetadataAdded,
  stepNApp,
  topologyInterfaceDown,
  topologyInterfaceUp,
  topologyLinkDeleted,
  topologyLinkDown,
  topologyLinkUp,
  topologyLoaded,
  topologySwitchDisabled,
  topologySwitchEnabled,
  topologyInterfaceCreated,
  topologyUpdated,
  type StepInput,
} from '../../../../../src/sdk/index.js';
import { initialTransition, transition } from 'xstate';
import pathfinder from '../../../../../napps/kytos/pathfinder/index.js';
import { topologyFetched } from '../../../../../napps/kytos/pathfinder/events.js';
import { findPathsIn } from '../../../../../napps/kytos/pathfinder/logic.js';
import { pathfinderMachine } from '../../../../../napps/kytos/pathfinder/machine.js';
import { dpid, ring } from './topologies.js';

// Topology's contracts, with loose payloads: the fixtures carry only the fields pathfinder reads.
const ev = (name: string) => defineEvent<any>()(name);
const TOPOLOGY_EVENTS = {
  loaded: topologyLoaded.type,
  updated: topologyUpdated.type,
  linkUp: topologyLinkUp.type,
  linkDown: topologyLinkDown.type,
  linkDeleted: topologyLinkDeleted.type,
  linkMetadataAdded: linkMetadataAdded.type,
  switchDisabled: topologySwitchDisabled.type,
  switchEnabled: topologySwitchEnabled.type,
  interfaceCreated: topologyInterfaceCreated.type,
  interfaceUp: topologyInterfaceUp.type,
  interfaceDown: topologyInterfaceDown.type,
};
const s = (i: number) => dpid(i);
const p = (i: number, port: number) => `${dpid(i)}:${port}`;
const noTopology = { 'topology.get': () => new Error('kytos/topology is not running') };
const ask = (source: string, destination: string, more: object = {}): StepInput => askInput(findPaths, { source, destination, ...more });

describe('kytos/pathfinder machine', () => {
  it('should answer no paths before any topology, and paths once topology.updated arrives', async () => {
    const t = ring(4);
    const r = await stepNApp(pathfinder, [ask(s(1), s(3)), deliver(ev(TOPOLOGY_EVENTS.updated), { topology: t }), ask(s(1), s(2), { spf_max_paths: 1 })], {
      replies: noTopology,
    });
    expect(r.asks.map((a) => a.type)).to.deep.equal(['topology.get']);
    expect(r.answers[0]!.value).to.deep.equal({ paths: [] });
    expect(r.answers[1]!.value).to.deep.equal({ paths: [{ hops: [s(1), p(1, 2), p(2, 3), s(2)], cost: 3 }] });
  });

  it("should start from topology's snapshot when topology answers", async () => {
    const r = await stepNApp(pathfinder, [ask(s(1), s(3))], { replies: { 'topology.get': () => ring(4) } });
    // Two ways around the ring, equal cost: ordered by hop list (s1:2 before s1:3).
    expect(r.answers[0]!.value).to.deep.equal({
      paths: [
        { hops: [s(1), p(1, 2), p(2, 3), s(2), p(2, 2), p(3, 3), s(3)], cost: 6 },
        { hops: [s(1), p(1, 3), p(4, 2), s(4), p(4, 3), p(3, 2), s(3)], cost: 6 },
      ],
    });
  });

  it('should follow link_down, link_up and link metadata incrementally', async () => {
    const t = ring(4);
    const down = { ...t.links['ring-1']!, status: 'DOWN' };
    const slow = { ...t.links['ring-4']!, metadata: { delay: 50 } };
    const r = await stepNApp(
      pathfinder,
      [
        deliver(ev(TOPOLOGY_EVENTS.linkDown), { link: down, reason: 'link down' }),
        ask(s(1), s(2), { spf_max_paths: 10 }),
        deliver(ev(TOPOLOGY_EVENTS.linkUp), { link: t.links['ring-1'], reason: 'link up' }),
        deliver(ev(TOPOLOGY_EVENTS.linkMetadataAdded), { link: slow, metadata: { delay: 50 } }),
        ask(s(1), s(2), { spf_max_paths: 10, spf_attribute: 'delay' }),
      ],
      { replies: { 'topology.get': () => t } },
    );
    expect((r.answers[0]!.value as any).paths.map((x: any) => x.cost)).to.deep.equal([9]);
    expect((r.answers[1]!.value as any).paths.map((x: any) => x.cost)).to.deep.equal([3, 58]);
  });

  it('should drop the edges of a disabled switch, a down interface and a deleted link', async () => {
    const t = ring(4);
    const r = await stepNApp(
      pathfinder,
      [
        deliver(ev(TOPOLOGY_EVENTS.switchDisabled), { dpid: s(2) }),
        ask(s(1), s(3), { spf_max_paths: 10 }),
        deliver(ev(TOPOLOGY_EVENTS.interfaceDown), { interface: { id: p(4, 3), switch: s(4), status: 'DOWN' }, reason: 'maintenance' }),
        ask(s(1), s(3)),
        deliver(ev(TOPOLOGY_EVENTS.interfaceUp), { interface: { id: p(4, 3), switch: s(4), status: 'UP' }, reason: 'maintenance' }),
        deliver(ev(TOPOLOGY_EVENTS.linkDeleted), { link: t.links['ring-3'] }),
        ask(s(1), s(3)),
      ],
      { replies: { 'topology.get': () => t } },
    );
    expect((r.answers[0]!.value as any).paths.map((x: any) => x.hops[1])).to.deep.equal([p(1, 3)]);
    expect(r.answers[1]!.value).to.deep.equal({ paths: [] });
    expect(r.answers[2]!.value).to.deep.equal({ paths: [] });
  });

  it('should fetch a switch from topology on switch.enabled and take its interfaces back', async () => {
    const t = ring(3);
    const r = await stepNApp(
      pathfinder,
      [
        deliver(ev(TOPOLOGY_EVENTS.switchDisabled), { dpid: s(2) }),
        ask(s(1), s(2)),
        deliver(ev(TOPOLOGY_EVENTS.switchEnabled), { dpid: s(2) }),
        ask(s(1), s(2)),
        deliver(ev(TOPOLOGY_EVENTS.interfaceCreated), { interface: { id: p(2, 9), switch: s(2), status: 'UP' } }),
        ask(p(2, 9), s(1), { spf_max_paths: 1 }),
      ],
      { replies: { 'topology.get': () => t, 'topology.switch.get': ({ dpid }: { dpid: string }) => t.switches[dpid] } },
    );
    expect(r.asks.map((a) => a.type)).to.deep.equal(['topology.get', 'topology.switch.get']);
    expect(r.answers[0]!.value).to.deep.equal({ paths: [] });
    expect((r.answers[1]!.value as any).paths).to.have.length(2);
    expect((r.answers[2]!.value as any).paths[0].hops).to.deep.equal([p(2, 9), s(2), p(2, 3), p(1, 2), s(1)]);
  });

  it('should replay the events that arrived while the start-up fetch was on its way over its snapshot', () => {
    // As data (xstate's pure transitions): the fetch answers after a link_down it predates.
    const t = ring(3);
    let [snap, actions] = initialTransition(pathfinderMachine, {} as never);
    expect(actions.map((a) => a.type)).to.deep.equal(['fetchTopology']);
    [snap] = transition(pathfinderMachine, snap, deliver(ev(TOPOLOGY_EVENTS.linkDown), { link: { ...t.links['ring-1'], status: 'DOWN' }, reason: 'down' }) as never);
    expect(snap.context.early).to.have.length(1);
    [snap] = transition(pathfinderMachine, snap, topologyFetched(t));
    expect(snap.context.early).to.deep.equal([]);
    expect(findPathsIn(snap.context.graph, { source: s(1), destination: s(2) }).paths.map((x) => x.cost)).to.deep.equal([6]);
  });

  it('should keep no events once the start-up fetch failed', async () => {
    const t = ring(3);
    const r = await stepNApp(pathfinder, [deliver(ev(TOPOLOGY_EVENTS.linkUp), { link: t.links['ring-1'], reason: 'up' })], { replies: noTopology });
    expect(r.snapshot.context.fetching).to.equal(false);
    expect(r.snapshot.context.early).to.deep.equal([]);
  });

  it('should let a snapshot event that arrived first win over the start-up fetch', async () => {
    const empty = { switches: {}, links: {} };
    const r = await stepNApp(pathfinder, [deliver(ev(TOPOLOGY_EVENTS.loaded), { topology: ring(3), failed_switches: {}, failed_links: {} }), ask(s(1), s(2))], {
      replies: { 'topology.get': () => new Promise((resolve) => setTimeout(() => resolve(empty), 5)) },
    });
    expect((r.answers[0]!.value as any).paths).to.have.length(2);
  });

  it('should reject with a BadRequestError when a link delay is not a number', async () => {
    const t = ring(3, (i) => (i === 1 ? { delay: 'slow' } : {}));
    const r = await stepNApp(pathfinder, [ask(s(1), s(2), { spf_attribute: 'delay' }), ask(s(1), s(2))], { replies: { 'topology.get': () => t } });
    expect(r.answers[0]!.error).to.be.instanceOf(BadRequestError);
    expect((r.answers[0]!.error as Error).message).to.equal(`(${p(1, 2)}, ${p(2, 3)}) has invalid metadata "delay" with value "slow"`);
    expect((r.answers[1]!.value as any).paths).to.have.length(2);
  });

  it('should report the metrics a constrained path met, mandatory then flexible', async () => {
    const t = ring(4, (i) => ({ bandwidth: i === 1 ? 10 : 100, delay: 2, ownership: 'red blue' }));
    const r = await stepNApp(
      pathfinder,
      [ask(s(1), s(2), { mandatory_metrics: { ownership: 'red' }, flexible_metrics: { bandwidth: 50, delay: 1 }, minimum_flexible_hits: 1 })],
      { replies: { 'topology.get': () => t } },
    );
    expect(r.answers[0]!.value).to.deep.equal({
      paths: [{ hops: [s(1), p(1, 3), p(4, 2), s(4), p(4, 3), p(3, 2), s(3), p(3, 3), p(2, 2), s(2)], metrics: { ownership: 'red', bandwidth: 50 }, cost: 9 }],
    });
  });
});
