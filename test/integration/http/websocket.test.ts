import { expect } from 'chai';
import WebSocket from 'ws';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

describe('WebSocket event stream /api/kytos/core/events/ws', function () {
  let t: TestController;
  before(async () => {
    t = await createTestController({ config: { ws: { maxBufferedBytes: 64 * 1024, maxPayloadBytes: 1024 } } });
  });
  after(async () => t?.stop());

  it('should deliver matching bus events as JSON text frames', async () => {
    const ws = await t.ws();
    await ws.subscribe(['kytos/topology\\..*']);
    t.bus.publish('kytos/of_core.switch.new', { dpid: 'no' });
    const sent = t.bus.publish('kytos/topology.link_up', { link: 'abc' });
    const got = await ws.next((m) => m.name !== undefined);
    expect(got).to.deep.equal(sent);
    expect(ws.received.filter((m) => m.name === 'kytos/of_core.switch.new')).to.have.length(0);
    ws.close();
  });

  it('should deliver events carrying 64-bit values (bigint) to JSON clients as exact integers', async () => {
    const ws = await t.ws();
    await ws.subscribe(['kytos/of_core\\.flow_stats\\..*']);
    t.bus.publish('kytos/of_core.flow_stats.received', { cookie: 2n ** 63n + 1n });
    await ws.next((m) => m.name === 'kytos/of_core.flow_stats.received');
    const raw = await new Promise<string>((resolve) => {
      ws.socket.once('message', (d: Buffer) => resolve(d.toString()));
      t.bus.publish('kytos/of_core.flow_stats.received', { cookie: 2n ** 63n + 1n });
    });
    expect(raw).to.contain('"cookie":9223372036854775809');
    ws.close();
  });

  it('should deliver bus events as msgpack binary frames when asked', async () => {
    const ws = await t.ws(undefined, { format: 'msgpack' });
    await ws.subscribe(['kytos/core\\.switch\\.new']);
    const sent = t.bus.publish('kytos/core.switch.new', { dpid: '00:00:00:00:00:00:00:01', n: 1 });
    const got = await ws.next((m) => m.name === 'kytos/core.switch.new');
    expect(got).to.deep.equal(sent);
    ws.close();
  });

  it('should stop delivering after unsubscribe and report a bad pattern', async () => {
    const ws = await t.ws('/api/kytos/core/events/ws/');
    await ws.subscribe(['a/b\\.c']);
    ws.send({ unsubscribe: ['a/b\\.c'] });
    await ws.next((m) => Array.isArray(m.subscribed) && m.subscribed.length === 0);
    t.bus.publish('a/b.c', {});
    ws.send({ subscribe: ['(unclosed'] });
    const err = await ws.next((m) => typeof m.error === 'string');
    expect(err.error).to.match(/invalid pattern/);
    expect(ws.received.filter((m) => m.name === 'a/b.c')).to.have.length(0);
    ws.close();
  });

  it('should close a client that sends a frame over the limit with 1009', async () => {
    const ws = await t.ws();
    ws.send({ subscribe: ['x'.repeat(2000)] });
    expect(await ws.closed()).to.equal(1009);
  });

  it('should drop a client that reads nothing with 1013 before its buffer passes the cap', async () => {
    const url = `ws://127.0.0.1:${t.port}/api/kytos/core/events/ws`;
    const socket = new WebSocket(url);
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ subscribe: ['flood\\..*'] }));
    await new Promise((r) => socket.once('message', r));
    // Stop reading: the kernel buffers fill, then the server's.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    const payload = { blob: 'z'.repeat(8000) };
    let maxBuffered = 0;
    for (let i = 0; i < 20_000 && t.controller.http.ws.stats.droppedSlow === 0; i++) {
      t.bus.publish('flood.event', payload);
      maxBuffered = Math.max(maxBuffered, t.controller.http.ws.stats.bufferedBytes);
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(t.controller.http.ws.stats.droppedSlow).to.equal(1);
    expect(maxBuffered, 'server-side buffer stays under the cap').to.be.at.most(64 * 1024);
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const code = await closed;
    expect(code).to.equal(1013);
    await until(() => t.controller.http.ws.stats.clients === 0, 5000, 'the slow client to be gone');
  });
});
