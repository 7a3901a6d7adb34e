import { expect } from 'chai';
import kytosStats from '../../../../../napps/amlight/kytos_stats/index.js';
import { queryFlow, queryFlowStats, queryPortStats, querySwitchFlows, queryTableStats } from '../../../../../napps/amlight/kytos_stats/events.js';
import { applyFlows, bytesCounter, emptyState, nextFlowSeq, packetCounter, portStatsView, rate } from '../../../../../napps/amlight/kytos_stats/logic.js';
import { reportedFlowJson } from '../../../../../napps/kytos/flow_manager/flow.js';
import { ofp } from '../../../../../src/sdk/index.js';
import {
  askInput,
  deliver,
  describeFlowStats,
  flowStatsReceived,
  portStatsReceived,
  stepNApp,
  tableStatsReceived,
  topologySwitchDeleted,
  type FlowStats,
  type PortStats,
  type StepInput,
} from '../../../../../src/sdk/index.js';

const S1 = '00:00:00:00:00:00:00:01';
const S2 = '00:00:00:00:00:00:00:02';

const flow = (priority: number, inPort: number, packets: bigint, bytes: bigint, durationSec: number, cookie = 0n): FlowStats => ({
  tableId: 0, durationSec, durationNsec: 5000, priority, idleTimeout: 0, hardTimeout: 0, flags: 0, cookie, packetCount: packets, byteCount: bytes,
  match: [{ kind: 'basic', field: 'in_port', value: inPort } as never],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0xffff }] } as never],
});

const port = (portNo: number, rx: bigint): PortStats => ({
  portNo, rxPackets: rx, txPackets: 2n, rxBytes: rx * 60n, txBytes: 120n, rxDropped: 0n, txDropped: 0n, rxErrors: 0n, txErrors: 0n,
  rxFrameErr: 0n, rxOverErr: 0n, rxCrcErr: 0n, collisions: 0n, durationSec: 7, durationNsec: 9,
});

// flow_manager's own conversion answers the describe ask, as the running NApp does.
const replies = { [describeFlowStats.type]: ({ dpid, flows }: { dpid: string; flows: FlowStats[] }) => flows.map((f) => reportedFlowJson(dpid, f)) };
/** The descriptions the NApp asked flow_manager for, in order. */
const describeRequests = (r: { asks: readonly { type: string; request: unknown }[] }) =>
  r.asks.filter((x) => x.type === describeFlowStats.type).map((x) => x.request as { dpid: string; flows: FlowStats[] });

async function run(inputs: StepInput[]) {
  const r = await stepNApp(kytosStats, inputs, { replies });
  return r.answers.map((a) => a.value as any);
}

