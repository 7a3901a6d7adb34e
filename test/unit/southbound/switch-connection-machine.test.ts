import { expect } from 'chai';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { switchConnectionMachine } from '../../../actors/switch-connection/machine.js';
import {
  closeEvent,
  dpidGranted,
  dpidRefused,
  frameEvent,
  framingError,
  socketClosed,
  timerEvent,
  type SwitchConnectionEvent,
} from '../../../actors/switch-connection/events.js';
import { SwitchRequestError } from '../../../src/errors/index.js';
import { encodeMessage, ofp, versionBitmap, type OfMessage, type OfPort } from '../../../src/openflow/index.js';

type Action = { type: string; params?: any };
type Snap = AnyMachineSnapshot;

const machine = switchConnectionMachine;
const input = { connectionId: 'c1', remote: '127.0.0.1:40000', options: { echoIntervalMs: 1000, echoMissedLimit: 3 } };

function step(s: Snap, ev: SwitchConnectionEvent | (SwitchConnectionEvent & { replyTo: unknown })): [Snap, Action[]] {
  const [next, actions] = transition(machine, s as never, ev as never);
  return [next as Snap, actions as unknown as Action[]];
}

const sent = (actions: Action[]): OfMessage[] => actions.filter((a) => a.type === 'send').flatMap((a) => a.params.messages);
const emitted = (actions: Action[]): { name: string; content: any }[] => actions.filter((a) => a.type === 'emit').map((a) => a.params);
const of = (m: OfMessage) => frameEvent(encodeMessage(m));

const port = (portNo: number, name: string): OfPort => ({
  portNo,
  hwAddr: '02:00:00:00:00:0' + (portNo % 10),
  name,
  config: 0,
  state: ofp.OFPPS.LIVE,
  curr: 0,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 0,
  maxSpeed: 0,
});

const desc = { mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: 's1' };

/** Runs the whole handshake; returns the ready snapshot and every action along the way. */
function toReady(options: Record<string, number> = {}): { s: Snap; all: Action[] } {
  const all: Action[] = [];
  let [s, a] = initialTransition(machine, { ...input, options: { ...input.options, ...options } }) as unknown as [Snap, Action[]];
  all.push(...a);
  [s, a] = step(s, of({ type: 'hello', version: 4, xid: 1000, elements: [versionBitmap([1, 4])] }));
  all.push(...a);
  const fr = sent(a).find((m) => m.type === 'features_request')!;
  [s, a] = step(s, of({ type: 'features_reply', version: 4, xid: fr.xid, datapathId: 0x2an, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 }));
  all.push(...a);
  [s, a] = step(s, dpidGranted());
  all.push(...a);
  const pd = sent(a)[0];
  [s, a] = step(s, of({ type: 'multipart_reply', version: 4, xid: pd.xid, flags: 1, body: { mpType: 'port_desc', ports: [port(1, 's1-eth1')] } }));
  all.push(...a);
  [s, a] = step(s, of({ type: 'multipart_reply', version: 4, xid: pd.xid, flags: 0, body: { mpType: 'port_desc', ports: [port(0xfffffffe, 's1')] } }));
  all.push(...a);
  const dr = sent(a)[0];
  [s, a] = step(s, of({ type: 'multipart_reply', version: 4, xid: dr.xid, flags: 0, body: { mpType: 'desc', desc } }));
  all.push(...a);
  return { s, all };
}

