/**
 * amlight/kytos_stats on real Open vSwitch: frames injected on a dummy port
 * (`ovs-appctl netdev-dummy/receive`) move OVS's port and flow counters; of_core
 * polls them and the REST answers them, polled until they match.
 */
import { expect } from 'chai';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { dpidColon, skipWithoutOvs, startOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';

const KS = '/api/amlight/kytos_stats/v1';
const FM = '/api/kytos/flow_manager/v2';
const S1 = dpidColon(0x5101);
// An ARP request, 42 bytes: OVS counts each as one packet of 42 bytes.
const ARP = 'ffffffffffff00000000000108060001080006040001000000000001c0a80001000000000000c0a80002';
const FRAMES = 7;

describe('amlight/kytos_stats with real Open vSwitch', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TestController;

  before(async function () {
    await skipWithoutOvs(this);
    c = await createTestController({
      config: {
        napps: {
          enabled: ['kytos/of_core', 'kytos/flow_manager', 'amlight/kytos_stats'],
          // Fast polls for the test: every 0.3 s, no stagger.
          settings: { 'kytos/of_core': { STATS_INTERVAL: 0.3, STATS_STAGGER_SPAN: 0, STATS_TIMEOUT: 3 } },
        },
        openflow: { echoIntervalMs: 1000 },
      },
    });
    ovs = await startOvs();
    await ovs.addBridges([{ name: 'ks1', dpid: 0x5101, ports: [{ name: 'ks1-eth1', ofport: 1 }, { name: 'ks1-eth2', ofport: 2 }] }]);
    await ovs.setControllers(['ks1'], c.openflowPort);
    await until(() => c.controller.southbound.list().length === 1, 15_000, 'switch connected');
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should count frames received on a port and matched by a flow, as OVS does, under Kytos-ng\'s shapes', async () => {
    const r = await c.http.post(`${FM}/flows/${S1}?wait=installed`, { flows: [{ priority: 100, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] }] });
    expect(r.status, r.text).to.equal(201);
    const stored = (await c.http.get(`${FM}/stored_flows?dpid=${S1}`)).body[S1] as { flow_id: string }[];
    const flowId = stored[0]!.flow_id;

    for (let i = 0; i < FRAMES; i++) await ovs.appctl(['netdev-dummy/receive', 'ks1-eth1', ARP]);

    const portsReply = await until(
      async () => {
        const x = await c.http.get(`${KS}/port/stats?dpid=${S1}&port=1&port=2`);
        return x.body[S1]?.['1']?.rx_packets === FRAMES && x.body[S1]?.['2']?.tx_packets === FRAMES ? x : undefined;
      },
      15_000,
      'port 1 rx_packets and port 2 tx_packets in kytos_stats',
    );
    const { body: ports, text } = portsReply!;
    // A counter a dummy port does not keep is all ones (OFPP unsupported), written with every digit.
    expect(text).to.include('"rx_dropped":18446744073709551615');
    expect(Object.keys(ports)).to.deep.equal([S1]);
    expect(Object.keys(ports[S1])).to.deep.equal(['1', '2']);
    expect(ports[S1]['1']).to.include({ port_no: 1, rx_packets: FRAMES, rx_bytes: FRAMES * 42 });
    expect(ports[S1]['1'].updated_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(Object.keys(ports[S1]['1']).sort()).to.deep.equal(
      ['port_no', 'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_dropped', 'tx_dropped', 'rx_errors', 'tx_errors', 'rx_frame_err', 'rx_over_err', 'rx_crc_err', 'collisions', 'duration_sec', 'duration_nsec', 'updated_at'].sort(),
    );

    const flows = await until(
      async () => {
        const b = (await c.http.get(`${KS}/flow/stats?dpid=${S1}`)).body;
        return b[S1]?.[flowId]?.packet_count === FRAMES ? b : undefined;
      },
      15_000,
      'the flow\'s packet_count in kytos_stats',
    );
    expect(Object.keys(flows[S1])).to.deep.equal([flowId]);
    expect(flows[S1][flowId]).to.include({ packet_count: FRAMES, byte_count: FRAMES * 42, priority: 100, cookie: 0 });
    expect(flows[S1][flowId].match).to.deep.equal({ in_port: 1 });
    // The same counters as dump-flows.
    expect((await ovs.dumpFlows('ks1')).join('\n')).to.include(`n_packets=${FRAMES}, n_bytes=${FRAMES * 42}`);

    const pc = (await c.http.get(`${KS}/packet_count/${flowId}`)).body;
    expect(pc).to.have.keys('flow_id', 'packet_counter', 'packet_per_second');
    expect(pc).to.include({ flow_id: flowId, packet_counter: FRAMES });
    const bc = (await c.http.get(`${KS}/bytes_count/${flowId}`)).body;
    expect(bc).to.include({ flow_id: flowId, bytes_counter: FRAMES * 42 });
    expect(bc.bits_per_second).to.be.a('number');
    const perFlow = (await c.http.get(`${KS}/packet_count/per_flow/${S1}`)).body as { flow_id: string; packet_counter: number }[];
    expect(perFlow.map((f) => [f.flow_id, f.packet_counter])).to.deep.equal([[flowId, FRAMES]]);
    const bytesPerFlow = (await c.http.get(`${KS}/bytes_count/per_flow/${S1}`)).body as { flow_id: string; bytes_counter: number }[];
    expect(bytesPerFlow.map((f) => [f.flow_id, f.bytes_counter])).to.deep.equal([[flowId, FRAMES * 42]]);
  });

  it('should answer table stats (OVS has the table-stats capability) filtered by table', async () => {
    const b = await until(
      async () => {
        const x = (await c.http.get(`${KS}/table/stats?dpid=${S1}&table=0&table=1`)).body;
        return x[S1]?.['0']?.matched_count >= FRAMES ? x : undefined;
      },
      15_000,
      'table 0 counters',
    );
    expect(Object.keys(b[S1])).to.deep.equal(['0', '1']);
    expect(b[S1]['0']).to.include({ table_id: 0, active_count: 1 });
    expect(b[S1]['0'].lookup_count).to.be.at.least(FRAMES);
    expect(Object.keys((await c.http.get(`${KS}/table/stats?dpid=${S1}`)).body[S1]).length).to.be.greaterThan(2);
  });

  it('should answer 400 for a port or table that is not an integer, 404 for an unknown flow id, [] and {} for an unknown switch', async () => {
    const bad = await c.http.get(`${KS}/port/stats?port=one`);
    expect(bad.status).to.equal(400);
    expect(bad.body).to.deep.equal({ description: "'port' value is supposed to be an integer", code: 400 });
    expect((await c.http.get(`${KS}/table/stats?table=x`)).status).to.equal(400);
    const missing = await c.http.get(`${KS}/packet_count/0123456789abcdef0123456789abcdef`);
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({ description: 'Flow does not exist', code: 404 });
    expect((await c.http.get(`${KS}/bytes_count/nope`)).status).to.equal(404);
    const unknown = dpidColon(0xdead);
    expect((await c.http.get(`${KS}/packet_count/per_flow/${unknown}`)).body).to.deep.equal([]);
    expect((await c.http.get(`${KS}/flow/stats?dpid=${unknown}`)).body).to.deep.equal({});
    expect((await c.http.get(`${KS}/port/stats?dpid=${unknown}`)).body).to.deep.equal({});
  });
});
