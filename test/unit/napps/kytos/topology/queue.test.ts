import { expect } from 'chai';
import { committed, drain, type TopologyContext } from '../../../../../napps/kytos/topology/machine.js';
import { onSwitchUp } from '../../../../../napps/kytos/topology/logic.js';
import { defaults } from '../../../../../napps/kytos/topology/settings.js';
import { emptyState } from '../../../../../napps/kytos/topology/state.js';
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
});
