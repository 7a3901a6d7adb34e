import { expect } from 'chai';
import { tempDataDir } from '../../../src/main.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { startLldp, TOPO, type LldpController } from './harness.js';

const N = 50;
const dpid = (i: number) => dpidColon(0x5000 + i);
const next = (i: number) => (i % N) + 1;

describe('kytos/of_lldp: 50 bridges in a ring', function () {
  this.timeout(120_000);
  let ovs: Ovs;
  let c: LldpController;

  before(async function () {
    await skipWithoutOvs(this);
    c = await startLldp(tempDataDir(), { POLLING_TIME: 0.5 });
    ovs = await startOvs();
    const ids = Array.from({ length: N }, (_, k) => k + 1);
    await ovs.addBridges(ids.map((i) => ({ name: `r${i}`, dpid: 0x5000 + i })));
    const args: string[] = [];
    for (const i of ids) {
      const a = `r${i}-n`;
      const b = `r${next(i)}-p`;
      args.push('--', 'add-port', `r${i}`, a, '--', 'set', 'interface', a, 'type=patch', `options:peer=${b}`, 'ofport_request=2');
      args.push('--', 'add-port', `r${next(i)}`, b, '--', 'set', 'interface', b, 'type=patch', `options:peer=${a}`, 'ofport_request=3');
    }
    await ovs.vsctl(args, 120);
    await ovs.setControllers([...ovs.bridges.keys()], c.t.openflowPort);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should discover all 50 links, UP, and no other', async () => {
    const want = Array.from({ length: N }, (_, k) => linkId(`${dpid(k + 1)}:2`, `${dpid(next(k + 1))}:3`)).sort();
    const links = await until(async () => {
      const l = (await c.t.http.get(`${TOPO}/links`)).body.links as Record<string, any>;
      return Object.values(l).filter((x) => x.status === 'UP').length === N ? l : undefined;
    }, 60_000, '50 links UP').then((x) => x!);
    expect(Object.keys(links).sort()).to.deep.equal(want);
  });
});
