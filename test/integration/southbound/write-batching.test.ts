import { expect } from 'chai';
import { EmulatedSwitch } from '../../tools/switch-emulator.js';
import { startController, type Controller } from './harness.js';

const DPID = '00:00:00:00:00:00:00:b1';

describe('southbound writes, one per connection per tick', () => {
  let c: Controller;
  let sw: EmulatedSwitch;

  beforeEach(async () => {
    c = await startController({ echoIntervalMs: 60_000 });
    sw = new EmulatedSwitch({ port: c.port, dpid: 0xb1n });
    await sw.waitReady();
    await c.waitEvent((e) => e.name === 'lattice/southbound.switch.ready');
  });

  afterEach(async () => {
    sw.close();
    await c.stop();
  });

  it('should send the messages of one tick in one socket write, in order', async () => {
    const chunks: Buffer[] = [];
    sw.socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const before = sw.received.length;
    // Three sends in one tick: one write (loopback delivers a small write as one chunk).
    for (let i = 0; i < 3; i++) c.southbound.send(DPID, { type: 'echo_request', version: 4, xid: 0, data: Buffer.from([i]) });
    await sw.waitFor((m) => m.type === 'echo_request' && m.data.length === 1 && m.data[0] === 2, 2000);
    expect(chunks.length).to.equal(1);
    const echoes = sw.received.slice(before).filter((m) => m.type === 'echo_request');
    expect(echoes.map((m) => (m.type === 'echo_request' ? m.data[0] : -1))).to.deep.equal([0, 1, 2]);
  });

  it('should answer at once when traffic is light (no wait for more messages)', async () => {
    const t0 = performance.now();
    const reply = await c.southbound.request(DPID, { type: 'echo_request', version: 4, xid: 0, data: Buffer.from('x') }, { timeoutMs: 1000 });
    expect(reply.type).to.equal('echo_reply');
    // No timer-based batching: a round trip on loopback takes milliseconds, not a flush period.
    expect(performance.now() - t0).to.be.below(500);
  });
});
