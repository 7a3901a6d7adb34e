import { expect } from 'chai';
import ofLldp from '../../../../../napps/kytos/of_lldp/index.js';
import { runCommand, type CommandResult } from '../../../../../napps/kytos/of_lldp/events.js';
import { buildFrame, parseFrame } from '../../../../../napps/kytos/of_lldp/frame.js';
import { consumeHello, reap, slotsOf, type LivenessPair } from '../../../../../napps/kytos/of_lldp/logic.js';
import {
  askInput,
  deleteFlows,
  deliver,
  getLldpCounters,
  getTopology,
  installFlows,
  ManualClock,
  multiTableEnableTable,
  packetIn,
  provide,
  stepNApp,
  switchesService,
  topologyInterfaceDeleted,
  topologySwitchDisabled,
  topologySwitchEnabled,
  type OfMessage,
  type StepInput,
  type SwitchService,
  type TopologyJson,
} from '../../../../../src/sdk/index.js';
import { dpid, switchJson } from '../topology/fixtures.js';
import { MemoryStore } from '../topology/memory-store.js';

const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const key = Buffer.from(KEY, 'hex');
const settings = { POLLING_TIME: 1, LLDP_HMAC_KEY: KEY, LLDP_LOOP_ACTIONS: ['log', 'disable'] as Array<'log' | 'disable'> };

/** Two switches, ports 1 and 2 each (plus LOCAL from the fixture when it has one). */
function topology(): TopologyJson {
  return { switches: { [dpid(1)]: switchJson(1, [1, 2]), [dpid(2)]: switchJson(2, [1, 2]) }, links: {} };
}

function harness(clock = new ManualClock(0), topo: () => TopologyJson = topology) {
  const sent: { at: number; dpid: string; messages: OfMessage[] }[] = [];
  const switches = {
    list: () => [],
    get: () => undefined,
    send: (d: string, m: OfMessage | OfMessage[]) => {
      sent.push({ at: clock.now(), dpid: d, messages: Array.isArray(m) ? m : [m] });
      return true;
    },
  } as unknown as SwitchService;
  const flows: { type: string; request: any }[] = [];
  const run = (inputs: StepInput[], extra: Record<string, unknown> = {}) =>
    stepNApp(ofLldp, inputs, {
      settings: { ...settings, ...extra },
      clock,
      store: new MemoryStore(),
      services: [provide(switchesService, switches)],
      replies: {
        [getTopology.type]: () => topo(),
        [installFlows.type]: (r) => (flows.push({ type: 'install', request: r }), { status: 202, body: {} }),
        [deleteFlows.type]: (r) => (flows.push({ type: 'delete', request: r }), { status: 202, body: {} }),
      },
    });
  return { clock, sent, flows, run };
}

/** The PACKET_IN of a frame `from` (dpid n, port) arriving at `at` (dpid n, port). */
function frameIn(from: [number, number], at: [number, number], opts: { timestamp?: number; key?: Buffer | null } = {}) {
  const auth = opts.key === null ? undefined : { key: opts.key ?? key, timestamp: opts.timestamp ?? 0 };
  const data = buildFrame({ dpid: dpid(from[0]), port: from[1], src: '0e:00:00:00:00:01', vlan: 3799, ...(auth ? { auth } : {}) });
  return rawIn(at, data);
}

function rawIn(at: [number, number], data: Buffer) {
  return deliver(packetIn, {
    source: { connection_id: 'c', connection: '127.0.0.1:1', dpid: dpid(at[0]) },
    message: { type: 'packet_in', version: 4, xid: 0, bufferId: 0xffffffff, totalLen: data.length, reason: 1, tableId: 0, cookie: 0n, match: [{ field: 'in_port', value: at[1] }], data },
    seq: 1,
  });
}

const names = (r: { emits: { name: string }[] }) => r.emits.map((e) => e.name);
/** Start: the first round reads the topology. */
const START: StepInput[] = [{ advance: 0 }];

