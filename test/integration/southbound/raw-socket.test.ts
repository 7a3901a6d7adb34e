import { expect } from 'chai';
import net from 'node:net';
import { encodeMessage, decodeMessage, ofp, versionBitmap, type OfMessage } from '../../../src/openflow/index.js';
import { FrameDecoder } from '../../../src/southbound/framing.js';
import pino from 'pino';
import { ActorSystem, ManualClock } from '../../../src/actor/index.js';
import { EmulatedSwitch } from '../../tools/switch-emulator.js';
import { ticks } from '../../helpers/log.js';
import { startController, type Controller } from './harness.js';

/** A raw TCP peer that records every frame the controller sends. */
class RawPeer {
  readonly socket: net.Socket;
  readonly frames: OfMessage[] = [];
  closed = false;
  private readonly dec = new FrameDecoder();
  private listeners = new Set<() => void>();
  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.on('data', (c) => {
      this.dec.push(c, (f) => this.frames.push(decodeMessage(f)));
      for (const l of this.listeners) l();
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
      for (const l of this.listeners) l();
    });
  }
  connected(): Promise<void> {
    return new Promise((r) => (this.socket.connecting ? this.socket.once('connect', () => r()) : r()));
  }
  until(pred: () => boolean, timeoutMs = 5000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const l = () => {
        if (!pred()) return;
        this.listeners.delete(l);
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(() => {
        this.listeners.delete(l);
        reject(new Error(`timeout; got ${this.frames.map((f) => f.type).join(',')} closed=${this.closed}`));
      }, timeoutMs);
      this.listeners.add(l);
    });
  }
  errors(): Extract<OfMessage, { type: 'error' }>[] {
    return this.frames.filter((f): f is Extract<OfMessage, { type: 'error' }> => f.type === 'error');
  }
  write(b: Buffer): void {
    this.socket.write(b);
  }
  close(): void {
    this.socket.destroy();
  }
}

const hello13 = encodeMessage({ type: 'hello', version: 4, xid: 1, elements: [versionBitmap([4])] });

async function handshakenPeer(c: Controller, dpid: bigint): Promise<EmulatedSwitch> {
  const sw = new EmulatedSwitch({ port: c.port, dpid });
  await sw.waitReady();
  return sw;
}

