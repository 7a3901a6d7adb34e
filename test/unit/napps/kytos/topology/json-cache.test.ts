import { expect } from 'chai';
import { onNni, onSwitchLost, onSwitchUp } from '../../../../../napps/kytos/topology/logic.js';
import { defaults } from '../../../../../napps/kytos/topology/settings.js';
import { emptyState, topologyJson, TopologyJsonCache, type TopoState } from '../../../../../napps/kytos/topology/state.js';
import { dpid, switchJson } from './fixtures.js';

const env = { now: 0, settings: { ...defaults, LINK_UP_TIMER: 0 } };

/** Three switches in a line, s1-s2 and s2-s3 linked. */
function line(): TopoState {
  let s = emptyState();
  for (const n of [1, 2, 3]) s = onSwitchUp(s, switchJson(n, [1, 2]), env).state;
  s = onNni(s, `${dpid(1)}:2`, `${dpid(2)}:1`, env)!.state;
  return onNni(s, `${dpid(2)}:2`, `${dpid(3)}:1`, env)!.state;
}

describe('kytos/topology getTopology cache', () => {
  it('should answer what topologyJson makes, the same value while the version stays', () => {
    const cache = new TopologyJsonCache();
    const s = line();
    const first = cache.of(s);
    expect(first).to.deep.equal(topologyJson(s));
    expect(cache.made).to.equal(5);
    // A step nobody can see makes a new state value with the same version.
    const same = { ...s, linkUp: new Set(s.linkUp) };
    expect(cache.of(same)).to.equal(first);
    expect(cache.made).to.equal(5);
  });

  it('should make again only the switch that changed and the links it joins', () => {
    const cache = new TopologyJsonCache();
    const s = line();
    const before = cache.of(s);
    const lost = onSwitchLost(s, dpid(3), env)!.state;
    expect(lost.version).to.be.greaterThan(s.version);
    const after = cache.of(lost);
    expect(after).to.deep.equal(topologyJson(lost));
    // s3 and the s2-s3 link: two made; s1, s2 and the s1-s2 link are the very same values.
    expect(cache.made).to.equal(5 + 2);
    expect(after.switches[dpid(1)]).to.equal(before.switches[dpid(1)]);
    expect(after.switches[dpid(2)]).to.equal(before.switches[dpid(2)]);
    expect(after.switches[dpid(3)]).to.not.equal(before.switches[dpid(3)]);
    expect(after.switches[dpid(3)]!.active).to.equal(false);
    const linkIds = Object.keys(after.links);
    const changed = linkIds.filter((id) => after.links[id] !== before.links[id]);
    expect(changed).to.have.length(1);
    expect(after.links[changed[0]!]!.status).to.equal('DOWN');
  });

  it('should hand out frozen values: an asker that changes one gets a TypeError, and the others keep theirs', () => {
    const cache = new TopologyJsonCache();
    const t = cache.of(line());
    const sw = t.switches[dpid(1)]!;
    expect(() => {
      (sw as { enabled: boolean }).enabled = false;
    }).to.throw(TypeError);
    expect(() => {
      (sw.metadata as Record<string, unknown>).x = 1;
    }).to.throw(TypeError);
    expect(() => {
      delete (t.links as Record<string, unknown>)[Object.keys(t.links)[0]!];
    }).to.throw(TypeError);
    expect(() => {
      (Object.values(sw.interfaces)[0]!.status_reason as string[]).push('x');
    }).to.throw(TypeError);
    expect(t.switches[dpid(1)]!.enabled).to.equal(true);
    expect(Object.keys(t.links)).to.have.length(2);
  });

  it('should start empty in a new instance (a restarted NApp counts versions again)', () => {
    const s = line();
    const a = new TopologyJsonCache();
    const b = new TopologyJsonCache();
    expect(b.of({ ...emptyState(), version: s.version })).to.deep.equal({ switches: {}, links: {} });
    expect(a.of(s)).to.deep.equal(topologyJson(s));
  });
});