describe('kytos/of_lldp machine', () => {
  it('should build Kytos-ng\'s frame layout with the authentication TLV before End', () => {
    const f = buildFrame({ dpid: '00:00:00:00:00:00:00:01', port: 2, src: '0e:00:00:00:01:02', vlan: 3799, auth: { key, timestamp: 1000 } });
    expect(f.subarray(0, 6).toString('hex')).to.equal('0180c200000e');
    expect(f.subarray(12, 18).toString('hex')).to.equal('81000ed788cc'); // 802.1Q, VID 3799, LLDP
    expect(f.subarray(18, 29).toString('hex')).to.equal('0209070000000000000001'); // chassis id, subtype 7, dpid
    expect(f.subarray(29, 36).toString('hex')).to.equal('04050700000002'); // port id, subtype 7, u32
    expect(f.subarray(36, 40).toString('hex')).to.equal('06020078'); // TTL 120
    expect(f.subarray(40, 48).toString('hex')).to.equal('fe2c0a4c5401' + '0000'); // org TLV, 44 bytes, OUI 0a:4c:54, subtype 1
    expect(f.subarray(f.length - 2).toString('hex')).to.equal('0000');
    const p = parseFrame(f);
    expect(p).to.deep.include({ kind: 'lldp', dpid: '00:00:00:00:00:00:00:01', port: 2, vlan: 3799 });
  });

  it('should refuse zero-length and truncated TLVs as malformed, never loop', () => {
    const f = buildFrame({ dpid: '00:00:00:00:00:00:00:01', port: 2, src: '0e:00:00:00:01:02', vlan: null });
    expect(parseFrame(f.subarray(0, f.length - 2)).kind).to.equal('malformed');
    expect(parseFrame(Buffer.concat([f.subarray(0, 14), Buffer.from('0000', 'hex')])).kind).to.equal('malformed');
    expect(parseFrame(Buffer.from('0180c200000e0e000000010288cc', 'hex')).kind).to.equal('malformed');
    expect(parseFrame(Buffer.from('0180c200000e0e0000000102080000', 'hex')).kind).to.equal('not_lldp');
  });

  it('should spread a round over the polling interval, one PACKET_OUT per active port, never LOCAL', async () => {
    const h = harness();
    await h.run([...START, { advance: 0 }, { advance: 250 }, { advance: 250 }, { advance: 250 }, { advance: 200 }], { SLOT_FRAMES: 1 });
    const ports = h.sent.flatMap((s) => s.messages.map((m) => `${s.dpid}:${(m as any).actions[0].port}`));
    expect(ports.sort()).to.deep.equal([`${dpid(1)}:1`, `${dpid(1)}:2`, `${dpid(2)}:1`, `${dpid(2)}:2`]);
    expect(h.sent.map((s) => s.at)).to.deep.equal([0, 250, 500, 750]);
    expect(slotsOf([], 1000, 50)).to.deep.equal([]);
  });

  it('should cut a round into one slot per SLOT_FRAMES ports (rounded up), never more than MAX_SLOTS slots', async () => {
    const h = harness();
    await h.run([...START, { advance: 0 }, { advance: 500 }, { advance: 450 }], { SLOT_FRAMES: 2 });
    expect(h.sent.map((s) => [s.at, s.dpid, s.messages.length])).to.deep.equal([[0, dpid(1), 2], [500, dpid(2), 2]]);
    const t = (n: number) => Array.from({ length: n }, (_, k) => ({ dpid: dpid(1), port: k + 1, mac: '00:00:00:00:00:00' }) as never);
    const shape = (n: number, max: number, per: number) => slotsOf(t(n), 3000, max, per).map((s) => [s.offsetMs, s.targets.length]);
    expect(shape(13, 50, 8)).to.deep.equal([[0, 7], [1500, 6]]);
    expect(shape(4000, 50, 8)).to.have.length(50);
    expect(shape(4000, 50, 8).every(([, n]) => n === 80)).to.equal(true);
    expect(shape(3, 50, 8)).to.deep.equal([[0, 3]]);
  });

  it('should announce a link only once both directions were heard, authentic and fresh', async () => {
    const h = harness();
    const r1 = await h.run([...START, frameIn([2, 1], [1, 1]), askInput(getLldpCounters, {})]);
    expect(names(r1)).to.not.include('kytos/of_lldp.interface.is.nni');
    expect(r1.answers[0]!.value).to.deep.include({ accepted: 1, one_way: 1 });
    const h2 = harness();
    const r2 = await h2.run([...START, frameIn([2, 1], [1, 1]), { advance: 100 }, frameIn([1, 1], [2, 1], { timestamp: 100 })]);
    const nni = r2.emits.filter((e) => e.name === 'kytos/of_lldp.interface.is.nni');
    expect(nni.map((e) => e.content)).to.deep.equal([{ interface_a: { id: `${dpid(2)}:1` }, interface_b: { id: `${dpid(1)}:1` } }]);
  });

  it('should reject a frame without the TLV, with a wrong MAC or stale, counting each, and announce nothing', async () => {
    const h = harness();
    const stale = [frameIn([2, 1], [1, 1]), { advance: 2001 }, frameIn([1, 1], [2, 1], { timestamp: 0 })];
    const r = await h.run([
      ...START,
      frameIn([2, 1], [1, 1], { key: null }),
      frameIn([2, 1], [1, 1], { key: Buffer.alloc(32, 1) }),
      ...stale,
      rawIn([1, 1], Buffer.from('0180c200000e0e00000001028100000088cc0209', 'hex')),
      askInput(getLldpCounters, {}),
    ]);
    expect(names(r)).to.not.include('kytos/of_lldp.interface.is.nni');
    expect((r.answers[0]!.value as any).rejected).to.deep.equal({ no_tlv: 1, bad_mac: 1, stale: 1, malformed: 1 });
  });

  it('should ask flow_manager for the punt flow on switch.enabled and delete it on switch.disabled', async () => {
    const h = harness();
    await h.run([deliver(topologySwitchEnabled, { dpid: dpid(1) }), deliver(topologySwitchDisabled, { dpid: dpid(1) })]);
    const [install, del] = h.flows;
    expect(install!.request).to.deep.include({ dpid: dpid(1), owner: 'of_lldp', force: true });
    expect(install!.request.flows[0]).to.deep.include({ priority: 50000, cookie: 0xab00000000000001n, match: { dl_type: 0x88cc, dl_vlan: 3799 } });
    expect(del!.type).to.equal('delete');
    expect(del!.request.flows[0]).to.deep.include({ cookie: 0xab00000000000001n, cookie_mask: 0xffffffffffffffffn });
  });

  it('should move the punt flow to the table of_multi_table enables for its base group, answer enable_table, and refuse other groups', async () => {
    const h = harness();
    const r = await h.run([
      deliver(topologySwitchEnabled, { dpid: dpid(1) }),
      deliver(multiTableEnableTable, { mef_eline: { evpl: 3 } }),
      deliver(multiTableEnableTable, { of_lldp: { epl: 3 } }),
      deliver(multiTableEnableTable, { of_lldp: { base: 2 } }),
      deliver(topologySwitchEnabled, { dpid: dpid(2) }),
      deliver(topologySwitchDisabled, { dpid: dpid(2) }),
    ]);
    const summary = h.flows.map((f) => [f.type, f.request.dpid, f.request.flows[0].table_id]);
    expect(summary).to.deep.equal([
      ['install', dpid(1), 0],
      // Installed in the new table first, then deleted from the old one: LLDP keeps being punted.
      ['install', dpid(1), 2],
      ['delete', dpid(1), 0],
      ['install', dpid(2), 2],
      ['delete', dpid(2), 2],
    ]);
    expect(h.flows[1]!.request.flows[0]).to.deep.include({ table_group: 'base', priority: 50000 });
    const answers = r.emits.filter((e) => e.name === 'kytos/of_lldp.enable_table');
    expect(answers.map((e) => e.content)).to.deep.equal([{ group_table: { base: 2 } }]);
  });

  it('should start with the punt flow in the table of its TABLE_GROUP setting', async () => {
    const h = harness();
    await h.run([deliver(topologySwitchEnabled, { dpid: dpid(1) })], { TABLE_GROUP: { base: 4 } });
    expect(h.flows.map((f) => f.request.flows[0].table_id)).to.deep.equal([4]);
  });

  it('should detect a loop between two ports of one switch once, with its actions', async () => {
    const h = harness();
    const r = await h.run([...START, frameIn([1, 2], [1, 1]), frameIn([1, 1], [1, 2]), frameIn([1, 2], [1, 1])]);
    expect(names(r).filter((n) => n.includes('.loop.'))).to.deep.equal(['kytos/of_lldp.loop.detected', 'kytos/of_lldp.loop.action.log', 'kytos/of_lldp.loop.action.disable']);
    expect(r.emits.find((e) => e.name === 'kytos/of_lldp.loop.detected')!.content).to.deep.equal({ interface_id: `${dpid(1)}:1`, dpid: dpid(1), port_numbers: [1, 2] });
  });

  it('should take a new polling_time for the next round, the current one ending as planned', async () => {
    const rounds = async (tail: StepInput[]) => {
      const r = await harness().run([...START, { type: 'lldp.polling_time', value: 4 }, askInput(runCommand, { command: { op: 'polling.get' } }), ...tail]);
      return { answer: r.answers[0]!.value, rounds: r.asks.filter((a) => a.type === getTopology.type).length };
    };
    // Rounds at 0 and 1000 (the interval planned before the change), then 4 s later.
    expect(await rounds([{ advance: 1000 }, { advance: 3999 }])).to.deep.equal({ answer: { status: 200, body: { polling_time: 4 } }, rounds: 2 });
    expect((await rounds([{ advance: 1000 }, { advance: 4000 }])).rounds).to.equal(3);
  });

  it('should store liveness, and drop it when topology deletes the interface', async () => {
    const h = harness();
    const A = `${dpid(1)}:1`;
    const r = await h.run([
      askInput(runCommand, { command: { op: 'liveness.set', enabled: true, ids: [A], topology: topology() } }),
      askInput(runCommand, { command: { op: 'liveness.get' } }),
      deliver(topologyInterfaceDeleted, { interface: topology().switches[dpid(1)]!.interfaces[A]! }),
      askInput(runCommand, { command: { op: 'liveness.get' } }),
    ]);
    expect(r.answers.map((a) => a.value)).to.deep.equal([
      { status: 200, body: {} },
      { status: 200, body: { interfaces: [{ id: A, status: 'init', last_hello_at: null }] } },
      { status: 200, body: { interfaces: [] } },
    ]);
    expect(names(r).filter((n) => n.includes('liveness'))).to.deep.equal(['kytos/of_lldp.liveness.enabled', 'kytos/of_lldp.liveness.disabled']);
  });

  it('should move liveness up after the minimum hellos on both sides, and down after the dead interval', () => {
    let p: LivenessPair | undefined;
    const a = 'x:1';
    const b = 'y:1';
    const steps: (string | null)[] = [];
    for (const [rx, tx, t] of [[a, b, 0], [b, a, 0], [a, b, 1000], [b, a, 1000]] as const) {
      const r = consumeHello(p, rx, tx, t, 2);
      p = r.pair;
      steps.push(r.changed);
    }
    expect(steps).to.deep.equal([null, null, null, 'up']);
    expect(reap(p!, 5000, 5000).changed).to.equal(null);
    const dead = reap(p!, 6001, 5000);
    expect(dead.changed).to.equal('down');
    expect(dead.pair.ilsmA.state).to.equal('down');
  });
});

