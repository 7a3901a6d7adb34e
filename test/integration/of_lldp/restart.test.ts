import { expect } from 'chai';
import { join } from 'node:path';
import { tempDataDir } from '../../../src/main.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { inject, LLDP, pcapFrames, startLldp, TOPO, type LldpController } from './harness.js';

const dpid = (i: number) => dpidColon(0x4600 + i);
const A = `${dpid(1)}:2`;
const B = `${dpid(2)}:3`;
const KEY = 'a'.repeat(64);

describe('kytos/of_lldp across a restart', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: LldpController | undefined;
  const dataDir = tempDataDir();

  before(async function () {
    await skipWithoutOvs(this);
    ovs = await startOvs();
    await ovs.addBridges([1, 2].map((i) => ({ name: `t${i}`, dpid: 0x4600 + i })));
    await ovs.link('t1', 't2', { aOfport: 2, bOfport: 3 });
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  const upAgain = async (ctl: LldpController) => {
    await ovs.setControllers(['t1', 't2'], ctl.t.openflowPort);
    await until(async () => (await ctl.t.http.get(`${TOPO}/links`)).body.links[linkId(A, B)]?.status === 'UP', 15_000, 'the link UP');
  };

  it('should keep liveness enabled across a restart, and never show the key in core/config', async () => {
    c = await startLldp(dataDir, { LLDP_HMAC_KEY: KEY });
    await upAgain(c);
    const config = (await c.t.http.get('/api/kytos/core/config/')).body;
    expect(JSON.stringify(config)).to.not.include(KEY);
    expect(config.napps.settings['kytos/of_lldp']).to.not.have.property('LLDP_HMAC_KEY');
    expect((await c.t.http.post(`${LLDP}/liveness/enable`, { interfaces: [A, B] })).status).to.equal(200);
    await c.stop();
    c = await startLldp(dataDir, { LLDP_HMAC_KEY: KEY });
    const ids = ((await c.t.http.get(`${LLDP}/liveness/`)).body.interfaces as { id: string }[]).map((i) => i.id).sort();
    expect(ids).to.deep.equal([A, B].sort());
    await upAgain(c);
    await until(async () => ((await c!.t.http.get(`${LLDP}/liveness/pair`)).body.pairs as any[])[0]?.status === 'up', 10_000, 'liveness up after the restart');
  });

  it('should keep a generated key in the store: a frame sent before a restart still authenticates after it', async () => {
    await c!.stop();
    c = undefined;
    await ovs.addPort('t1', 't1-eth1', 1);
    await ovs.addPort('t2', 't2-eth1', 1);
    const pcap = join(ovs.dir, 't1-eth1.pcap');
    await ovs.vsctl(['set', 'interface', 't1-eth1', `options:tx_pcap=${pcap}`]);
    const dir2 = tempDataDir();
    // Polling 3 s: a 6 s window, longer than a restart.
    c = await startLldp(dir2, { POLLING_TIME: 3 });
    await ovs.setControllers(['t1', 't2'], c.t.openflowPort);
    const n0 = pcapFrames(pcap).length;
    const frame = await until(() => pcapFrames(pcap).slice(n0).find((f) => f.readUInt16BE(16) === 0x88cc), 15_000, 'a frame from t1-eth1').then((x) => x!);
    await c.stop();
    c = await startLldp(dir2, { POLLING_TIME: 3 });
    // Only t2 comes back (t1 stays known from the store): the injected frame is the only LLDP the controller gets.
    await ovs.setController('t1', null);
    await ovs.setController('t2', c.t.openflowPort);
    await until(async () => (await c!.t.http.get(`${TOPO}/interfaces`)).body.interfaces[`${dpid(2)}:1`]?.active, 10_000, 't2-eth1 known');
    await until(async () => (await ovs.dumpFlows('t2')).some((l) => l.includes('dl_vlan=3799')), 10_000, 'the punt flow on t2');
    await inject(ovs, 't2-eth1', frame);
    const after = await until(async () => {
      const x = (await c!.t.http.get(`${LLDP}/counters`)).body;
      return x.accepted + Object.values(x.rejected as Record<string, number>).reduce((a, b) => a + b, 0) > 0 ? x : undefined;
    }, 10_000, 'the frame judged').then((x) => x!);
    expect(after.rejected).to.deep.equal({});
    expect(after).to.include({ accepted: 1, one_way: 1 });
  });
});