describe('switch-connection machine', () => {
  it('should send HELLO with a 1.3 version bitmap at once and start a handshake timer', () => {
    const [s, actions] = initialTransition(machine, input) as unknown as [Snap, Action[]];
    expect(s.value).to.deep.equal({ handshake: 'hello' });
    const [hello] = sent(actions);
    expect(hello.type).to.equal('hello');
    expect(hello.type === 'hello' && hello.elements).to.deep.equal([versionBitmap([4])]);
    expect(actions.some((a) => a.type === 'startTimer' && a.params.key === 'handshake')).to.equal(true);
  });

  it('should run FEATURES -> claim -> PORT_DESC (multipart) -> DESC -> SET_CONFIG -> ready', () => {
    const { s, all } = toReady();
    expect(s.value).to.equal('ready');
    const types = sent(all).map((m) => (m.type === 'multipart_request' ? `mp:${m.body.mpType}` : m.type));
    expect(types).to.deep.equal(['hello', 'features_request', 'mp:port_desc', 'mp:desc', 'set_config']);
    const setConfig = sent(all).at(-1)!;
    expect(setConfig.type === 'set_config' && setConfig.missSendLen).to.equal(0xffff);
    expect(all.find((a) => a.type === 'claimDpid')!.params).to.deep.equal({ dpid: '00:00:00:00:00:00:00:2a' });
    const ready = emitted(all).find((e) => e.name === 'lattice/southbound.switch.ready')!;
    expect(ready.content.dpid).to.equal('00:00:00:00:00:00:00:2a');
    expect(ready.content.ports.map((p: OfPort) => p.name)).to.deep.equal(['s1-eth1', 's1']);
    expect(ready.content.desc.dpDesc).to.equal('s1');
    expect(all.some((a) => a.type === 'cancelTimer' && a.params.key === 'handshake')).to.equal(true);
    expect(all.some((a) => a.type === 'startTimer' && a.params.key === 'echo')).to.equal(true);
    // xids are distinct and non-zero
    const xids = sent(all).map((m) => m.xid);
    expect(new Set(xids).size).to.equal(xids.length);
    expect(xids).to.not.include(0);
  });

  it('should negotiate from the header version when the HELLO has no bitmap', () => {
    const [s0] = initialTransition(machine, input) as unknown as [Snap, Action[]];
    const [s1, a1] = step(s0, of({ type: 'hello', version: 5, xid: 1, elements: [] }));
    expect(s1.value).to.deep.equal({ handshake: 'features' });
    expect(sent(a1)[0].type).to.equal('features_request');
  });

  for (const [name, hello] of [
    ['a 1.0 header without bitmap', { type: 'hello', version: 1, xid: 7, elements: [] }],
    ['a bitmap without 1.3', { type: 'hello', version: 6, xid: 7, elements: [versionBitmap([1, 5, 6])] }],
  ] as const) {
    it(`should answer HELLO_FAILED/INCOMPATIBLE and close on ${name}`, () => {
      const [s0] = initialTransition(machine, input) as unknown as [Snap, Action[]];
      const [s1, a1] = step(s0, of(hello as unknown as OfMessage));
      expect(s1.status).to.equal('done');
      const [err] = sent(a1);
      expect(err.type).to.equal('error');
      expect(err.type === 'error' && [err.errType, err.code, err.xid]).to.deep.equal([ofp.OFPET.HELLO_FAILED, ofp.OFPHFC.INCOMPATIBLE, 7]);
      expect(emitted(a1).map((e) => e.name)).to.include('kytos/of_core.hello_failed');
      expect(a1.find((a) => a.type === 'closeSocket')!.params.reason).to.equal('hello_failed');
    });
  }

  it('should close a duplicate dpid when the southbound refuses it', () => {
    let [s] = initialTransition(machine, input) as unknown as [Snap, Action[]];
    let a: Action[];
    [s, a] = step(s, of({ type: 'hello', version: 4, xid: 1, elements: [] }));
    const fr = sent(a)[0];
    [s] = step(s, of({ type: 'features_reply', version: 4, xid: fr.xid, datapathId: 1n, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 }));
    expect(s.value).to.deep.equal({ handshake: 'claim' });
    [s, a] = step(s, dpidRefused('c0'));
    expect(s.status).to.equal('done');
    const lost = emitted(a).find((e) => e.name === 'kytos/core.openflow.connection.lost')!;
    expect(lost.content).to.include({ dpid: null, reason: 'duplicate_dpid' });
  });

  it('should close on handshake timeout', () => {
    const [s0] = initialTransition(machine, input) as unknown as [Snap, Action[]];
    const [s1, a1] = step(s0, timerEvent('handshake'));
    expect(s1.status).to.equal('done');
    expect(a1.find((a) => a.type === 'closeSocket')!.params.reason).to.equal('handshake_timeout');
  });

  it('should answer echo requests with the same xid and data, also during the handshake', () => {
    let [s] = initialTransition(machine, input) as unknown as [Snap, Action[]];
    let a: Action[];
    [s] = step(s, of({ type: 'hello', version: 4, xid: 1, elements: [] }));
    [s, a] = step(s, of({ type: 'echo_request', version: 4, xid: 77, data: Buffer.from('hi') }));
    expect(sent(a)).to.deep.equal([{ type: 'echo_reply', version: 4, xid: 77, data: Buffer.from('hi') }]);
    const r = toReady();
    [s, a] = step(r.s, of({ type: 'echo_request', version: 4, xid: 78, data: Buffer.from('yo') }));
    expect(sent(a)).to.deep.equal([{ type: 'echo_reply', version: 4, xid: 78, data: Buffer.from('yo') }]);
  });

  it('should send keepalive echoes and close after the missed limit, unless the peer speaks', () => {
    let { s } = toReady();
    let a: Action[];
    for (let i = 1; i <= 3; i++) {
      [s, a] = step(s, timerEvent('echo'));
      expect(sent(a)[0].type).to.equal('echo_request');
      expect(s.context.missed).to.equal(i);
    }
    // Any frame from the peer resets the count.
    const [alive] = step(s, of({ type: 'echo_reply', version: 4, xid: 5, data: Buffer.alloc(0) }));
    expect(alive.context.missed).to.equal(0);
    [s, a] = step(s, timerEvent('echo'));
    expect(s.status).to.equal('done');
    expect(a.find((x) => x.type === 'closeSocket')!.params).to.deep.equal({ reason: 'echo_timeout', dpid: '00:00:00:00:00:00:00:2a', owner: true });
    const lost = emitted(a).find((e) => e.name === 'kytos/core.openflow.connection.lost')!;
    expect(lost.content).to.include({ dpid: '00:00:00:00:00:00:00:2a', reason: 'echo_timeout' });
  });

  it('should correlate a request with its reply by xid', () => {
    const { s } = toReady();
    const replyTo = { resolve: (_: unknown) => undefined, reject: (_: unknown) => undefined, settled: false };
    const [s1, a1] = step(s, { type: 'of.request', messages: [{ type: 'features_request', version: 4, xid: 0 }], expect: 'reply', timeoutMs: 500, replyTo });
    const req = sent(a1)[0];
    expect(req.xid).to.not.equal(0);
    expect(a1.find((a) => a.type === 'startTimer')!.params).to.deep.equal({ key: `req:${req.xid}`, ms: 500 });
    const reply: OfMessage = { type: 'features_reply', version: 4, xid: req.xid, datapathId: 0x2an, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 };
    const [s2, a2] = step(s1, of(reply));
    const res = a2.find((a) => a.type === 'resolve')!;
    expect(res.params.replyTo).to.equal(replyTo);
    expect(res.params.value).to.deep.include({ type: 'features_reply', xid: req.xid });
    expect(a2.some((a) => a.type === 'cancelTimer' && a.params.key === `req:${req.xid}`)).to.equal(true);
    expect(s2.context.pending.size).to.equal(0);
    // the reply is still published for listeners
    expect(emitted(a2).map((e) => e.name)).to.include('kytos/of_core.v0x04.messages.in.ofpt_features_reply');
  });

  it('should not take an asynchronous message for a reply even when its xid matches', () => {
    const { s } = toReady();
    const [s1, a1] = step(s, { type: 'of.request', messages: [{ type: 'features_request', version: 4, xid: 0 }], expect: 'reply', timeoutMs: 500 });
    const x = sent(a1)[0].xid;
    const [s2, a2] = step(s1, of({ type: 'port_status', version: 4, xid: x, reason: 2, port: port(1, 'a') }));
    expect(a2.some((a) => a.type === 'resolve')).to.equal(false);
    expect(s2.context.pending.size).to.equal(1);
  });

  it('should assemble a multipart reply across parts', () => {
    const { s } = toReady();
    const [s1, a1] = step(s, { type: 'of.request', messages: [{ type: 'multipart_request', version: 4, xid: 0, flags: 0, body: { mpType: 'port_desc' } }], expect: 'multipart', timeoutMs: 500 });
    const x = sent(a1)[0].xid;
    const [s2, a2] = step(s1, of({ type: 'multipart_reply', version: 4, xid: x, flags: 1, body: { mpType: 'port_desc', ports: [port(1, 'a')] } }));
    expect(a2.some((a) => a.type === 'resolve')).to.equal(false);
    const [, a3] = step(s2, of({ type: 'multipart_reply', version: 4, xid: x, flags: 0, body: { mpType: 'port_desc', ports: [port(2, 'b')] } }));
    const value = a3.find((a) => a.type === 'resolve')!.params.value as OfMessage[];
    expect(value.length).to.equal(2);
  });

  it('should resolve a barrier request at the barrier reply, and fail it on an error for any of its messages', () => {
    const { s } = toReady();
    const flowMod = { type: 'barrier_request', version: 4, xid: 0 } as OfMessage; // any message without a reply
    const [s1, a1] = step(s, { type: 'of.request', messages: [flowMod, flowMod], expect: 'barrier', timeoutMs: 500 });
    const out = sent(a1);
    expect(out.length).to.equal(3);
    expect(out[2].type).to.equal('barrier_request');
    const [, okActs] = step(s1, of({ type: 'barrier_reply', version: 4, xid: out[2].xid }));
    expect(okActs.find((a) => a.type === 'resolve')!.params.value).to.deep.include({ type: 'barrier_reply' });
    // The actor owns its requests in flight (mutated, not copied, per step): the error case starts from its own identical state.
    const [s1e, a1e] = step(toReady().s, { type: 'of.request', messages: [flowMod, flowMod], expect: 'barrier', timeoutMs: 500 });
    expect(sent(a1e)).to.deep.equal(out);
    const [s3, errActs] = step(s1e, of({ type: 'error', version: 4, xid: out[0].xid, errType: 5, code: 1, data: Buffer.alloc(8) }));
    const rej = errActs.find((a) => a.type === 'reject')!.params.error as SwitchRequestError;
    expect(rej).to.be.instanceOf(SwitchRequestError);
    expect(rej.code).to.equal('SWITCH_ERROR');
    expect(rej.details).to.include({ errType: 5, errCode: 1 });
    expect(s3.context.pending.size).to.equal(0);
    expect(s3.context.byXid.size).to.equal(0);
  });

  it('should time a request out through its timer', () => {
    const { s } = toReady();
    const [s1, a1] = step(s, { type: 'of.request', messages: [{ type: 'features_request', version: 4, xid: 0 }], expect: 'reply', timeoutMs: 500 });
    const x = sent(a1)[0].xid;
    const [s2, a2] = step(s1, timerEvent(`req:${x}`));
    expect((a2.find((a) => a.type === 'reject')!.params.error as SwitchRequestError).code).to.equal('SWITCH_TIMEOUT');
    expect(s2.context.pending.size).to.equal(0);
  });

  it('should refuse requests before the handshake is done', () => {
    const [s0] = initialTransition(machine, input) as unknown as [Snap, Action[]];
    const [, a] = step(s0, { type: 'of.request', messages: [{ type: 'features_request', version: 4, xid: 0 }], expect: 'reply', timeoutMs: 500 });
    expect((a.find((x) => x.type === 'reject')!.params.error as SwitchRequestError).code).to.equal('SWITCH_NOT_READY');
  });

  it('should answer a malformed message with BAD_REQUEST and its bytes, and keep going', () => {
    const { s } = toReady();
    const bad = Buffer.from([4, 0xee, 0, 12, 0, 0, 0, 9, 1, 2, 3, 4]); // unknown type 0xee
    const [s1, a1] = step(s, frameEvent(bad));
    expect(s1.value).to.equal('ready');
    const [err] = sent(a1);
    expect(err.type).to.equal('error');
    if (err.type !== 'error') return;
    expect(err.errType).to.equal(ofp.OFPET.BAD_REQUEST);
    expect(err.xid).to.equal(9);
    expect(err.data.equals(bad)).to.equal(true);
    const wrongVersion = encodeMessage({ type: 'echo_request', version: 4, xid: 10, data: Buffer.alloc(0) });
    wrongVersion[0] = 0x01;
    const [s2, a2] = step(s1, frameEvent(wrongVersion));
    const [err2] = sent(a2);
    expect(err2.type === 'error' && [err2.errType, err2.code, err2.xid]).to.deep.equal([ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_VERSION, 10]);
    expect(s2.context.badFrames).to.equal(2);
  });

  it('should disconnect a peer past its malformed-message budget in one window, and reset the budget when the window ends', () => {
    const { s } = toReady();
    const bad = (xid: number) => frameEvent(Buffer.from([4, 0xee, 0, 12, 0, 0, 0, xid, 1, 2, 3, 4]));
    let cur = s;
    let actions: Action[] = [];
    [cur, actions] = step(cur, bad(1));
    // The window opens at the first malformed message, on the actor's clock.
    expect(actions.some((a) => a.type === 'startTimer' && a.params.key === 'malformed' && a.params.ms === 10_000)).to.equal(true);
    for (let i = 2; i <= 100; i++) [cur] = step(cur, bad(i & 0xff));
    expect(cur.value).to.equal('ready');
    expect(cur.context.badInWindow).to.equal(100);
    // The window ends: the budget is whole again.
    [cur] = step(cur, timerEvent('malformed'));
    expect(cur.context.badInWindow).to.equal(0);
    for (let i = 1; i <= 100; i++) [cur] = step(cur, bad(i & 0xff));
    expect(cur.value).to.equal('ready');
    [cur, actions] = step(cur, bad(7));
    expect(cur.status).to.equal('done');
    expect(cur.context.closeReason).to.equal('malformed_budget');
    expect(emitted(actions).find((e) => e.name === 'kytos/core.openflow.connection.lost')?.content.reason).to.equal('malformed_budget');
    expect(cur.context.badFrames).to.equal(201);
  });

  it('should answer a framing error with BAD_LEN and close', () => {
    const { s } = toReady();
    const [s1, a1] = step(s, framingError(Buffer.from([4, 0, 0, 3]), 0, 'FRAME_TOO_SHORT'));
    expect(s1.status).to.equal('done');
    const [err] = sent(a1);
    expect(err.type === 'error' && [err.errType, err.code]).to.deep.equal([ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_LEN]);
  });

  it('should keep messages that arrive during the handshake and publish them once ready', () => {
    let [s] = initialTransition(machine, input) as unknown as [Snap, Action[]];
    let a: Action[];
    [s, a] = step(s, of({ type: 'hello', version: 4, xid: 1, elements: [] }));
    const fr = sent(a)[0];
    [s] = step(s, of({ type: 'port_status', version: 4, xid: 0, reason: 2, port: port(1, 'x') }));
    [s] = step(s, of({ type: 'features_reply', version: 4, xid: fr.xid, datapathId: 1n, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 }));
    [s, a] = step(s, dpidGranted());
    [s, a] = step(s, of({ type: 'multipart_reply', version: 4, xid: sent(a)[0].xid, flags: 0, body: { mpType: 'port_desc', ports: [] } }));
    [s, a] = step(s, of({ type: 'multipart_reply', version: 4, xid: sent(a)[0].xid, flags: 0, body: { mpType: 'desc', desc } }));
    const names = emitted(a).map((e) => e.name);
    expect(names).to.deep.equal(['lattice/southbound.switch.ready', 'kytos/of_core.v0x04.messages.in.ofpt_port_status']);
    expect(emitted(a)[1].content.source.dpid).to.equal('00:00:00:00:00:00:00:01');
    // Sequence numbers let listeners see the port_status came before the PORT_DESC snapshot.
    expect(emitted(a)[1].content.seq).to.be.lessThan(emitted(a)[0].content.portsSeq);
  });

  it('should fail pending requests and report the reason when the socket closes', () => {
    const { s } = toReady();
    const [s1] = step(s, { type: 'of.request', messages: [{ type: 'features_request', version: 4, xid: 0 }], expect: 'reply', timeoutMs: 500 });
    const [s2, a2] = step(s1, socketClosed('peer_closed'));
    expect(s2.status).to.equal('done');
    expect((a2.find((a) => a.type === 'reject')!.params.error as SwitchRequestError).code).to.equal('SWITCH_DISCONNECTED');
    const [, a3] = step(s, closeEvent('replaced'));
    expect(a3.find((a) => a.type === 'closeSocket')!.params.reason).to.equal('replaced');
  });
});