describe('southbound over raw sockets (real listener, real actors)', function () {
  this.timeout(20_000);
  let c: Controller;
  const peers: { close(): void }[] = [];
  beforeEach(async () => {
    c = await startController({ echoIntervalMs: 200, echoMissedLimit: 3, handshakeTimeoutMs: 2000, duplicateProbeMs: 1000 });
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await c.stop();
  });

  it('should send HELLO at once on accept, before the switch says anything', async () => {
    const p = new RawPeer(c.port);
    peers.push(p);
    await p.until(() => p.frames.length > 0);
    expect(p.frames[0].type).to.equal('hello');
  });

  it('should complete the handshake with an emulated switch and publish ready with its dpid and ports', async () => {
    const sw = await handshakenPeer(c, 0x10n);
    peers.push(sw);
    const ev = await c.waitEvent((e) => e.name === 'lattice/southbound.switch.ready');
    expect(ev.content.dpid).to.equal('00:00:00:00:00:00:00:10');
    expect((ev.content.ports as unknown[]).length).to.equal(3);
    expect(c.southbound.get('00:00:00:00:00:00:00:10')?.remote).to.match(/^127\.0\.0\.1:\d+$/);
    const types = sw.received.map((m) => (m.type === 'multipart_request' ? `mp:${m.body.mpType}` : m.type));
    expect(types.slice(0, 5)).to.deep.equal(['hello', 'features_request', 'mp:port_desc', 'mp:desc', 'set_config']);
  });

  it('should handshake when the switch writes one byte at a time', async () => {
    const p = new RawPeer(c.port);
    peers.push(p);
    const dribble = async (b: Buffer) => {
      for (const byte of b) {
        p.write(Buffer.from([byte]));
        await new Promise((r) => setImmediate(r));
      }
    };
    await p.connected();
    await dribble(hello13);
    await p.until(() => p.frames.some((f) => f.type === 'features_request'));
    const fr = p.frames.find((f) => f.type === 'features_request')!;
    await dribble(encodeMessage({ type: 'features_reply', version: 4, xid: fr.xid, datapathId: 0x77n, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 }));
    await p.until(() => p.frames.some((f) => f.type === 'multipart_request'));
    expect(c.southbound.connectionCount).to.equal(1);
  });

  it('should answer a request through the SwitchService by xid', async () => {
    const sw = await handshakenPeer(c, 0x11n);
    peers.push(sw);
    await c.waitEvent((e) => e.name === 'lattice/southbound.switch.ready');
    const reply = await c.southbound.request('00:00:00:00:00:00:00:11', { type: 'features_request', version: 4, xid: 0 });
    expect(reply.type).to.equal('features_reply');
    const parts = await c.southbound.requestMultipart('00:00:00:00:00:00:00:11', { type: 'multipart_request', version: 4, xid: 0, flags: 0, body: { mpType: 'port_desc' } });
    expect(parts[0].body.mpType).to.equal('port_desc');
    await c.southbound.sendWithBarrier('00:00:00:00:00:00:00:11', [{ type: 'echo_request', version: 4, xid: 0, data: Buffer.alloc(0) }]);
  });

  it('should close a silent peer after its missed echoes, as echo_timeout', async () => {
    // The deadline itself (exactly interval x (missed + 1) after the last frame) is proven on a
    // ManualClock in tls-and-clock.test.ts; on real timers only its lower bound is certain, since
    // timers never fire early but a busy machine may fire them late.
    const I = 200;
    const sw = new EmulatedSwitch({ port: c.port, dpid: 0x12n, answerEchoes: false });
    peers.push(sw);
    await sw.waitReady();
    const t0 = Date.now();
    await sw.waitClosed(10_000);
    expect(Date.now() - t0).to.be.at.least(I * 3);
    expect(sw.received.filter((m) => m.type === 'echo_request').length).to.equal(3);
    const lost = await c.waitEvent((e) => e.name === 'kytos/core.openflow.connection.lost');
    expect(lost.content).to.include({ dpid: '00:00:00:00:00:00:00:12', reason: 'echo_timeout' });
  });

  it('should keep a live peer past many echo intervals', async () => {
    const sw = await handshakenPeer(c, 0x13n);
    peers.push(sw);
    // A silent peer is closed when its 4th echo would be due (missed 3): the 6th echo request
    // is the positive sign that the live one outlived that deadline.
    await sw.waitFor(() => sw.received.filter((m) => m.type === 'echo_request').length >= 6, 10_000);
    expect(sw.closed).to.equal(false);
  });

  it('should refuse a newcomer for a dpid whose owner answers the probe', async () => {
    const a = await handshakenPeer(c, 0x14n);
    peers.push(a);
    const b = new EmulatedSwitch({ port: c.port, dpid: 0x14n });
    peers.push(b);
    await b.waitClosed(3000);
    expect(b.ready).to.equal(false);
    expect(a.closed).to.equal(false);
    expect(c.southbound.get('00:00:00:00:00:00:00:14')).to.not.equal(undefined);
    expect(c.southbound.stats.refusedDuplicates).to.equal(1);
  });

  it('should replace a silent owner after one echo probe', async () => {
    const a = await handshakenPeer(c, 0x15n);
    peers.push(a);
    a.answerEchoes = false;
    // With a long keepalive the old connection is only found silent by the probe.
    const b = new EmulatedSwitch({ port: c.port, dpid: 0x15n });
    peers.push(b);
    await b.waitReady(3000);
    await a.waitClosed(3000);
    expect(c.southbound.stats.replaced).to.equal(1);
    const info = c.southbound.get('00:00:00:00:00:00:00:15');
    expect(info?.remote).to.equal(`127.0.0.1:${b.socket.localPort}`);
  });

  describe('bad input', () => {
    it('should answer a first message that is not a HELLO with HELLO_FAILED/INCOMPATIBLE carrying its bytes, and close', async () => {
      const p = new RawPeer(c.port);
      peers.push(p);
      await p.connected();
      p.write(Buffer.from([0x04, 0xee, 0x00, 0x0c, 0, 0, 0, 5, 0xde, 0xad, 0xbe, 0xef]));
      await p.until(() => p.closed);
      const [err] = p.errors();
      expect([err.errType, err.code, err.xid]).to.deep.equal([ofp.OFPET.HELLO_FAILED, ofp.OFPHFC.INCOMPATIBLE, 5]);
      expect(err.data.subarray(0, 4).equals(Buffer.from([0x04, 0xee, 0x00, 0x0c]))).to.equal(true);
    });

    it('should answer an unknown message type after the handshake with BAD_REQUEST/BAD_TYPE and stay up', async () => {
      const sw = await handshakenPeer(c, 0x19n);
      peers.push(sw);
      sw.sendRaw(Buffer.from([0x04, 0xee, 0x00, 0x0c, 0, 0, 0, 6, 0xde, 0xad, 0xbe, 0xef]));
      const err = (await sw.waitFor((m) => m.type === 'error' && m.xid === 6)) as Extract<OfMessage, { type: 'error' }>;
      expect([err.errType, err.code]).to.deep.equal([ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_TYPE]);
      expect(sw.closed).to.equal(false);
    });

    it('should answer a length below 8 with BAD_REQUEST/BAD_LEN carrying the bytes, and close', async () => {
      const p = new RawPeer(c.port);
      peers.push(p);
      await p.connected();
      p.write(hello13);
      await p.until(() => p.frames.some((f) => f.type === 'features_request'));
      const bad = Buffer.from([0x04, 0x02, 0x00, 0x04, 0, 0, 0, 9]);
      p.write(bad);
      await p.until(() => p.closed);
      const err = p.errors().at(-1)!;
      expect([err.errType, err.code, err.xid]).to.deep.equal([ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_LEN, 9]);
      expect(err.data.equals(bad)).to.equal(true);
    });

    it('should wait for a length past the data, then answer what it turns out to be', async () => {
      // On a still clock no echo request comes, so no echo reply can land between the two parts.
      const system = new ActorSystem({ clock: new ManualClock(Date.now()), log: pino({ level: 'silent' }) });
      const own = await startController({}, system);
      try {
        const sw = await handshakenPeer(own, 0x16n);
        peers.push(sw);
        // A features_reply that claims 100 bytes but sends 20...
        const head = Buffer.alloc(20);
        head.writeUInt8(4, 0);
        head.writeUInt8(ofp.OFPT.FEATURES_REPLY, 1);
        head.writeUInt16BE(100, 2);
        head.writeUInt32BE(4242, 4);
        sw.sendRaw(head);
        // (the controller, in this process, reads it on its own within a few turns of the loop)
        await ticks(10);
        // ...the rest arrives, then an echo request: its reply is the sign that all before it was handled.
        sw.sendRaw(Buffer.alloc(80));
        sw.send({ type: 'echo_request', version: 4, xid: 4343, data: Buffer.alloc(0) });
        await sw.waitFor((m) => m.type === 'echo_reply' && m.xid === 4343);
        // One answer for the whole 100 bytes (a features_reply of the wrong length), none for its first 20.
        const errors = sw.received.filter((m): m is Extract<OfMessage, { type: 'error' }> => m.type === 'error');
        expect(errors.map((e) => [e.xid, e.errType, e.code])).to.deep.equal([[4242, ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_LEN]]);
        expect(sw.closed).to.equal(false);
      } finally {
        await own.stop();
        system.shutdown();
      }
    });

    it('should refuse a 1.0 HELLO with HELLO_FAILED/INCOMPATIBLE and close', async () => {
      const p = new RawPeer(c.port);
      peers.push(p);
      await p.connected();
      p.write(Buffer.from([0x01, 0x00, 0x00, 0x08, 0, 0, 0, 3]));
      await p.until(() => p.closed);
      const [err] = p.errors();
      expect([err.errType, err.code, err.xid]).to.deep.equal([ofp.OFPET.HELLO_FAILED, ofp.OFPHFC.INCOMPATIBLE, 3]);
      await c.waitEvent((e) => e.name === 'kytos/of_core.hello_failed');
    });

    it('should answer a wrong-version message after the handshake with BAD_VERSION and stay up', async () => {
      const sw = await handshakenPeer(c, 0x17n);
      peers.push(sw);
      sw.sendRaw(Buffer.from([0x05, ofp.OFPT.ECHO_REQUEST, 0x00, 0x08, 0, 0, 0, 31]));
      const err = (await sw.waitFor((m) => m.type === 'error' && m.xid === 31)) as Extract<OfMessage, { type: 'error' }>;
      expect([err.errType, err.code]).to.deep.equal([ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_VERSION]);
      expect(sw.closed).to.equal(false);
    });

    it('should disconnect a peer past its malformed-message budget and report why, and keep serving the others', async () => {
      const good = await handshakenPeer(c, 0x19n);
      const sw = await handshakenPeer(c, 0x1an);
      peers.push(good, sw);
      const bad: Buffer[] = [];
      for (let i = 0; i < 1000; i++) {
        const b = Buffer.alloc(12);
        b.writeUInt8(0x04, 0);
        b.writeUInt8(0xf0, 1);
        b.writeUInt16BE(12, 2);
        b.writeUInt32BE(200_000 + i, 4);
        bad.push(b);
      }
      sw.sendRaw(Buffer.concat(bad));
      const deadline = Date.now() + 10_000;
      while (!sw.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(sw.closed).to.equal(true);
      // The budget (100 per window by default): answered up to it, the next one closes.
      expect(sw.received.filter((m) => m.type === 'error' && m.xid >= 200_000).length).to.be.within(100, 101);
      const lost = c.events.find((e) => e.name === 'kytos/core.openflow.connection.lost' && e.content.dpid === '00:00:00:00:00:00:00:1a');
      expect(lost?.content.reason).to.equal('malformed_budget');
      const reply = await c.southbound.request('00:00:00:00:00:00:00:19', { type: 'features_request', version: 4, xid: 0 });
      expect(reply.type).to.equal('features_reply');
    });

    it('should answer each of 10,000 malformed messages with its own ERROR, and keep serving (no budget)', async () => {
      await c.stop();
      c = await startController({ echoIntervalMs: 200, echoMissedLimit: 3, handshakeTimeoutMs: 2000, duplicateProbeMs: 1000, malformedBudget: 0 });
      const sw = await handshakenPeer(c, 0x18n);
      peers.push(sw);
      const N = 10_000;
      const bad: Buffer[] = [];
      for (let i = 0; i < N; i++) {
        // Rotate: unknown type, bad version, features_request with a body, multipart of unknown-length desc.
        const b = Buffer.alloc(12);
        const kind = i % 3;
        b.writeUInt8(kind === 1 ? 0x03 : 0x04, 0);
        b.writeUInt8(kind === 0 ? 0xf0 : ofp.OFPT.FEATURES_REQUEST, 1);
        b.writeUInt16BE(12, 2);
        b.writeUInt32BE(100_000 + i, 4);
        bad.push(b);
      }
      sw.sendRaw(Buffer.concat(bad));
      const deadline = Date.now() + 15_000;
      const errorsFor = () => sw.received.filter((m) => m.type === 'error' && m.xid >= 100_000).length;
      while (errorsFor() < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(errorsFor()).to.equal(N);
      const xids = new Set(sw.received.filter((m) => m.type === 'error').map((m) => m.xid));
      for (let i = 0; i < N; i++) expect(xids.has(100_000 + i)).to.equal(true);
      expect(sw.closed).to.equal(false);
      // The burst outran the actor's mailbox: the socket was paused (backpressure), nothing was dropped.
      expect(c.southbound.stats.pauses).to.be.greaterThan(0);
      expect(c.southbound.stats.mailboxFull).to.equal(0);
      // still serving requests
      const reply = await c.southbound.request('00:00:00:00:00:00:00:18', { type: 'features_request', version: 4, xid: 0 });
      expect(reply.type).to.equal('features_reply');
    });
  });
});
