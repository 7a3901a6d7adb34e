import { expect } from 'chai';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { ofCoreMachine } from '../../../../../napps/kytos/of_core/machine.js';
import { staggerFor } from '../../../../../napps/kytos/of_core/logic.js';
import { getSwitches, ofp, type OfPort } from '../../../../../src/sdk/index.js';

type Action = { type: string; params?: any };
type Snap = AnyMachineSnapshot;
const settings = { STATS_INTERVAL: 10, FLOW_STATS_INTERVAL: 2, STATS_STAGGER_STEP: 3, STATS_STAGGER_SPAN: 30, STATS_REQ_SKIP: 2 };
const DPID = '00:00:00:00:00:00:00:01';

const port = (portNo: number, name: string, state: number = ofp.OFPPS.LIVE): OfPort => ({
  portNo, hwAddr: `02:00:00:00:00:${portNo.toString(16).padStart(2, '0').slice(-2)}`, name, config: 0, state,
  curr: ofp.OFPPF['10GB_FD'], advertised: 0, supported: 0, peer: 0, currSpeed: 10_000_000, maxSpeed: 0,
});

// Bus events reach the machine typed by name, as the NApp host delivers them.
const bus = (name: string, content: Record<string, unknown>) => ({ type: name, content, event: { id: 'e', name, content, timestamp: '', reinjections: 0 } });
const ready = (conn: string, ports: OfPort[], portsSeq = 5, capabilities = 0x4f) =>
  bus('lattice/southbound.switch.ready', {
    connection_id: conn, connection: '127.0.0.1:5000', dpid: DPID, portsSeq,
    features: { type: 'features_reply', version: 4, xid: 2, datapathId: 1n, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities, reserved: 0 },
    ports, desc: { mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: 's1' },
  });
const portStatus = (conn: string, reason: number, p: OfPort, seq: number) =>
  bus('kytos/of_core.v0x04.messages.in.ofpt_port_status', { source: { connection_id: conn, dpid: DPID }, message: { type: 'port_status', version: 4, xid: 0, reason, port: p }, seq });

function step(s: Snap, ev: unknown): [Snap, Action[]] {
  const [n, a] = transition(ofCoreMachine, s as never, ev as never);
  return [n as Snap, a as unknown as Action[]];
}
const emits = (a: Action[]) => a.filter((x) => x.type === 'emit').map((x) => ({ name: x.params.event.type as string, content: x.params.content }));
const names = (a: Action[]) => emits(a).map((e) => e.name);
const start = () => initialTransition(ofCoreMachine, { settings } as never)[0] as Snap;