describe('kytos/of_lldp machine: the events of section 2.3', () => {
  const A = `${dpid(1)}:1`;
  const B = `${dpid(2)}:1`;
  const loops = (r: { emits: { name: string; content: unknown }[] }) =>
    r.emits.filter((e) => e.name === 'kytos/of_lldp.loop.detected').map((e) => (e.content as { port_numbers: number[] }).port_numbers);
  /** Switch 1 with ports 1-3 (metadata as given), switch 2 with ports 1-2. */
  const threePorts = (metadata: Record<string, unknown> = {}) => (): TopologyJson => ({
    switches: { [dpid(1)]: { ...switchJson(1, [1, 2, 3]), metadata }, [dpid(2)]: switchJson(2, [1, 2]) },
    links: {},
  });
  /** Loops 1-2 and 1-3 on switch 1: both directions each, then the lower port hears the higher again (confirmed). */
  const loop = (a: number, b: number): StepInput[] => [frameIn([1, b], [1, a]), frameIn([1, a], [1, b]), frameIn([1, b], [1, a])];
  const bothLoops: StepInput[] = [...START, ...loop(1, 2), ...loop(1, 3)];

  it('should raise a loop unless LLDP_IGNORED_LOOPS or the switch\'s ignored_loops metadata lists its ports, in either order', async () => {
    expect(loops(await harness(undefined, threePorts()).run(bothLoops))).to.deep.equal([[1, 2], [1, 3]]);
    expect(loops(await harness(undefined, threePorts()).run(bothLoops, { LLDP_IGNORED_LOOPS: { [dpid(1)]: [[2, 1]] } }))).to.deep.equal([[1, 3]]);
    expect(loops(await harness(undefined, threePorts({ ignored_loops: [[1, 3]] })).run(bothLoops))).to.deep.equal([[1, 2]]);
    // The setting and the metadata add up; a loop listed for another switch is not ignored here.
    const both = await harness(undefined, threePorts({ ignored_loops: [[3, 1]] })).run(bothLoops, { LLDP_IGNORED_LOOPS: { [dpid(1)]: [[1, 2]], [dpid(2)]: [[1, 3]] } });
    expect(loops(both)).to.deep.equal([]);
    expect(names(both).filter((n) => n.includes('.loop.'))).to.deep.equal([]);
    expect(loops(await harness(undefined, threePorts()).run(bothLoops, { LLDP_IGNORED_LOOPS: { [dpid(2)]: [[1, 2], [1, 3]] } }))).to.deep.equal([[1, 2], [1, 3]]);
  });

  it('should emit messages.out.ofpt_packet_out once per switch and slot, naming its ports', async () => {
    const r = await harness().run([...START, { advance: 0 }, { advance: 500 }, { advance: 450 }], { SLOT_FRAMES: 2 });
    expect(r.emits.filter((e) => e.name === 'kytos/of_lldp.messages.out.ofpt_packet_out').map((e) => e.content)).to.deep.equal([
      { dpid: dpid(1), port_numbers: [1, 2] },
      { dpid: dpid(2), port_numbers: [1, 2] },
    ]);
  });

  it('should emit network_status.updated for the interfaces found, and liveness.disabled for those of them with liveness', async () => {
    const set = (enabled: boolean, ids: string[]) => askInput(runCommand, { command: { op: 'lldp.set', enabled, ids, topology: topology() } });
    const r = await harness().run([
      askInput(runCommand, { command: { op: 'liveness.set', enabled: true, ids: [A], topology: topology() } }),
      set(false, [A, B, 'nope:1']),
      set(true, [B]),
      set(true, ['nope:1']),
    ]);
    expect(r.answers.map((a) => (a.value as CommandResult).status)).to.deep.equal([200, 400, 200, 400]);
    expect(r.emits.filter((e) => !e.name.endsWith('.enabled') || e.name.includes('network_status')).map((e) => [e.name, e.content])).to.deep.equal([
      ['kytos/of_lldp.network_status.updated', { attribute: 'LLDP', state: 'disabled', interface_ids: [A, B] }],
      ['kytos/of_lldp.liveness.disabled', { interfaces: [{ id: A }] }],
      ['kytos/of_lldp.network_status.updated', { attribute: 'LLDP', state: 'enabled', interface_ids: [B] }],
    ]);
  });

  it('should emit liveness.up once both ends had the minimum hellos, and liveness.down after the dead interval without one', async () => {
    const hellos = (t: number): StepInput[] => [frameIn([2, 1], [1, 1], { timestamp: t }), frameIn([1, 1], [2, 1], { timestamp: t })];
    const r = await harness().run([
      ...START,
      askInput(runCommand, { command: { op: 'liveness.set', enabled: true, ids: [A, B], topology: topology() } }),
      // The first frame of each exchange is one way (no hello); from then on each is a hello: B
      // (2:1) has 2 at 1000, A (1:1) at 2000, and the pair is up.
      ...hellos(0),
      { advance: 1000 },
      ...hellos(1000),
      askInput(runCommand, { command: { op: 'liveness.pairs' } }),
      { advance: 1000 },
      ...hellos(2000),
      // POLLING_TIME 1 x LIVENESS_DEAD_MULTIPLIER 5: silent from 2000, still up at the round of
      // 7000, down at the round of 8000.
      { advance: 5000 },
      askInput(runCommand, { command: { op: 'liveness.pairs' } }),
      { advance: 1000 },
      askInput(runCommand, { command: { op: 'liveness.pairs' } }),
    ]);
    const live = r.emits.filter((e) => /liveness\.(up|down)$/.test(e.name)).map((e) => [e.name, e.content]);
    const pair = { interface_a: { id: A }, interface_b: { id: B } };
    expect(live).to.deep.equal([['kytos/of_lldp.liveness.up', pair], ['kytos/of_lldp.liveness.down', pair]]);
    expect(r.answers.slice(1).map((a) => ((a.value as CommandResult).body as { pairs: { status: string }[] }).pairs.map((p) => p.status))).to.deep.equal([['init'], ['up'], ['down']]);
  });
});