describe('amlight/kytos_stats as data', () => {
  it('should key flows by their Kytos id, with of_core\'s FlowStats fields, cookie, priority and match', async () => {
    const f = flow(10, 1, 4n, 240n, 2, 2n ** 64n - 1n);
    const id = reportedFlowJson(S1, f).id;
    const [all, one, none] = await run([
      deliver(flowStatsReceived, { switch: S1, replies_flows: [f] }),
      askInput(queryFlowStats, { dpids: [] }),
      askInput(queryFlowStats, { dpids: [S1, S2] }),
      askInput(queryFlowStats, { dpids: [S2] }),
    ]);
    expect(id).to.match(/^[0-9a-f]{32}$/);
    // flow_manager's JSON: counters within 2^53 as numbers, the rest exact bigints.
    const entry = { byte_count: 240, duration_sec: 2, duration_nsec: 5000, packet_count: 4, cookie: 2n ** 64n - 1n, priority: 10, match: { in_port: 1 } };
    expect(all).to.deep.equal({ [S1]: { [id]: entry } });
    expect(one).to.deep.equal(all);
    expect(none).to.deep.equal({});
  });

  it('should answer one flow\'s counters and a switch\'s per-flow counters with rates over the flow\'s life', async () => {
    const a = flow(10, 1, 10n, 1000n, 4);
    const b = flow(20, 2, 3n, 180n, 0);
    const [ida, idb] = [a, b].map((f) => reportedFlowJson(S1, f).id);
    const [found, missing, perFlow, unknown] = await run([
      deliver(flowStatsReceived, { switch: S1, replies_flows: [a, b] }),
      askInput(queryFlow, { flowId: ida! }),
      askInput(queryFlow, { flowId: 'nope' }),
      askInput(querySwitchFlows, { dpid: S1 }),
      askInput(querySwitchFlows, { dpid: S2 }),
    ]);
    expect(packetCounter(ida!, found)).to.deep.equal({ flow_id: ida, packet_counter: 10, packet_per_second: 2.5 });
    expect(bytesCounter(ida!, found)).to.deep.equal({ flow_id: ida, bytes_counter: 1000, bits_per_second: 2000 });
    expect(missing).to.equal(undefined);
    expect(perFlow.map((f: any) => packetCounter(f.flow_id, f))).to.deep.equal([
      { flow_id: ida, packet_counter: 10, packet_per_second: 2.5 },
      { flow_id: idb, packet_counter: 3, packet_per_second: 0 },
    ]);
    expect(unknown).to.deep.equal([]);
    expect(rate(3n, 0, true)).to.equal(0);
  });

  it('should replace a switch\'s flows with each reply and keep them when flow_manager cannot describe one', async () => {
    const a = flow(10, 1, 1n, 60n, 1);
    const b = flow(11, 1, 1n, 60n, 1);
    const r = await stepNApp(
      kytosStats,
      [
        deliver(flowStatsReceived, { switch: S1, replies_flows: [a] }),
        deliver(flowStatsReceived, { switch: S1, replies_flows: [b] }),
        askInput(queryFlowStats, { dpids: [S1] }),
        deliver(flowStatsReceived, { switch: S1, replies_flows: [] }),
        askInput(queryFlowStats, { dpids: [S1] }),
      ],
      // flow_manager fails to describe the third (empty) reply.
      { replies: { [describeFlowStats.type]: (req: any) => (req.flows.length === 0 ? new Error('flow_manager down') : replies[describeFlowStats.type](req)) } },
    );
    const [after, kept] = r.answers.map((x) => x.value as any);
    expect(Object.keys(after[S1])).to.deep.equal([reportedFlowJson(S1, b).id]);
    expect(kept).to.deep.equal(after);
    // The first reply, replaced before any query read it, was never described.
    expect(describeRequests(r).map((q) => q.flows)).to.deep.equal([[b], []]);
  });

  it('should describe a flow reply only when a query reads it, once per reply, and only the switches the query reads', async () => {
    const a = flow(10, 1, 1n, 60n, 1);
    const b = flow(11, 2, 1n, 60n, 1);
    const r = await stepNApp(
      kytosStats,
      [
        deliver(flowStatsReceived, { switch: S1, replies_flows: [a] }),
        deliver(flowStatsReceived, { switch: S2, replies_flows: [b] }),
        askInput(queryPortStats, { dpids: [], ports: [] }),
        askInput(querySwitchFlows, { dpid: S2 }),
        askInput(queryFlowStats, { dpids: [S2] }),
        askInput(queryFlow, { flowId: reportedFlowJson(S1, a).id }),
      ],
      { replies },
    );
    const describes = () => describeRequests(r).map((q) => q.dpid);
    expect(describes()).to.deep.equal([S2, S1]);
    const [, perFlow, s2, one] = r.answers.map((x) => x.value as any);
    expect(perFlow.map((f: any) => f.flow_id)).to.deep.equal([reportedFlowJson(S2, b).id]);
    expect(Object.keys(s2)).to.deep.equal([S2]);
    expect(one.packet_count).to.equal(1);
  });

  it('should drop an older reply described after a newer one', () => {
    const s = emptyState();
    const first = nextFlowSeq(s);
    const second = nextFlowSeq(s);
    expect(applyFlows(s, S1, second, [reportedFlowJson(S1, flow(2, 1, 0n, 0n, 0))])).to.equal(true);
    expect(applyFlows(s, S1, first, [reportedFlowJson(S1, flow(1, 1, 0n, 0n, 0))])).to.equal(false);
    expect([...s.flows.get(S1)!.values()].map((f) => f.priority)).to.deep.equal([2]);
  });

  it('should answer port stats by dpid and port, with Kytos-ng\'s fields and updated_at from the reply\'s event', async () => {
    const [all, filtered, unknownPort] = await run([
      deliver(portStatsReceived, { switch: S1, port_stats: [port(1, 5n), port(ofp.OFPP.LOCAL, 0n)] }, Date.UTC(2026, 11, 1, 17, 20, 3)),
      deliver(portStatsReceived, { switch: S2, port_stats: [port(1, 2n ** 64n - 1n)] }, Date.UTC(2026, 11, 1, 17, 20, 4)),
      askInput(queryPortStats, { dpids: [], ports: [] }),
      askInput(queryPortStats, { dpids: [S1, 'nope'], ports: [1] }),
      askInput(queryPortStats, { dpids: [S1], ports: [9] }),
    ]);
    expect(Object.keys(all)).to.deep.equal([S1, S2]);
    expect(Object.keys(all[S1])).to.deep.equal(['1', String(ofp.OFPP.LOCAL)]);
    expect(all[S2]['1'].rx_packets).to.equal(2n ** 64n - 1n);
    expect(filtered).to.deep.equal({
      [S1]: {
        1: {
          port_no: 1, rx_packets: 5n, tx_packets: 2n, rx_bytes: 300n, tx_bytes: 120n, rx_dropped: 0n, tx_dropped: 0n, rx_errors: 0n, tx_errors: 0n,
          rx_frame_err: 0n, rx_over_err: 0n, rx_crc_err: 0n, collisions: 0n, duration_sec: 7, duration_nsec: 9, updated_at: '2026-12-01T17:20:03',
        },
      },
    });
    expect(unknownPort).to.deep.equal({ [S1]: {} });
  });

  it('should answer table stats by dpid and table id', async () => {
    const tables = [0, 1, 2].map((tableId) => ({ tableId, activeCount: tableId, lookupCount: 10n, matchedCount: 4n }));
    const [all, some] = await run([
      deliver(tableStatsReceived, { switch: S1, replies_tables: tables }),
      askInput(queryTableStats, { dpids: [], tables: [] }),
      askInput(queryTableStats, { dpids: [S1], tables: [0, 2, 7] }),
    ]);
    expect(Object.keys(all[S1])).to.deep.equal(['0', '1', '2']);
    expect(some).to.deep.equal({
      [S1]: { 0: { table_id: 0, active_count: 0, lookup_count: 10n, matched_count: 4n }, 2: { table_id: 2, active_count: 2, lookup_count: 10n, matched_count: 4n } },
    });
  });

  it('should forget a switch topology deleted, and an answer still on its way for it', async () => {
    const r = await stepNApp(
      kytosStats,
      [
        deliver(portStatsReceived, { switch: S1, port_stats: [port(1, 1n)] }),
        deliver(tableStatsReceived, { switch: S1, replies_tables: [{ tableId: 0, activeCount: 1, lookupCount: 1n, matchedCount: 1n }] }),
        deliver(flowStatsReceived, { switch: S1, replies_flows: [flow(1, 1, 1n, 1n, 1)] }),
        deliver(topologySwitchDeleted, { switch: { dpid: S1 } as never }),
        askInput(queryPortStats, { dpids: [], ports: [] }),
        askInput(queryTableStats, { dpids: [], tables: [] }),
        askInput(queryFlowStats, { dpids: [] }),
      ],
      { replies },
    );
    expect(r.answers.map((a) => a.value)).to.deep.equal([{}, {}, {}]);
    expect(portStatsView(emptyState(), [S1], [])).to.deep.equal({});
  });
});
