import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import flowManager from '../../../../../napps/kytos/flow_manager/index.js';
import { askInput, describeFlowStats, deleteFlows, getStoredFlows, installFlows, metricsService, provide, stepNApp, switchesService, type FlowStats, type NAppMetrics, type OfMessage } from '../../../../../src/sdk/index.js';
import { FlowTable, type FlowRecord } from '../../../../../napps/kytos/flow_manager/table.js';
import { flowMod, parseFlow, reportedFlowJson } from '../../../../../napps/kytos/flow_manager/flow.js';
import type { SwitchService } from '../../../../../src/southbound/service.js';
import { SwitchNotConnectedError, SwitchRequestError } from '../../../../../src/errors/index.js';
import { openStore } from '../../../../../src/store/index.js';
import type { Store } from '../../../../../src/store/ports.js';

const A = '00:00:00:00:00:00:00:0a';

/** A flow-stats entry as the switch would report flow i. */
function flowStats(i: number): FlowStats {
  const fm = flowMod(parseFlow({ priority: 1000 + i, match: { in_port: (i % 100) + 1, dl_vlan: (i % 4094) + 1 }, actions: [{ action_type: 'output', port: 1 }] }, 'add'), 'add');
  return { tableId: fm.tableId, durationSec: 1, durationNsec: 0, priority: fm.priority, idleTimeout: 0, hardTimeout: 0, flags: 0, cookie: fm.cookie, packetCount: 0n, byteCount: 0n, match: fm.match, instructions: fm.instructions };
}

/** A switches service with one connected switch that accepts everything. */
function fakeSwitches(sent: OfMessage[][]): SwitchService {
  const info = { dpid: A, connectionId: 'c1', remote: '127.0.0.1:1', actor: 'sw', readySince: 0 };
  return {
    list: () => [info],
    get: (dpid) => (dpid === A ? info : undefined),
    send: () => true,
    request: () => Promise.reject(new Error('unused')),
    requestMultipart: () => Promise.resolve([]),
    sendWithBarrier: (_dpid, messages) => {
      sent.push(messages);
      return Promise.resolve();
    },
    disconnect: () => true,
  };
}