describe('switch-connection machine under mutated input', () => {
  it('should stay ready and answer or publish every one of 5,000 mutated codec vectors, never throw', async () => {
    const { validVectors } = await import('../../vectors/openflow/index.js');
    // The codec's robustness, not the malformed-message budget (tested above): no budget here.
    let { s } = toReady({ malformedBudget: 0 });
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 0x100000000);
    let answered = 0;
    let published = 0;
    for (let i = 0; i < 5000; i++) {
      const v = validVectors[i % validVectors.length];
      const b = Buffer.from(v.bytes);
      const flips = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < flips; k++) b[8 + Math.floor(rnd() * Math.max(1, b.length - 8)) % b.length] = Math.floor(rnd() * 256);
      b.writeUInt16BE(b.length, 2); // keep the frame length honest (framing is tested elsewhere)
      b[0] = 4;
      let a: Action[];
      [s, a] = step(s, frameEvent(b));
      expect(s.value).to.equal('ready');
      if (sent(a).some((m) => m.type === 'error')) answered++;
      if (emitted(a).length > 0) published++;
      expect(sent(a).length + emitted(a).length, `input ${i}`).to.be.greaterThan(0);
    }
    expect(answered).to.be.greaterThan(0);
    expect(published).to.be.greaterThan(0);
  });
});
