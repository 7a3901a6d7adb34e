import { expect } from 'chai';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { startController, type Controller } from './harness.js';

const N = 100;

describe('southbound with 100 Open vSwitch bridges', function () {
  this.timeout(120_000);
  let ovs: Ovs;
  let c: Controller;

  before(async function () {
    await skipWithoutOvs(this);
    c = await startController({ echoIntervalMs: 5000 });
    ovs = await startOvs();
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should bring all 100 bridges to ready (time recorded, not asserted)', async () => {
    const names = Array.from({ length: N }, (_, i) => `b${i + 1}`);
    await ovs.addBridges(names.map((name, i) => ({ name, dpid: 0x5000 + i + 1, ports: [`${name}-h1`] })));
    const t0 = Date.now();
    await ovs.setControllers(names, c.port);
    const end = Date.now() + 90_000;
    while (c.southbound.list().length < N && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    const ms = Date.now() - t0;
    console.log(`      ${c.southbound.list().length}/${N} bridges ready ${ms} ms after their controllers were set`);
    expect(c.southbound.list().length).to.equal(N);
    for (let i = 1; i <= N; i++) expect(c.southbound.get(dpidColon(0x5000 + i)), `b${i}`).to.not.equal(undefined);
    // Each reached ready exactly once: no connection was dropped and redone on the way.
    const ready = c.events.filter((e) => e.name === 'lattice/southbound.switch.ready');
    expect(ready.length).to.equal(N);
  });
});