describe('flow_manager machine (stepNApp)', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fm-step-'));
    store = await openStore({ backend: 'embedded', dataDir: dir, log: pino({ level: 'silent' }) } as Parameters<typeof openStore>[0]);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should store, send one FLOW_MOD with a barrier, confirm, emit pending then added, and record the asking NApp as owner', async () => {
    const sent: OfMessage[][] = [];
    const flow = { priority: 5, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] };
    const r = await stepNApp(
      flowManager,
      [
        askInput(installFlows, { dpid: A, owner: 'mef_eline', wait: true, flows: [flow] }),
        askInput(installFlows, { dpid: A, owner: 'mef_eline', flows: [{ match: { nw_dst: '10.0.0.1' } }] }),
        askInput(getStoredFlows, { dpids: [A] }),
      ],
      { store, services: [provide(switchesService, fakeSwitches(sent))] },
    );
    expect(r.answers[0].value).to.deep.equal({ status: 201, body: { response: 'FlowMod Messages Installed' } });
    expect((r.answers[1].value as { status: number }).status).to.equal(400);
    expect(sent).to.have.length(1);
    expect(sent[0].map((m) => (m.type === 'flow_mod' ? m.priority : -1))).to.deep.equal([5]);
    expect(r.emits.map((e) => e.name)).to.deep.equal(['kytos/flow_manager.flow.pending', 'kytos/flow_manager.flow.added']);
    const docs = (r.answers[2].value as Record<string, { state: string; flow: { owner?: string } }[]>)[A];
    expect(docs.map((d) => [d.state, d.flow.owner])).to.deep.equal([['installed', 'mef_eline']]);
  });

  it('should set lattice_flows per state from counts kept as flows change: pending, installed, then deleted', async () => {
    const sent: OfMessage[][] = [];
    const gauge: Record<string, number>[] = [];
    const metrics: NAppMetrics = {
      count: () => undefined,
      setFlows: (state, n) => {
        if (state === 'pending') gauge.push({});
        gauge[gauge.length - 1]![state] = n;
      },
    };
    const flow = { priority: 5, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] };
    await stepNApp(
      flowManager,
      [
        askInput(installFlows, { dpid: A, owner: 'test', wait: true, flows: [flow, { ...flow, match: { in_port: 2 } }] }),
        askInput(deleteFlows, { dpid: A, owner: 'test', wait: true, flows: [{ match: { in_port: 2 } }] }),
      ],
      { store, services: [provide(switchesService, fakeSwitches(sent)), provide(metricsService, metrics)] },
    );
    // At start (nothing stored), two pending, two installed, one deleted.
    expect(gauge[0]).to.deep.equal({ pending: 0, installed: 0, deleted: 0 });
    expect(gauge).to.deep.include({ pending: 2, installed: 0, deleted: 0 });
    expect(gauge).to.deep.include({ pending: 0, installed: 2, deleted: 0 });
    expect(gauge[gauge.length - 1]).to.deep.equal({ pending: 0, installed: 1, deleted: 1 });
  });

  it('should answer a describeFlowStats ask for a large reply over several slices, in order, with Kytos ids', async () => {
    const stats = Array.from({ length: 2500 }, (_, i) => flowStats(i));
    const r = await stepNApp(flowManager, [askInput(describeFlowStats, { dpid: A, flows: stats })], { store, services: [provide(switchesService, fakeSwitches([]))] });
    const out = r.answers[0].value as ReturnType<typeof reportedFlowJson>[];
    expect(out).to.have.length(2500);
    expect(out[1234]).to.deep.equal(reportedFlowJson(A, stats[1234]));
    expect(out.map((f) => f.priority)).to.deep.equal(stats.map((f) => f.priority));
  });

  it('should keep the flow table\'s counts through replace, state change, undo and delete', () => {
    const t = new FlowTable();
    const rec = (id: string, state: FlowRecord['state']): FlowRecord => ({ id, switch: A, flow_id: id, state, flow: {}, spec: {} as FlowRecord['spec'], inserted_at: 0, updated_at: 0 });
    const a = rec('a', 'pending');
    t.set(a);
    t.set(rec('b', 'installed'));
    const v = t.version;
    t.setState(a, 'installed');
    expect(t.version).to.not.equal(v);
    expect(t.counts()).to.deep.equal({ pending: 0, installed: 2, deleted: 0 });
    const before = { ...a };
    t.setState(a, 'deleted');
    t.set(before); // an undo puts the earlier record back
    expect(t.counts()).to.deep.equal({ pending: 0, installed: 2, deleted: 0 });
    t.delete(A, 'b');
    t.delete(A, 'nope');
    t.setState(rec('c', 'pending'), 'installed'); // not in the table: not counted
    expect(t.counts()).to.deep.equal({ pending: 0, installed: 1, deleted: 0 });
  });

  it('should send a FLOW_MOD again on the injected clock after connection errors (1 s, then 2 s) and install it when the switch takes it', async () => {
    const sent: OfMessage[][] = [];
    const switches = fakeSwitches(sent);
    // The connection closes under the first send; the retry finds the switch gone; the next one goes through.
    const failures: Error[] = [new SwitchRequestError('SWITCH_DISCONNECTED', 'connection closed'), new SwitchNotConnectedError(A)];
    switches.sendWithBarrier = (_dpid, messages) => {
      sent.push(messages);
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : Promise.resolve();
    };
    const flow = { priority: 7, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] };
    const r = await stepNApp(
      flowManager,
      [
        askInput(installFlows, { dpid: A, owner: 'tester', flows: [flow], force: true }),
        { advance: 999 },
        askInput(getStoredFlows, { dpids: [A] }),
        { advance: 1 },
        { advance: 1999 },
        askInput(getStoredFlows, { dpids: [A] }),
        { advance: 1 },
        askInput(getStoredFlows, { dpids: [A] }),
      ],
      { store, services: [provide(switchesService, switches)] },
    );
    expect(r.answers[0].value).to.deep.equal({ status: 202, body: { response: 'FlowMod Messages Sent' } });
    const state = (i: number) => (r.answers[i].value as Record<string, { state: string }[]>)[A].map((d) => d.state);
    expect(state(1)).to.deep.equal(['pending']);
    expect(state(2)).to.deep.equal(['pending']);
    expect(state(3)).to.deep.equal(['installed']);
    // The first send, a retry at 1 s, another at 1 + 2 s: the same FLOW_MOD each time.
    expect(sent.map((m) => m.map((x) => (x.type === 'flow_mod' ? x.priority : -1)))).to.deep.equal([[7], [7], [7]]);
    expect(r.emits.map((e) => e.name)).to.deep.equal(['kytos/flow_manager.flow.pending', 'kytos/flow_manager.flow.added']);
  });
});
