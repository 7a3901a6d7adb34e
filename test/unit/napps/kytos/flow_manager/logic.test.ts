import { expect } from 'chai';
import { beginCheck, beginDescribe, checkConsistency, continueCheck, continueDescribe, describeSlice } from '../../../../../napps/kytos/flow_manager/consistency.js';
import { flowMod, idsOf, parseFlow, reportedFlowJson } from '../../../../../napps/kytos/flow_manager/flow.js';
import { initialState, onApply, onBarrier, onPaceTimer, onPersisted, onRetry, onWaitExpired, prune, removedContent, type Effect } from '../../../../../napps/kytos/flow_manager/logic.js';
import { defaults } from '../../../../../napps/kytos/flow_manager/settings.js';
import type { ApplyRequest } from '../../../../../napps/kytos/flow_manager/events.js';
import type { FlowStats } from '../../../../../src/sdk/index.js';

const A = '00:00:00:00:00:00:00:0a';
const B = '00:00:00:00:00:00:00:0b';
const out = (port: number) => [{ action_type: 'output', port }];
const add = (dpid: string, flows: unknown[], o: Partial<ApplyRequest> = {}): ApplyRequest => ({ command: 'add', targets: [{ dpid, flows }], force: false, wait: false, ...o });
const of = <T extends Effect['type']>(effects: Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const answers = (effects: Effect[]) => of(effects, 'answer').map((e) => e.params.value as { status: number });
const asStats = (raw: unknown): FlowStats => {
  const fm = flowMod(parseFlow(raw, 'add'), 'add');
  return { tableId: fm.tableId, durationSec: 1, durationNsec: 0, priority: fm.priority, idleTimeout: 0, hardTimeout: 0, flags: 0, cookie: fm.cookie, packetCount: 0n, byteCount: 0n, match: fm.match, instructions: fm.instructions };
};

describe('flow_manager logic', () => {
  it('should group-commit requests that arrive during a write: one write, then one batch per switch in arrival order', () => {
    const s = initialState();
    const e1 = onApply(s, add(A, [{ priority: 1, actions: out(1) }]), undefined, 0, defaults);
    expect(of(e1, 'persist')).to.have.length(1);
    const e2 = onApply(s, add(A, [{ priority: 2, actions: out(1) }]), undefined, 1, defaults);
    const bad = onApply(s, add(A, [{ priority: 9, match: { nw_src: '1.2.3.4' } }]), undefined, 1, defaults);
    const e3 = onApply(s, add(A, [{ priority: 3, actions: out(1) }, { priority: 4, actions: out(1) }]), undefined, 2, defaults);
    const e4 = onApply(s, add(B, [{ priority: 5, actions: out(1) }]), undefined, 2, defaults);
    expect([...e2, ...e3, ...e4].filter((e) => e.type !== 'answer')).to.deep.equal([]);
    expect(answers(bad)).to.deep.equal([{ status: 400, body: { description: "It couldn't serialize flow_dict at index 0 (field match.nw_src): match field nw_src requires dl_type 2048", code: 400 } }]);
    const p1 = onPersisted(s, of(e1, 'persist')[0].params.writeId, undefined, new Set([A, B]));
    expect(of(p1, 'sendBatch').map((b) => b.params.messages.map((m) => m.priority))).to.deep.equal([[1]]);
    expect(answers(p1)).to.deep.equal([{ status: 202, body: { response: 'FlowMod Messages Sent' } }]);
    const w2 = of(p1, 'persist');
    expect(w2).to.have.length(1);
    expect(w2[0].params.ops).to.have.length(4);
    const p2 = onPersisted(s, w2[0].params.writeId, undefined, new Set([A, B]));
    const batches = of(p2, 'sendBatch').map((b) => [b.params.dpid, b.params.messages.map((m) => m.priority)]);
    expect(batches).to.deep.equal([[A, [2, 3, 4]], [B, [5]]]);
    expect(answers(p2)).to.have.length(3);
  });

  it('should queue again what a failed write held besides the requests (a confirmed state), and write it with the next one', () => {
    const s = initialState();
    const e = onApply(s, add(A, [{ priority: 1, actions: out(1) }], { wait: true }), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
    // The barrier confirms it: `installed` waits for the next write (the 201 needs only the stored flow).
    onBarrier(s, of(p, 'sendBatch')[0].params.batchId, undefined, 1);
    const stateOf = (priority: number) => [...s.table.records(A)].find((r) => r.spec.priority === priority)?.state;
    expect(stateOf(1)).to.equal('installed');
    // A request's write carries it and fails (store down): the request is taken back, the state is not.
    const w = of(onApply(s, add(A, [{ priority: 2, actions: out(1) }]), undefined, 2, defaults), 'persist')[0].params;
    const described = (ops: typeof w.ops) => ops.map((o) => (o.op === 'put' ? [(JSON.parse(o.doc.flow) as { priority: number }).priority, o.doc.state] : o.op));
    expect(described(w.ops)).to.have.deep.members([[1, 'installed'], [2, 'pending']]);
    const failed = onPersisted(s, w.writeId, 'store down', new Set([A]));
    expect(answers(failed).map((a) => a.status)).to.deep.equal([503]);
    expect([stateOf(1), stateOf(2)]).to.deep.equal(['installed', undefined]);
    // The next write (here the tick's) makes `installed` durable; nothing of the refused request goes with it.
    const next = of(prune(s, 3, 1_000_000), 'persist');
    expect(next.map((x) => described(x.params.ops))).to.deep.equal([[[1, 'installed']]]);
  });

  it('should not repair a flow whose request is still being written, and leave nothing behind when that write fails', () => {
    const s = initialState();
    const e = onApply(s, add(A, [{ priority: 1, actions: out(1) }]), undefined, 10, defaults);
    const w = of(e, 'persist')[0].params;
    // Stats asked after the request (requestedAt 20) while its write is in flight: the switch lacks the flow, as it should.
    expect(of(checkConsistency(s, A, [], 20, 30, defaults), 'sendBatch')).to.deep.equal([]);
    // Another request queued behind that write is not the store's either.
    onApply(s, add(A, [{ priority: 2, actions: out(1) }]), undefined, 31, defaults);
    expect(of(checkConsistency(s, A, [], 40, 50, defaults), 'sendBatch')).to.deep.equal([]);
    const failed = onPersisted(s, w.writeId, 'store down', new Set([A]));
    expect(answers(failed).map((a) => a.status)).to.deep.equal([503]);
    expect([...s.table.records(A)].map((r) => r.spec.priority)).to.deep.equal([2]);
    // Once written, a flow the switch lacks is repaired as before.
    const second = of(failed, 'persist')[0].params;
    onPersisted(s, second.writeId, 'store down', new Set([A]));
    const again = of(onApply(s, add(A, [{ priority: 3, actions: out(1) }]), undefined, 60, defaults), 'persist')[0].params;
    const sent = of(onPersisted(s, again.writeId, undefined, new Set([A])), 'sendBatch');
    onBarrier(s, sent[0]!.params.batchId, undefined, 61);
    const repair = of(checkConsistency(s, A, [], 70, 80, defaults), 'sendBatch');
    expect(repair.map((x) => x.params.messages.map((m) => [m.command, m.priority]))).to.deep.equal([[[0, 3]]]);
  });

  it('should confirm the flows before a refused one, drop the refused one and resend the rest', () => {
    const s = initialState();
    const e = onApply(s, add(A, [1, 2, 3].map((p) => ({ priority: p, actions: out(1) })), { wait: true }), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
    const batch = of(p, 'sendBatch')[0].params;
    const b = onBarrier(s, batch.batchId, { code: 'SWITCH_ERROR', index: 1, errType: 2, errCode: 4 }, 5);
    expect(of(b, 'emit').map((x) => x.params.event.type)).to.deep.equal(['kytos/flow_manager.flow.added', 'kytos/flow_manager.flow.error']);
    const again = of(b, 'sendBatch');
    expect(again.map((x) => x.params.messages.map((m) => m.priority))).to.deep.equal([[3]]);
    const done = onBarrier(s, again[0].params.batchId, undefined, 6);
    expect(answers(done)).to.deep.equal([{ status: 400, body: { description: { response: '1 flow(s) refused by the switch', errors: [{ index: 1, error_type: 2, error_code: 4 }] }, code: 400 } }]);
    expect([...s.table.records(A)].map((r) => [r.spec.priority, r.state])).to.deep.equal([[1, 'installed'], [3, 'installed']]);
  });

  it('should send nothing when the switch has every stored flow, and repair missing and alien flows', () => {
    const s = initialState();
    const flows = [{ priority: 1, actions: out(1) }, { priority: 2, match: { in_port: 1 }, actions: out(2) }];
    const e = onApply(s, add(A, flows), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
    onBarrier(s, of(p, 'sendBatch')[0].params.batchId, undefined, 1);
    expect(of(checkConsistency(s, A, flows.map(asStats), 100, 100, defaults), 'sendBatch')).to.deep.equal([]);
    // Again, from the fingerprint cache.
    expect(s.reportedIds.get(A)?.size).to.equal(2);
    expect(of(checkConsistency(s, A, flows.map(asStats), 100, 100, defaults), 'sendBatch')).to.deep.equal([]);
    const alien = asStats({ priority: 7, match: { in_port: 2 }, actions: out(1) });
    const fix = of(checkConsistency(s, A, [asStats(flows[0]), alien], 100, 100, defaults), 'sendBatch');
    expect(fix.map((x) => x.params.messages.map((m) => [m.command, m.priority]))).to.deep.equal([[[4, 7], [0, 2]]]);
  });

  it('should identify a large flow-stats reply slice by slice and judge it once, as one pass would', () => {
    const stored = Array.from({ length: 40 }, (_, i) => ({ priority: 100 + i, actions: out(1) }));
    const setUp = () => {
      const s = initialState();
      const e = onApply(s, add(A, stored), undefined, 0, defaults);
      const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
      onBarrier(s, of(p, 'sendBatch')[0].params.batchId, undefined, 1);
      return s;
    };
    // The switch lacks the first 5 stored flows and has 3 aliens.
    const reported = [...stored.slice(5), ...[1, 2, 3].map((k) => ({ priority: k, match: { in_port: 9 }, actions: out(2) }))].map(asStats);
    const whole = setUp();
    const once = of(checkConsistency(whole, A, reported, 100, 100, defaults), 'sendBatch');
    const s = setUp();
    // 38 new entries at 11 units each: 50 units a slice identifies at most 5 of them.
    let effects = beginCheck(s, A, reported, 100, 100, defaults, 50);
    let slices = 1;
    while (effects.length === 1 && effects[0].type === 'later') {
      expect(effects[0].params).to.deep.equal({ type: 'fm.check_more', dpid: A });
      // (Other messages run between slices.)
      effects = continueCheck(s, A, 100, defaults, 50);
      slices++;
    }
    expect(slices).to.equal(8);
    const sliced = of(effects, 'sendBatch');
    const shape = (b: typeof once) => b.map((x) => x.params.messages.map((m) => [m.command, m.priority]));
    expect(shape(sliced)).to.deep.equal(shape(once));
    expect(shape(sliced)[0]).to.have.length(8);
    expect(s.checks.size).to.equal(0);
    // The next pass on the same table hits the cache: 40 entries at 1 unit fit one slice of 50.
    expect(beginCheck(s, A, reported, 200, 200, defaults, 50).some((e) => e.type === 'later')).to.equal(false);
    // Nothing in progress: a late continuation does nothing.
    expect(continueCheck(s, A, 300, defaults, 50)).to.deep.equal([]);
  });

  it('should describe flow stats slice by slice with the ids a full computation gives, sharing ids with a pass in progress', () => {
    const reported = Array.from({ length: 30 }, (_, i) => asStats({ priority: 200 + i, cookie: 2n ** 63n + BigInt(i), match: { in_port: i + 1 }, actions: out(1) }));
    const expected = reported.map((f) => reportedFlowJson(A, f));
    const s = initialState();
    // A pass on the same reply is in progress: what the description computes, the pass does not compute again.
    expect(beginCheck(s, A, reported, 100, 100, defaults, 1).map((e) => e.type)).to.deep.equal(['later']);
    const job = { dpid: A, flows: reported, next: 0, out: [] as ReturnType<typeof reportedFlowJson>[] };
    let slices = 1;
    while (!describeSlice(s, job, 40)) slices++;
    expect(slices).to.be.greaterThan(5);
    expect(job.out).to.deep.equal(expected);
    expect(s.checks.get(A)?.ids.size).to.equal(30);
    // From the cache (the finished pass): one slice of 60 units for 30 entries, the same dicts.
    while (continueCheck(s, A, 100, defaults, 1).some((e) => e.type === 'later'));
    const again = { dpid: A, flows: reported, next: 0, out: [] as ReturnType<typeof reportedFlowJson>[] };
    expect(describeSlice(s, again, 60)).to.equal(true);
    expect(again.out).to.deep.equal(expected);
  });

  it('should keep a description in progress in the state, ask for its next slice as an effect, and answer it once done', () => {
    const reported = Array.from({ length: 10 }, (_, i) => asStats({ priority: 300 + i, match: { in_port: i + 1 }, actions: out(1) }));
    const s = initialState();
    const first = beginDescribe(s, A, reported, undefined, 25);
    expect(first).to.deep.equal([{ type: 'later', params: { type: 'fm.describe_more', describeId: 1 } }]);
    expect([...s.describes.keys()]).to.deep.equal([1]);
    // Two descriptions at once keep their own progress.
    expect(beginDescribe(s, A, reported.slice(0, 1), undefined, 25)).to.deep.equal([{ type: 'answer', params: { replyTo: undefined, value: [reportedFlowJson(A, reported[0]!)] } }]);
    let effects = continueDescribe(s, 1, 25);
    let slices = 2;
    while (effects[0]?.type === 'later') {
      effects = continueDescribe(s, 1, 25);
      slices++;
    }
    // A new entry costs 12 units and a slice starts entries while under 25: 3 a slice, 4 slices for 10.
    expect(slices).to.equal(4);
    expect(effects).to.deep.equal([{ type: 'answer', params: { replyTo: undefined, value: reported.map((f) => reportedFlowJson(A, f)) } }]);
    expect(s.describes.size).to.equal(0);
    // Nothing in progress: a late continuation does nothing.
    expect(continueDescribe(s, 1, 25)).to.deep.equal([]);
  });

  it('should name a removed flow by its stored flow_id and owner, and an unknown one by the flow_id of what the switch reported', () => {
    const s = initialState();
    const stored = { priority: 7, cookie: 5, match: { in_port: 3 }, actions: out(1) };
    const e = onApply(s, add(A, [stored], { owner: 'mef_eline' }), undefined, 0, defaults);
    onBarrier(s, of(onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A])), 'sendBatch')[0].params.batchId, undefined, 1);
    const removed = (raw: Record<string, unknown>) => {
      const st = asStats(raw);
      return { type: 'flow_removed' as const, version: 4, xid: 0, cookie: st.cookie, priority: st.priority, reason: 2, tableId: st.tableId, durationSec: 1, durationNsec: 0, idleTimeout: 0, hardTimeout: 0, packetCount: 0n, byteCount: 0n, match: st.match };
    };
    const mine = removedContent(s, A, removed(stored));
    const record = [...s.table.records(A)][0]!;
    expect(mine.flow).to.include({ id: record.flow_id, owner: 'mef_eline' });
    const alien = { priority: 8, match: { in_port: 4 } };
    const other = removedContent(s, A, removed({ ...alien, actions: out(1) })).flow;
    expect(other).to.include({ id: idsOf(A, parseFlow({ ...alien, instructions: [] }, 'add')).flow_id });
    expect(other.owner).to.equal(undefined);
  });

  it('should answer 503 and send nothing when the durable write fails', () => {
    const s = initialState();
    const e = onApply(s, add(A, [{ priority: 1, actions: out(1) }]), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, 'disk full', new Set([A]));
    expect(of(p, 'sendBatch')).to.deep.equal([]);
    expect(answers(p)[0].status).to.equal(503);
    expect([...s.table.records(A)]).to.deep.equal([]);
  });

  it('should answer 504 when a waiting request is not confirmed in time, and 424 when not connected', () => {
    const s = initialState();
    const e = onApply(s, add(A, [{ priority: 1, actions: out(1) }], { wait: true }), undefined, 0, defaults);
    const jobId = of(e, 'waitTimer')[0].params.jobId;
    onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
    expect(answers(onWaitExpired(s, jobId))).to.deep.equal([{ status: 504, body: { description: 'The switch did not confirm the flows in time', code: 504 } }]);
    const f = onApply(s, add(B, [{ priority: 1, actions: out(1) }], { wait: true, force: true }), undefined, 0, defaults);
    const p = onPersisted(s, of(f, 'persist')[0].params.writeId, undefined, new Set([A]));
    expect(answers(p)).to.deep.equal([{ status: 424, body: { description: `switch ${B} isn't connected`, code: 424 } }]);
    expect([...s.table.records(B)].map((r) => r.state)).to.deep.equal(['pending']);
  });

  it('should soft-delete matching stored flows and prune them after the retention', () => {
    const s = initialState();
    const e = onApply(s, add(A, [{ priority: 1, match: { in_port: 1, dl_vlan: 2 }, actions: out(1) }, { priority: 2, table_id: 1, match: { in_port: 1 }, actions: out(1) }]), undefined, 0, defaults);
    onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set());
    const d = onApply(s, { command: 'delete', targets: [{ dpid: A, flows: [{ match: { in_port: 1 } }] }], force: true, wait: false }, undefined, 10, defaults);
    expect([...s.table.records(A)].map((r) => [r.spec.priority, r.state])).to.deep.equal([[1, 'deleted'], [2, 'pending']]);
    onPersisted(s, of(d, 'persist')[0].params.writeId, undefined, new Set());
    const pr = prune(s, 10 + 86_400_001, 86_400_000);
    expect(of(pr, 'persist')[0].params.ops.map((o) => o.op)).to.deep.equal(['delete']);
    expect([...s.table.records(A)].map((r) => r.spec.priority)).to.deep.equal([2]);
  });

  it('should prune at most a batch of soft-deleted flows per pass, the rest at the next passes', () => {
    const s = initialState();
    const flows = [1, 2, 3, 4, 5].map((p) => ({ priority: p, match: { in_port: p }, actions: out(1) }));
    onPersisted(s, of(onApply(s, add(A, flows), undefined, 0, defaults), 'persist')[0].params.writeId, undefined, new Set());
    const d = onApply(s, { command: 'delete', targets: [{ dpid: A, flows: [{}] }], force: true, wait: false }, undefined, 10, defaults);
    onPersisted(s, of(d, 'persist')[0].params.writeId, undefined, new Set());
    // Not yet past the retention: nothing goes.
    expect(of(prune(s, 10 + 1000, 1000, 2), 'persist')).to.deep.equal([]);
    const sizes: number[] = [];
    for (let pass = 0; pass < 4; pass++) {
      const p = of(prune(s, 10 + 1001, 1000, 2), 'persist');
      sizes.push(p.length ? p[0].params.ops.length : 0);
      if (p.length) onPersisted(s, p[0].params.writeId, undefined, new Set());
    }
    expect(sizes).to.deep.equal([2, 2, 1, 0]);
    expect([...s.table.records(A)]).to.deep.equal([]);
  });

  it('should pace FLOW_MODs per owner and switch, keeping their order, and hold later requests behind them', () => {
    const s = initialState({ mef_eline: 2 });
    const flows = [1, 2, 3, 4, 5].map((p) => ({ priority: p, actions: out(1) }));
    const e = onApply(s, add(A, flows, { owner: 'mef_eline', wait: true }), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]), 1500);
    const prios = (effects: Effect[]) => of(effects, 'sendBatch').map((b) => b.params.messages.map((m) => m.priority));
    expect(prios(p)).to.deep.equal([[1, 2]]);
    expect(of(p, 'paceTimer')[0].params).to.deep.equal({ dpid: A, ms: 500 });
    // An unpaced owner's flow waits behind the held ones, in order.
    const e2 = onApply(s, add(A, [{ priority: 9, actions: out(1) }]), undefined, 1600, defaults);
    expect(prios(onPersisted(s, of(e2, 'persist')[0].params.writeId, undefined, new Set([A]), 1600))).to.deep.equal([]);
    expect(prios(onPaceTimer(s, A, 2000))).to.deep.equal([[3, 4]]);
    expect(prios(onPaceTimer(s, A, 3000))).to.deep.equal([[5, 9]]);
    expect(s.held.size).to.equal(0);
  });

  it('should leave a batch pending, never installed, when the switch disconnects mid-batch (424 for a waiting request)', () => {
    const s = initialState();
    const e = onApply(s, add(A, [1, 2].map((p) => ({ priority: p, actions: out(1) })), { wait: true }), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
    const b = onBarrier(s, of(p, 'sendBatch')[0].params.batchId, { code: 'SWITCH_DISCONNECTED' }, 5);
    expect(answers(b)).to.deep.equal([{ status: 424, body: { description: `switch ${A} isn't connected`, code: 424 } }]);
    expect(of(b, 'emit')).to.deep.equal([]);
    expect([...s.table.records(A)].map((r) => r.state)).to.deep.equal(['pending', 'pending']);
    // In flight until its connection-error retries end (the consistency check leaves them alone).
    expect(s.inflight.get(A)?.size).to.equal(2);
  });

  it('should retry FLOW_MODs after a connection error as Kytos-ng: 3 times, after 1 s, 2 s and 4 s, then flow.error, the flows staying pending', () => {
    const s = initialState();
    const e = onApply(s, add(A, [1, 2].map((p) => ({ priority: p, actions: out(1) }))), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
    let batchId = of(p, 'sendBatch')[0].params.batchId;
    const waits: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const fail = onBarrier(s, batchId, { code: attempt === 0 ? 'SWITCH_DISCONNECTED' : 'SWITCH_NOT_CONNECTED' }, 10);
      expect(of(fail, 'emit')).to.deep.equal([]);
      const timers = of(fail, 'retryTimer');
      expect(timers).to.have.length(1);
      waits.push(timers[0].params.ms);
      // Not judged by the consistency check while waiting: still in flight.
      expect(s.inflight.get(A)?.size).to.equal(2);
      const again = onRetry(s, timers[0].params.retryId, 20);
      const sent = of(again, 'sendBatch');
      expect(sent.map((x) => x.params.messages.map((m) => m.priority))).to.deep.equal([[1, 2]]);
      expect(of(again, 'emit')).to.deep.equal([]); // no second `pending`
      batchId = sent[0].params.batchId;
    }
    expect(waits).to.deep.equal([1000, 2000, 4000]);
    const last = onBarrier(s, batchId, { code: 'SWITCH_NOT_CONNECTED' }, 30);
    expect(of(last, 'retryTimer')).to.deep.equal([]);
    const errors = of(last, 'emit').map((x) => x.params);
    expect(errors.map((x) => x.event.type)).to.deep.equal(['kytos/flow_manager.flow.error', 'kytos/flow_manager.flow.error']);
    expect(errors[0].content).to.deep.include({ datapath: A, error_command: 'add', error_exception: `switch ${A} isn't connected (after 3 retries)` });
    expect([...s.table.records(A)].map((r) => r.state)).to.deep.equal(['pending', 'pending']);
    expect(s.inflight.get(A)?.size ?? 0).to.equal(0);
  });

  it('should confirm a retried FLOW_MOD at its barrier, and drop a retry the store no longer wants', () => {
    const s = initialState();
    const e = onApply(s, add(A, [{ priority: 1, match: { in_port: 1 }, actions: out(1) }, { priority: 2, match: { in_port: 2 }, actions: out(1) }]), undefined, 0, defaults);
    const p = onPersisted(s, of(e, 'persist')[0].params.writeId, undefined, new Set([A]));
    const fail = onBarrier(s, of(p, 'sendBatch')[0].params.batchId, { code: 'SWITCH_DISCONNECTED' }, 1, { max: 3, minWaitMs: 500, multiplier: 3 });
    const timer = of(fail, 'retryTimer')[0].params;
    expect(timer.ms).to.equal(500);
    // Meanwhile the flow of priority 2 is deleted: its retry goes, the other's is sent.
    const del = onApply(s, { command: 'delete', targets: [{ dpid: A, flows: [{ match: { in_port: 2 } }] }], force: true, wait: false }, undefined, 2, defaults);
    onPersisted(s, of(del, 'persist')[0].params.writeId, undefined, new Set());
    const again = onRetry(s, timer.retryId, 3);
    const sent = of(again, 'sendBatch');
    expect(sent.map((x) => x.params.messages.map((m) => m.priority))).to.deep.equal([[1]]);
    const ok = onBarrier(s, sent[0].params.batchId, undefined, 4);
    expect(of(ok, 'emit').map((x) => x.params.event.type)).to.deep.equal(['kytos/flow_manager.flow.added']);
    expect([...s.table.records(A)].map((r) => [r.spec.priority, r.state])).to.deep.equal([[1, 'installed'], [2, 'deleted']]);
    expect(onRetry(s, timer.retryId, 5)).to.deep.equal([]);
  });
});
