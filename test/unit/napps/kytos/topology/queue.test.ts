import { expect } from 'chai';
import { committed, drain, type TopologyContext } from '../../../../../napps/kytos/topology/machine.js';
import { onSwitchUp } from '../../../../../napps/kytos/topology/logic.js';
import { defaults } from '../../../../../napps/kytos/topology/settings.js';
import { emptyState, TopologyJsonCache } from '../../../../../napps/kytos/topology/state.js';
import { dpid, switchJson } from './fixtures.js';

const settings = { ...defaults, LINK_UP_TIMER: 0 };
const ctx = (over: Partial<TopologyContext> = {}): TopologyContext => ({
  settings,
  now: () => 0,
  state: onSwitchUp(emptyState(), switchJson(1, [1]), { now: 0, settings }).state,
  queue: [],
  writing: null,
  ticket: 0,
  liveWrites: 0,
  liveAtStart: 0,
  topologyJson: new TopologyJsonCache(),
  ...over,
});
const types = (effects: { type: string }[]) => effects.map((e) => e.type);

describe('kytos/topology command queue', () => {
  it('should write first, then change state, publish and answer; one write at a time', () => {
    const c = ctx({ queue: [{ command: { op: 'switch.disable', dpid: dpid(1) } }, { command: { op: 'switch.enable', dpid: dpid(1) } }] });
    const started = drain(c);
    expect(types(started.effects)).to.deep.equal(['persist']);
    expect(started.patch.writing).to.equal(1);
    expect(started.patch.state!.switches.get(dpid(1))!.enabled, 'nothing changes before the write').to.equal(true);
    const done = committed({ ...c, ...started.patch }, 1, undefined);
    expect(types(done.effects)).to.deep.equal(['emit', 'publish', 'answer', 'persist']);
    expect(done.patch.state!.switches.get(dpid(1))!.enabled).to.equal(false);
    expect(done.patch.writing, 'the next command is being written').to.equal(2);
  });

  it('should answer a failed write with its error and change nothing', () => {
    const c = ctx({ queue: [{ command: { op: 'switch.disable', dpid: dpid(1) } }] });
    const started = drain(c);
    const failure = new Error('down');
    const done = committed({ ...c, ...started.patch }, 1, failure);
    expect(done.effects).to.deep.equal([{ type: 'answer', params: { replyTo: undefined, error: failure } }]);
    expect(done.patch.state!.switches.get(dpid(1))!.enabled).to.equal(true);
  });

  it('should write the final documents again when live writes went out meanwhile, claims excepted', () => {
    const c = ctx({ queue: [{ command: { op: 'tags.allocate', id: `${dpid(1)}:1`, count: 2 } }] });
    const started = drain(c);
    const first = started.effects[0] as { params: { writes: { coll: string }[] } };
    expect(first.params.writes.map((w) => w.coll)).to.deep.equal(['claims', 'claims', 'tags']);
    expect(started.patch.queue![0]!.command, 'the picked tags are fixed').to.deep.equal({ op: 'tags.allocate', id: `${dpid(1)}:1`, tags: [1, 2] });
    const done = committed({ ...c, ...started.patch, liveWrites: 1 }, 1, undefined);
    const again = done.effects.find((e) => e.type === 'persist') as { params: { writes: { coll: string }[]; ticket?: number } };
    expect(again.params.writes.map((w) => w.coll)).to.deep.equal(['tags']);
    expect(again.params.ticket).to.equal(undefined);
    expect(done.effects.find((e) => e.type === 'answer')).to.deep.equal({ type: 'answer', params: { replyTo: undefined, value: [1, 2] } });
  });

  describe('group commit of tag commands', () => {
    const id = `${dpid(1)}:1`;
    type Persist = { type: 'persist'; params: { writes: { coll: string; create?: { tag: number } }[]; groups?: { coll: string }[][]; ticket?: number } };
    const persists = (effects: { type: string }[]) => effects.filter((e) => e.type === 'persist') as Persist[];
    const answers = (effects: { type: string; params?: unknown }[]) => effects.filter((e) => e.type === 'answer').map((e) => e.params as { value?: unknown; error?: { code?: string } });

    it('should write the tag commands queued behind a write in one durable write, then answer each', () => {
      const queue = [
        { command: { op: 'switch.disable' as const, dpid: dpid(1) } },
        ...[1, 2, 3].map(() => ({ command: { op: 'tags.allocate' as const, id, count: 2 } })),
        { command: { op: 'tags.release' as const, id, tags: [1, 2] } },
        { command: { op: 'switch.enable' as const, dpid: dpid(1) } },
      ];
      const c = ctx({ queue });
      const first = drain(c);
      expect(persists(first.effects)[0]!.params.groups, 'an admin command is written alone').to.have.length(1);
      const second = committed({ ...c, ...first.patch }, 1, undefined);
      const [group] = persists(second.effects);
      // Three allocations (each on the state the one before leaves) share a write; the release of
      // tags claimed in that write waits for the next one.
      expect(group!.params.groups!.map((ws) => ws.map((w) => w.coll))).to.deep.equal([
        ['claims', 'claims', 'tags'],
        ['claims', 'claims', 'tags'],
        ['claims', 'claims', 'tags'],
      ]);
      expect(group!.params.writes.filter((w) => w.create).map((w) => w.create!.tag)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      expect(second.patch.writingCount).to.equal(3);
      const c2 = { ...c, ...first.patch, ...second.patch };
      expect(c2.state.tags.get(id)?.used ?? [], 'nothing is taken before the write is durable').to.deep.equal([]);
      const third = committed(c2, 2, undefined);
      expect(answers(third.effects)).to.deep.equal([{ replyTo: undefined, value: [1, 2] }, { replyTo: undefined, value: [3, 4] }, { replyTo: undefined, value: [5, 6] }]);
      expect(types(third.effects).filter((t) => t === 'publish'), 'one publish for the group').to.have.length(1);
      expect(third.patch.state!.tags.get(id)!.used).to.deep.equal([[1, 6]]);
      // The release goes alone (a switch command follows it).
      expect(persists(third.effects)[0]!.params.groups).to.have.length(1);
      expect(third.patch.writingCount).to.equal(1);
    });

    it('should refuse only the commands whose claims another holder had, and write the others again', () => {
      const queue = [1, 2, 3].map(() => ({ command: { op: 'tags.allocate' as const, id, count: 1 } }));
      const c = ctx({ queue });
      const started = drain(c);
      expect(started.patch.writingCount).to.equal(3);
      const conflict = Object.assign(new Error('held'), { code: 'CONFLICT' });
      const done = committed({ ...c, ...started.patch }, 1, conflict, [1]);
      const a = answers(done.effects);
      expect(a).to.have.length(1);
      expect(a[0]!.error!.code).to.equal('CONFLICT');
      expect(done.effects.filter((e) => e.type === 'reloadClaims')).to.have.length(1);
      const again = persists(done.effects)[0]!;
      expect(again.params.groups, 'the two others, with the tags they had picked').to.have.length(2);
      expect(again.params.writes.filter((w) => w.create).map((w) => w.create!.tag)).to.deep.equal([1, 3]);
      expect(done.patch.queue!.map((p) => p.command)).to.deep.equal([
        { op: 'tags.allocate', id, tags: [1] },
        { op: 'tags.allocate', id, tags: [3] },
      ]);
    });

    it('should answer every command of a failed write with its error', () => {
      const queue = [1, 2].map(() => ({ command: { op: 'tags.allocate' as const, id, count: 1 } }));
      const c = ctx({ queue });
      const started = drain(c);
      const down = Object.assign(new Error('down'), { code: 'STORE_UNAVAILABLE' });
      const done = committed({ ...c, ...started.patch }, 1, down);
      expect(answers(done.effects).map((x) => x.error)).to.deep.equal([down, down]);
      expect(done.patch.state!.tags.get(id)?.used ?? []).to.deep.equal([]);
      expect(done.patch.writing).to.equal(null);
    });
  });
});
