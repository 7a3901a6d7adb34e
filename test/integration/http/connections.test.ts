import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { pino } from 'pino';
import { ManualClock } from '../../../src/actor/clock.js';
import { ConnectionGate, countServerConnections, FULL_EVERY, sockstatBound, sockstatInUse, tablesFor, type ConnectionGateOptions } from '../../../src/http/connection-gate.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

/** A raw client connection: opened, or refused by the kernel. */
function open(port: number): Promise<Socket | 'refused'> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? resolve('refused') : reject(e)));
  });
}

/** One keep-alive GET of ping on a raw connection: the status and whether the server closes the connection after it. */
function ping(s: Socket): Promise<{ status: number; closed: boolean }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = text.slice(0, end);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      s.off('data', onData);
      const status = Number(head.slice(9, 12));
      if (!/^connection: close$/im.test(head)) return resolve({ status, closed: false });
      // The server said it closes: the end of the stream follows.
      if (s.readableEnded || s.destroyed) return resolve({ status, closed: true });
      s.once('end', () => resolve({ status, closed: true }));
      s.resume();
    };
    s.on('data', onData);
    s.once('error', reject);
    s.write('GET /api/kytos/core/ping/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  });
}

describe('http.maxConnections', function () {
  this.timeout(30_000);
  const sockets: Socket[] = [];
  let t: TestController | undefined;
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await t?.stop();
    t = undefined;
  });

  const stats = () => t!.controller.http.stats;

  it('should close the connection past the limit after its answer with real sockets, keep the others alive, and keep alive again once one closes', async () => {
    t = await createTestController({ config: { http: { maxConnections: 3, connectionCheckMs: 20 } } });
    const port = t.port;
    await until(() => stats().connections === 0, 5000, 'no connection counted');
    for (let i = 0; i < 3; i++) {
      const s = await open(port);
      sockets.push(s as Socket);
      expect(await ping(s as Socket), `connection ${i + 1}`).to.deep.equal({ status: 200, closed: false });
    }
    await until(() => stats().connections === 3, 5000, 'three connections counted');
    // The fourth is over the limit: answered, then closed.
    const fourth = (await open(port)) as Socket;
    sockets.push(fourth);
    await until(() => stats().connections === 4, 5000, 'four connections counted');
    expect(await ping(fourth)).to.deep.equal({ status: 200, closed: true });
    await until(() => stats().connections === 3, 5000, 'back to three');
    // The three at the limit stay alive.
    for (const s of sockets.slice(0, 3)) expect(await ping(s)).to.deep.equal({ status: 200, closed: false });
    expect(stats().connectionsShed).to.equal(1);
    // One leaves: a new connection is kept alive again.
    sockets.shift()!.destroy();
    await until(() => stats().connections === 2, 5000, 'two connections counted');
    const again = (await open(port)) as Socket;
    sockets.push(again);
    expect(await ping(again)).to.deep.equal({ status: 200, closed: false });
    expect(await ping(again)).to.deep.equal({ status: 200, closed: false });
    expect(stats().connectionsShed).to.equal(1);
    const scraped = (await t.http.get('/metrics')).text;
    expect(scraped).to.match(/^lattice_http_connections_shed_total 1$/m);
    expect(scraped).to.match(/^lattice_http_connections [2-4]$/m);
  });

  it('should close the connections that got in past the limit after their answers, down to the limit, WebSockets counted', async () => {
    // A slow count: all connect before a reading sees them.
    t = await createTestController({ config: { http: { maxConnections: 3, connectionCheckMs: 60_000 } } });
    const port = t.port;
    const ws = await t.ws();
    const nine = (await Promise.all(Array.from({ length: 9 }, () => open(port)))) as Socket[];
    sockets.push(...nine);
    await t.controller.http.gate!.check();
    expect(stats().connections).to.equal(10);
    const closed: boolean[] = [];
    for (const s of nine) closed.push((await ping(s)).closed);
    expect(closed).to.deep.equal([true, true, true, true, true, true, true, false, false]);
    await until(async () => (await t!.controller.http.gate!.check(), stats().connections === 3), 5000, 'three left');
    await ws.close();
  });

  it('should count only held server-side connections of its port in /proc/net/tcp (as data)', async () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:1FF5 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '   1: 0100007F:1FF5 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1',
      '   2: 0100007F:D431 0100007F:1FF5 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1',
      '   3: 0100007F:1FF5 0100007F:D432 08 00000000:00000000 00:00000000 00000000     0        0 4 1 0 20 4 30 10 -1',
      '   4: 0100007F:1FF5 0100007F:D433 06 00000000:00000000 00:00000000 00000000     0        0 0 3 0',
      '  10: 0100007F:1F95 0100007F:D434 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0 20 4 30 10 -1',
    ].join('\n');
    // 0x1FF5 = 8181: the established and the close-wait server sockets; not the listener, the client side, time-wait or another port.
    expect(countServerConnections(table, 8181)).to.equal(2);
    const v6 = '   0: 0000000000000000FFFF00000100007F:1FF5 0000000000000000FFFF00000100007F:E001 01 00000000:00000000 00:00000000 00000000 0 0 6 1 0 20 4 30 10 -1';
    expect(countServerConnections(v6, 8181)).to.equal(1);
    expect(countServerConnections(readFileSync('/proc/self/net/tcp', 'latin1'), 1)).to.equal(0);
    expect(await tablesFor('127.0.0.1')()).to.have.length(1);
    expect((await tablesFor('::')()).length).to.be.within(1, 2);
  });

  /** A gate of limit 2 on port 80 whose table holds `rows()` held connections; `onRead` counts the readings. */
  const dataGate = (rows: () => number, extra: Partial<ConnectionGateOptions> = {}, onRead = () => {}) =>
    new ConnectionGate({
      max: 2,
      checkMs: 1000,
      clock: new ManualClock(),
      log: pino({ level: 'silent' }),
      port: () => 80,
      read: async () => {
        onRead();
        return [Array.from({ length: rows() }, (_, i) => `   ${i}: 0100007F:0050 0100007F:${(0xd000 + i).toString(16).toUpperCase()} 01 0`).join('\n')];
      },
      ...extra,
    });

  it('should shed exactly the excess of each reading (as data)', async () => {
    let rows = 0;
    const gate = dataGate(() => rows);
    await gate.start();
    const shed = () => Array.from({ length: 6 }, () => gate.shed()).filter(Boolean).length;
    expect(shed()).to.equal(0);
    rows = 5;
    await gate.check();
    expect(gate.count).to.equal(5);
    expect(shed()).to.equal(3);
    expect(gate.count).to.equal(2);
    rows = 2;
    await gate.check();
    expect(shed()).to.equal(0);
    gate.stop();
    expect(gate.shedTotal).to.equal(3);
  });

  it('should read the table only every FULL_EVERY checks while the cheap bound is within the limit, and at every check once it is not (as data)', async () => {
    let rows = 1;
    let bound: number | null = 2;
    let reads = 0;
    const gate = dataGate(() => rows, { bound: () => bound }, () => reads++);
    await gate.start(); // one probe of the table, then the first check (bound within the limit: no reading)
    expect([reads, gate.fullReadings, gate.count]).to.deep.equal([1, 0, 0]);
    for (let i = 1; i < FULL_EVERY; i++) await gate.check();
    expect([reads, gate.fullReadings, gate.count]).to.deep.equal([2, 1, 1]);
    // Over the bound: every check reads, and sheds what the reading finds over the limit.
    bound = 40;
    rows = 4;
    await gate.check();
    await gate.check();
    expect([reads, gate.fullReadings, gate.count]).to.deep.equal([4, 3, 4]);
    expect(gate.shed()).to.equal(true);
    // Back within the bound: no reading right after an over-the-limit one is skipped...
    bound = 2;
    rows = 2;
    await gate.check();
    expect([reads, gate.fullReadings, gate.count]).to.deep.equal([5, 4, 2]);
    // ...then skipped again, the count never above the bound; no bound known: every check reads.
    bound = 1;
    await gate.check();
    expect([reads, gate.count]).to.deep.equal([5, 1]);
    bound = null;
    await gate.check();
    expect([reads, gate.count]).to.deep.equal([6, 2]);
    gate.stop();
    expect(sockstatInUse('sockets: used 8\nTCP: inuse 7 orphan 0 tw 3 alloc 9 mem 1\n', 'TCP')).to.equal(7);
    expect(sockstatInUse('TCP6: inuse 3\n', 'TCP6')).to.equal(3);
    expect(sockstatInUse('TCP6: inuse 3\n', 'TCP')).to.equal(null);
  });

  it('should read the cheap bound afresh each time through one descriptor, and let it go on close', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    const bound = sockstatBound('127.0.0.1');
    const first = bound();
    expect(first).to.be.a('number').and.at.least(1);
    for (let i = 0; i < 5; i++) bound();
    expect(fds(), 'one descriptor kept, none per reading').to.equal(before + 1);
    // A listener and ten clients with their accepted sides: 21 more TCP sockets in the namespace
    // (counted with a margin: other processes' sockets come and go too).
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const clients = await Promise.all(Array.from({ length: 10 }, () => open((server.address() as AddressInfo).port)));
    try {
      await until(async () => (bound() ?? 0) >= first! + 15, 2000, 'the new sockets counted by a later reading');
    } finally {
      for (const c of clients) if (c !== 'refused') c.destroy();
      server.close();
    }
    const held = fds();
    bound.close!();
    expect(fds()).to.equal(held - 1);
    const both = sockstatBound('::');
    expect(both()).to.be.a('number').and.at.least(1);
    both.close!();
  });
});
