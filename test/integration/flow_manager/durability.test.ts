import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../env/mongo.js';
import { startMongoWireOrSkip, type MongoWire } from '../../env/mongo.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { startControllerProcess, type ControllerProcess } from '../../helpers/controller-process.js';
import { until } from '../../helpers/log.js';
import { FM } from './harness.js';

const D = dpidColon(0x3201);

/** 202 means durably stored: a SIGKILL right after it loses nothing, on either store adapter. */
describe('kytos/flow_manager stored flows survive SIGKILL', function () {
  this.timeout(90_000);
  let ovs: Ovs;

  before(async function () {
    await skipWithoutOvs(this);
    ovs = await startOvs();
    await ovs.addBridge('k1', 0x3201, { ports: [{ name: 'k1-eth1', ofport: 1 }] });
  });

  after(async () => {
    await ovs?.stop();
  });

  const run = async (env: Record<string, string>) => {
    const ofPort = await freePort();
    // Without of_lldp (enabled by default since issue 12), whose punt flow would be a 21st stored flow.
    const base = { ...env, LATTICE_OPENFLOW_PORT: String(ofPort), LATTICE_NAPPS: 'kytos/of_core,kytos/topology,kytos/flow_manager' };
    let c: ControllerProcess = await startControllerProcess(base);
    try {
      await ovs.setController('k1', ofPort);
      await until(async () => (await fetch(`${c.url}${FM}/flows/${D}`)).status === 200, 20_000, 'switch known');
      const flows = Array.from({ length: 20 }, (_, i) => ({ priority: 100 + i, cookie: 0xab00 + i, match: { in_port: 1, dl_vlan: i + 1 }, actions: [{ action_type: 'output', port: 1 }] }));
      const r = await fetch(`${c.url}${FM}/flows/${D}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ force: true, flows }) });
      expect(r.status).to.equal(202);
      c.child.kill('SIGKILL');
      await c.exited;
      c = await startControllerProcess(base);
      const docs = (await (await fetch(`${c.url}${FM}/stored_flows?dpid=${D}`)).json()) as Record<string, { flow: { priority: number; cookie: number } }[]>;
      expect(docs[D].map((d) => d.flow.priority).sort()).to.deep.equal(flows.map((f) => f.priority));
      expect(docs[D].map((d) => d.flow.cookie).sort()).to.deep.equal(flows.map((f) => f.cookie));
      // And the switch has them (installed before the kill, or by the consistency check after it).
      await until(async () => (await ovs.dumpFlows('k1')).length === 20, 20_000, 'flows on the switch');
    } finally {
      await c.stop();
      await ovs.ofctl(['del-flows', `unix:${ovs.mgmtSocket('k1')}`]);
    }
  };

  it('should keep them on the embedded store', async () => {
    await run({ LATTICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lattice-fm-kill-')) });
  });

  it('should keep them on the MongoDB adapter', async function () {
    const db: MongoWire = await startMongoWireOrSkip(this);
    try {
      await run({ LATTICE_STORE: 'mongodb', LATTICE_MONGODB_URI: db.uri, LATTICE_MONGODB_DB: 'flows_kill' });
    } finally {
      await db.stop();
    }
  });
});
