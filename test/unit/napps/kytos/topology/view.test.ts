import { expect } from 'chai';
import { onInterface, onSwitchUp } from '../../../../../napps/kytos/topology/logic.js';
import { defaults } from '../../../../../napps/kytos/topology/settings.js';
import { emptyState } from '../../../../../napps/kytos/topology/state.js';
import { TopologyView } from '../../../../../napps/kytos/topology/view.js';
import { port, switchJson } from './fixtures.js';

const env = { now: 0, settings: defaults };

describe('kytos/topology view', () => {
  it('should rebuild once for a burst of 100 port events, and keep bytes and ETag while nothing changes', () => {
    const view = new TopologyView();
    let state = onSwitchUp(emptyState(), switchJson(1, [1, 2, 3]), env).state;
    view.update(state);
    const first = view.body('topology');
    expect(view.body('topology')).to.equal(first);
    expect(view.builds).to.equal(1);
    for (let i = 0; i < 100; i++) {
      state = onInterface(state, port(1, 2, i % 2 === 0), i % 2 === 0 ? 'link_up' : 'link_down', env)!.state;
      view.update(state);
    }
    const after = view.body('topology');
    expect(view.builds).to.equal(2);
    expect(after.etag).to.not.equal(first.etag);
    expect(JSON.parse(after.bytes.toString()).topology.switches['00:00:00:00:00:00:00:01'].interfaces['00:00:00:00:00:00:00:01:2'].active).to.equal(false);
    // The four bodies share one build of the topology.
    for (const kind of ['switches', 'interfaces', 'links'] as const) view.body(kind);
    expect(view.builds).to.equal(2);
  });

  it('should not change the version for an event nobody can see', () => {
    const s = onSwitchUp(emptyState(), switchJson(1, [1]), env).state;
    const again = onInterface(s, port(9, 1), 'modified', env);
    expect(again).to.equal(undefined);
  });
});
