/**
 * The real `lattice` process against a controller running the real NApps
 * (of_core, topology, flow_manager, pathfinder, mef_eline) and a real Open
 * vSwitch bridge: flows added and deleted from a file reach the switch, `flows
 * <dpid>` shows what the switch reports, a refused flow exits 2, `evcs` lists
 * an EVC.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { dpidColon, skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { lattice } from './run.js';

const DPID = dpidColon(0x5201);

describe('lattice CLI against the real NApps on Open vSwitch (flows, evcs)', function () {
  this.timeout(90_000);
  let t: TestController;
  let ovs: Ovs;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'lattice-cli-ovs-'));
  const file = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const dumpHas = async (text: string) => (await ovs.dumpFlows('cli1')).some((l) => l.includes(text));

  before(async function () {
    await skipWithoutOvs(this);
    t = await createTestController({
      config: {
        openflow: { echoIntervalMs: 1000 },
        napps: {
          enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline'],
          settings: { 'kytos/of_core': { STATS_INTERVAL: 0.3, STATS_STAGGER_SPAN: 0 }, 'kytos/flow_manager': { WAIT_TIMEOUT: 3, BARRIER_TIMEOUT: 3 } },
        },
      },
    });
    url = `http://127.0.0.1:${t.port}`;
    ovs = await startOvs();
    await ovs.addBridges([{ name: 'cli1', dpid: 0x5201, ports: [{ name: 'cli1-eth1', ofport: 1 }, { name: 'cli1-eth2', ofport: 2 }] }]);
    await ovs.setControllers(['cli1'], t.openflowPort);
    await until(async () => {
      const intfs = (await t.http.get('/api/kytos/topology/v3/interfaces')).body.interfaces as Record<string, unknown>;
      return intfs[`${DPID}:1`] && intfs[`${DPID}:2`];
    }, 15_000, 'the bridge and its ports in topology');
  });

  after(async () => {
    await t?.stop();
    await ovs?.stop();
  });

  it('should add flows from a file to the switch, show them as the switch reports them, and delete them', async () => {
    const flows = [{ priority: 42, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] }];
    const add = await lattice(['--url', url, 'flows', 'add', DPID, file('add.json', { flows })]);
    expect(add.code, add.stderr).to.equal(0);
    await until(() => dumpHas('priority=42,in_port=1 actions=output:2'), 10_000, 'the flow in dump-flows');
    // GET v2/flows/{dpid} is what the switch reported in of_core's last poll.
    const shown = await until(async () => {
      const r = await lattice(['--url', url, 'flows', DPID]);
      return r.code === 0 && /^00:00:00:00:00:00:52:01\s+0\s+42\s/m.test(r.stdout) ? r : undefined;
    }, 15_000, 'the flow in `lattice flows <dpid>`');
    expect(shown!.stdout.split('\n')[0]).to.match(/^DPID\s+TABLE\s+PRIORITY\s+COOKIE\s+MATCH\s+INSTRUCTIONS$/);
    const json = JSON.parse((await lattice(['--url', url, '--json', 'flows', DPID])).stdout) as Record<string, { flows: { priority: number; match: unknown }[] }>;
    expect(json[DPID]!.flows.map((f) => [f.priority, f.match])).to.deep.equal([[42, { in_port: 1 }]]);
    const del = await lattice(['--url', url, 'flows', 'delete', DPID, file('del.json', [{ match: { in_port: 1 } }])]);
    expect(del.code, del.stderr).to.equal(0);
    await until(async () => !(await dumpHas('priority=42')), 10_000, 'the flow gone from dump-flows');
  });

  it('should exit 2 with the server\'s message for a flow flow_manager refuses, and send nothing', async () => {
    const r = await lattice(['--url', url, 'flows', 'add', DPID, file('bad.json', { flows: [{ priority: 7, match: { no_such_field: 1 } }] })]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^lattice: POST \/api\/kytos\/flow_manager\/v2\/flows\/\S+: 400 .*no_such_field/);
    expect(await dumpHas('priority=7')).to.equal(false);
  });

  it('should list EVCs as a table and as JSON', async () => {
    const empty = await lattice(['--url', url, 'evcs']);
    expect(empty.code, empty.stderr).to.equal(0);
    const made = await t.http.post('/api/kytos/mef_eline/v2/evc/', {
      name: 'cli-evc',
      uni_a: { interface_id: `${DPID}:1`, tag: { tag_type: 'vlan', value: 10 } },
      uni_z: { interface_id: `${DPID}:2`, tag: { tag_type: 'vlan', value: 20 } },
    });
    expect(made.status, made.text).to.equal(201);
    const id = made.body.circuit_id as string;
    const table = await lattice(['--url', url, 'evcs']);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout.split('\n')[0]).to.match(/^ID\s+NAME\s+UNI A\s+UNI Z\s+ENABLED\s+ACTIVE$/);
    expect(table.stdout).to.match(new RegExp(`^${id}\\s+cli-evc\\s+${DPID}:1\\s+${DPID}:2\\s+true\\s`, 'm'));
    const json = JSON.parse((await lattice(['--url', url, '--json', 'evcs'])).stdout) as Record<string, { name: string }>;
    expect(json[id]!.name).to.equal('cli-evc');
  });
});
