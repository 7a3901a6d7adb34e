import { expect } from 'chai';
import { onInterface, onNni, onSwitchUp } from '../../../../../napps/kytos/topology/logic.js';
import { defaults } from '../../../../../napps/kytos/topology/settings.js';
import { emptyState } from '../../../../../napps/kytos/topology/state.js';
import { TopologyView, type BodyKind } from '../../../../../napps/kytos/topology/view.js';
import { dpid, port, switchJson } from './fixtures.js';

const env = { now: 0, settings: { ...defaults, LINK_UP_TIMER: 0 } };

describe('kytos/topology view', () => {
  it('should serialize once for a burst of 100 port events, and keep bytes and ETag while nothing changes', () => {
    const view = new TopologyView();
    let state = onSwitchUp(emptyState(), switchJson(1, [1, 2, 3]), env).state;
    state = onSwitchUp(state, switchJson(2, [1]), env).state;
    view.update(state);
    const first = view.body('topology');
    expect(view.body('topology')).to.equal(first);
    expect(view.serialized).to.equal(2);
    for (let i = 0; i < 100; i++) {
      state = onInterface(state, port(1, 2, i % 2 === 0), i % 2 === 0 ? 'link_up' : 'link_down', env)!.state;
      view.update(state);
    }
    const after = view.body('topology');
    expect(view.serialized, 'only switch 1, once').to.equal(3);
    expect(after.etag).to.not.equal(first.etag);
    expect(JSON.parse(after.bytes.toString()).topology.switches[dpid(1)].interfaces[`${dpid(1)}:2`].active).to.equal(false);
    for (const kind of ['switches', 'interfaces', 'links'] as const) view.body(kind);
    expect(view.serialized).to.equal(3);
  });

  it('should send the very bytes JSON.stringify makes of the Kytos objects, for every body', () => {
    let state = onSwitchUp(emptyState(), switchJson(1, [1, 2]), env).state;
    state = onSwitchUp(state, switchJson(2, [1]), env).state;
    state = onNni(state, `${dpid(1)}:1`, `${dpid(2)}:1`, env)!.state;
    const view = new TopologyView();
    view.update(state);
    for (const kind of ['topology', 'switches', 'interfaces', 'links'] as BodyKind[]) {
      const b = view.body(kind);
      expect(b.bytes.toString(), kind).to.equal(JSON.stringify(b.value()));
    }
    const links = view.body('links').value() as { links: Record<string, { status: string; endpoint_a: { link: string } }> };
    const [link] = Object.values(links.links);
    expect(link!.status).to.equal('UP');
    // A change on switch 2 re-serializes switch 2 and the link, not switch 1.
    const before = view.serialized;
    state = onInterface(state, port(2, 1, false), 'link_down', env)!.state;
    view.update(state);
    expect((view.body('links').value() as typeof links).links[Object.keys(links.links)[0]!]!.status).to.equal('DOWN');
    expect(view.serialized - before).to.equal(2);
  });

  it('should not change the version for an event nobody can see', () => {
    const s = onSwitchUp(emptyState(), switchJson(1, [1]), env).state;
    expect(onInterface(s, port(9, 1), 'modified', env)).to.equal(undefined);
  });
});