describe('kytos/of_core machine', () => {
  it('should publish switch.new, interface events, interfaces.created and handshake.completed for a new switch', () => {
    const [s, a] = step(start(), ready('c1', [port(1, 's1-eth1'), port(0xfffffffe, 's1', 0)]));
    expect(names(a)).to.deep.equal([
      'kytos/core.switch.new',
      'kytos/of_core.switch.interface.created',
      'kytos/of_core.switch.port.created',
      'kytos/of_core.switch.interface.created',
      'kytos/of_core.switch.port.created',
      'kytos/of_core.switch.interfaces.created',
      'kytos/of_core.handshake.completed',
    ]);
    const sw = emits(a)[0].content.switch;
    expect(sw).to.include({ id: DPID, dpid: DPID, connection: '127.0.0.1:5000', ofp_version: '0x04', manufacturer: 'Nicira, Inc.', data_path: 's1', active: true, status: 'UP' });
    expect(Object.keys(sw.interfaces)).to.deep.equal([`${DPID}:1`, `${DPID}:4294967294`]);
    expect(sw.interfaces[`${DPID}:1`]).to.include({ name: 's1-eth1', speed: 1250000000, active: true });
    expect(s.context.switches.get(DPID).staggerMs).to.equal(3000);
    expect(a.find((x) => x.type === 'startTimer')!.params).to.deep.equal({ key: `stats:${DPID}:1`, ms: 3000 });
  });

  it('should publish switch.reconnected for a known dpid and keep it inactive while away', () => {
    let [s] = step(start(), ready('c1', [port(1, 'a')]));
    [s] = step(s, bus('kytos/core.openflow.connection.lost', { connection_id: 'c1', dpid: DPID, reason: 'echo_timeout' }));
    expect(s.context.switches.get(DPID).sw.active).to.equal(false);
    expect(s.context.switches.get(DPID).sw.connection).to.equal('');
    const [s2, a2] = step(s, ready('c2', [port(1, 'a')]));
    expect(names(a2)[0]).to.equal('kytos/core.switch.reconnected');
    expect(s2.context.switches.get(DPID).sw.active).to.equal(true);
    // the stagger is kept; the stats chain restarts with a new generation
    expect(a2.find((x) => x.type === 'startTimer')!.params).to.deep.equal({ key: `stats:${DPID}:3`, ms: 3000 });
  });

  it('should ignore a connection.lost from an older connection', () => {
    let [s] = step(start(), ready('c1', [port(1, 'a')]));
    [s] = step(s, ready('c2', [port(1, 'a')]));
    [s] = step(s, bus('kytos/core.openflow.connection.lost', { connection_id: 'c1', dpid: DPID, reason: 'replaced' }));
    expect(s.context.switches.get(DPID).sw.active).to.equal(true);
  });

  it('should turn PORT_STATUS into created / modified + link_down / link_up / deleted', () => {
    let [s] = step(start(), ready('c1', [port(1, 'a')], 5));
    let a: Action[];
    [s, a] = step(s, portStatus('c1', ofp.OFPPR.ADD, port(2, 'b'), 6));
    expect(names(a)).to.deep.equal(['kytos/of_core.switch.interface.created']);
    [s, a] = step(s, portStatus('c1', ofp.OFPPR.MODIFY, port(2, 'b', ofp.OFPPS.LINK_DOWN), 7));
    expect(names(a)).to.deep.equal(['kytos/of_core.switch.interface.modified', 'kytos/of_core.switch.interface.link_down']);
    expect(emits(a)[0].content.interface).to.include({ active: false, status: 'DOWN' });
    [s, a] = step(s, portStatus('c1', ofp.OFPPR.MODIFY, port(2, 'b'), 8));
    expect(names(a)).to.deep.equal(['kytos/of_core.switch.interface.modified', 'kytos/of_core.switch.interface.link_up']);
    [s, a] = step(s, portStatus('c1', ofp.OFPPR.DELETE, port(2, 'b'), 9));
    expect(names(a)).to.deep.equal(['kytos/of_core.switch.interface.deleted']);
    expect(s.context.switches.get(DPID).sw.interfaces.get(`${DPID}:2`).active).to.equal(false);
  });

  it('should ignore out-of-order port updates (older than the last applied, or than the PORT_DESC snapshot)', () => {
    let [s] = step(start(), ready('c1', [port(1, 'a')], 5));
    let a: Action[];
    // older than the snapshot
    [s, a] = step(s, portStatus('c1', ofp.OFPPR.MODIFY, port(1, 'a', ofp.OFPPS.LINK_DOWN), 3));
    expect(names(a)).to.deep.equal([]);
    expect(s.context.staleIgnored).to.equal(1);
    [s] = step(s, portStatus('c1', ofp.OFPPR.MODIFY, port(1, 'a', ofp.OFPPS.LINK_DOWN), 10));
    // a late "up" (seq 9 < 10) must not undo the newer "down"
    [s, a] = step(s, portStatus('c1', ofp.OFPPR.MODIFY, port(1, 'a'), 9));
    expect(names(a)).to.deep.equal([]);
    expect(s.context.switches.get(DPID).sw.interfaces.get(`${DPID}:1`).active).to.equal(false);
    // from another (old) connection: ignored too
    [s, a] = step(s, portStatus('c0', ofp.OFPPR.MODIFY, port(1, 'a'), 99));
    expect(names(a)).to.deep.equal([]);
  });

  it('should poll port and table stats every STATS_INTERVAL and flow stats every FLOW_STATS_INTERVAL, skip kinds still pending, and emit the replies', () => {
    let [s, a] = step(start(), ready('c1', [port(1, 'a')]));
    // First rounds after the switch's stagger (3 s; capped at FLOW_STATS_INTERVAL for flows).
    expect(a.filter((x) => x.type === 'startTimer').map((x) => x.params)).to.deep.equal([
      { key: `stats:${DPID}:1`, ms: 3000 },
      { key: `flowstats:${DPID}:1`, ms: 2000 },
    ]);
    [s, a] = step(s, { type: 'timer', key: `stats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal(['port_stats', 'table']);
    expect(a.find((x) => x.type === 'startTimer')!.params).to.deep.equal({ key: `stats:${DPID}:1`, ms: 10_000 });
    [s, a] = step(s, { type: 'timer', key: `flowstats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal(['flow']);
    expect(a.find((x) => x.type === 'startTimer')!.params).to.deep.equal({ key: `flowstats:${DPID}:1`, ms: 2_000 });
    // flow answers (with the time it was asked), the others stay pending
    [s, a] = step(s, {
      type: 'stats.result', dpid: DPID, kind: 'flow', gen: 1, requestedAt: 1234,
      parts: [{ type: 'multipart_reply', version: 4, xid: 9, flags: 0, body: { mpType: 'flow', flows: [{ tableId: 0 }] } }],
    });
    expect(emits(a)).to.deep.equal([{ name: 'kytos/of_core.flow_stats.received', content: { switch: DPID, replies_flows: [{ tableId: 0 }], requested_at: 1234 } }]);
    [s, a] = step(s, { type: 'timer', key: `flowstats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal(['flow']);
    // Nothing answers now: each pending kind is skipped up to STATS_REQ_SKIP (2) times, then asked again.
    [s, a] = step(s, { type: 'timer', key: `stats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal([]);
    [s, a] = step(s, { type: 'timer', key: `stats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal([]);
    [s, a] = step(s, { type: 'timer', key: `stats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal(['port_stats', 'table']);
    [s, a] = step(s, { type: 'timer', key: `flowstats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal([]);
    [s, a] = step(s, { type: 'timer', key: `flowstats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal([]);
    [s, a] = step(s, { type: 'timer', key: `flowstats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal(['flow']);
  });

  it('should skip table stats without OFPC_TABLE_STATS, and end both stats chains at disconnect', () => {
    let [s] = step(start(), ready('c1', [port(1, 'a')], 5, 0));
    let a: Action[];
    [s, a] = step(s, { type: 'timer', key: `stats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats').map((x) => x.params.kind)).to.deep.equal(['port_stats']);
    [s] = step(s, bus('kytos/core.openflow.connection.lost', { connection_id: 'c1', dpid: DPID, reason: 'x' }));
    [s, a] = step(s, { type: 'timer', key: `stats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats' || x.type === 'startTimer')).to.deep.equal([]);
    [s, a] = step(s, { type: 'timer', key: `flowstats:${DPID}:1` });
    expect(a.filter((x) => x.type === 'requestStats' || x.type === 'startTimer')).to.deep.equal([]);
  });

  it('should stagger switches by (n x step) mod span, like Kytos', () => {
    expect([1, 2, 9, 10, 11].map((n) => staggerFor(n, 3, 30, 60))).to.deep.equal([3000, 6000, 27000, 0, 3000]);
    expect(staggerFor(5, 3, 30, 10)).to.equal(5000); // span capped at the interval
  });

  it('should answer switches.get with Kytos JSON', () => {
    const [s] = step(start(), ready('c1', [port(1, 'a')]));
    const replyTo = { resolve: () => undefined, reject: () => undefined, settled: false };
    const [, a] = step(s, { type: getSwitches.type, replyTo });
    const ans = a.find((x) => x.type === 'answer')!;
    expect(ans.params.to.replyTo).to.equal(replyTo);
    expect(Object.keys(ans.params.value)).to.deep.equal([DPID]);
    expect(ans.params.value[DPID].type).to.equal('switch');
  });
});
