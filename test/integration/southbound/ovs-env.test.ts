import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';

describe('test/env/ovs: private userspace Open vSwitch', function () {
  this.timeout(60_000);
  const started: Ovs[] = [];

  before(async function () {
    await skipWithoutOvs(this);
  });
  after(async () => {
    for (const o of started) await o.stop();
  });

  it('should run two instances at once with the same bridge names, each with its own flows and forwarding', async () => {
    const [a, b] = await Promise.all([startOvs(), startOvs()]);
    started.push(a, b);
    expect(a.dir).to.not.equal(b.dir);
    for (const o of [a, b]) {
      await o.addBridge('br1', 1, { ports: [{ name: 'h1', ofport: 1 }, { name: 'h2', ofport: 2 }] });
      await o.addBridge('br2', 2, { ports: [{ name: 'h3', ofport: 1 }] });
      await o.link('br1', 'br2', { aOfport: 3, bOfport: 3 });
    }
    await a.ofctl(['add-flow', `unix:${a.mgmtSocket('br1')}`, 'priority=10,in_port=1,actions=output:2']);
    await b.ofctl(['add-flow', `unix:${b.mgmtSocket('br1')}`, 'priority=20,in_port=1,actions=output:3']);
    const fa = await a.dumpFlows('br1');
    const fb = await b.dumpFlows('br1');
    expect(fa.length).to.equal(1);
    expect(fa[0]).to.match(/priority=10,in_port=1 actions=output:2/);
    expect(fb.length).to.equal(1);
    expect(fb[0]).to.match(/priority=20,in_port=1 actions=output:3/);
    expect(await a.trace('br1', 'in_port=1')).to.match(/Datapath actions: 2/);
    // b forwards over the patch port into br2 (secure fail mode: no flow there, so dropped in br2)
    const tb = await b.trace('br1', 'in_port=1');
    expect(tb).to.match(/bridge\("br2"\)/);
    expect((await a.ofports('br1')).get('br1-br2')).to.equal(3);
  });

  it('should keep flows when the controller is pointed at a dead port, and remove everything on stop', async () => {
    const o = await startOvs();
    await o.addBridge('s1', 7, { ports: ['p1'], controllerPort: 1 });
    await o.ofctl(['add-flow', `unix:${o.mgmtSocket('s1')}`, 'priority=5,actions=drop']);
    await o.setController('s1', null);
    expect((await o.dumpFlows('s1')).length).to.equal(1);
    const { ovsdb, vswitchd } = o.pids;
    await o.stop();
    expect(existsSync(o.dir)).to.equal(false);
    for (const pid of [ovsdb!, vswitchd!]) expect(() => process.kill(pid, 0)).to.throw();
  });
});
