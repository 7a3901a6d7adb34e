import { expect } from 'chai';
import net from 'node:net';
import type { KytosEvent } from '../../../src/actor/index.js';
import { ofp, type OfMessage, type OfPort, type PortStatusMessage } from '../../../src/openflow/index.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { startController, type Controller } from './harness.js';

const N = 10;
const name = (i: number) => `s${i}`;
const dpid = (i: number) => 0x1000 + i;

function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pred()) return resolve();
      if (Date.now() > end) return reject(new Error(`timeout: ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

const readyFor = (events: KytosEvent[], d: string) => events.filter((e) => e.name === 'lattice/southbound.switch.ready' && e.content.dpid === d);

describe('southbound with real Open vSwitch (10 bridges)', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: Controller;

  before(async function () {
    await skipWithoutOvs(this);
    c = await startController({ echoIntervalMs: 1000, echoMissedLimit: 3 });
    ovs = await startOvs();
    await ovs.addBridges(
      Array.from({ length: N }, (_, i) => ({ name: name(i + 1), dpid: dpid(i + 1), ports: [`${name(i + 1)}-eth1`, `${name(i + 1)}-eth2`] })),
    );
    for (let i = 1; i < N; i++) await ovs.link(name(i), name(i + 1));
    // Controllers last, so every switch shows its final ports in the handshake.
    await ovs.setControllers([...ovs.bridges.keys()], c.port);
    await until(() => c.southbound.list().length === N, 20_000, `${c.southbound.list().length}/${N} ready`);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should bring 10 bridges to ready with the right dpids and ports', async () => {
    await until(() => c.southbound.list().length === N, 20_000, `${c.southbound.list().length}/${N} ready`);
    for (let i = 1; i <= N; i++) {
      const d = dpidColon(dpid(i));
      expect(c.southbound.get(d), d).to.not.equal(undefined);
      const ev = readyFor(c.events, d).at(-1)!;
      const ports = (ev.content.ports as OfPort[]).map((p) => p.name).sort();
      const expected = [`${name(i)}-eth1`, `${name(i)}-eth2`, name(i)];
      if (i > 1) expected.push(`${name(i)}-${name(i - 1)}`);
      if (i < N) expected.push(`${name(i)}-${name(i + 1)}`);
      expect(ports, d).to.deep.equal(expected.sort());
      expect((ev.content.ports as OfPort[]).find((p) => p.name === name(i))!.portNo).to.equal(ofp.OFPP.LOCAL);
      expect((ev.content.desc as { mfrDesc: string; swDesc: string }).mfrDesc).to.equal('Nicira, Inc.');
    }
    const seen = ovs.controllerLog();
    for (let i = 1; i <= N; i++) expect(seen.get(name(i))?.connected, name(i)).to.equal(true);
  });

  it('should report a port added and removed as PORT_STATUS ADD and DELETE', async () => {
    const d = dpidColon(dpid(3));
    const isStatus = (reason: number, port: string) => (e: KytosEvent) =>
      e.name === 'kytos/of_core.v0x04.messages.in.ofpt_port_status' &&
      (e.content.source as { dpid: string }).dpid === d &&
      (e.content.message as PortStatusMessage).reason === reason &&
      (e.content.message as PortStatusMessage).port.name === port;
    await ovs.addPort(name(3), 's3-new', 42);
    const add = await c.waitEvent(isStatus(ofp.OFPPR.ADD, 's3-new'), 5000);
    expect((add.content.message as PortStatusMessage).port.portNo).to.equal(42);
    await ovs.delPort(name(3), 's3-new');
    await c.waitEvent(isStatus(ofp.OFPPR.DELETE, 's3-new'), 5000);
  });

  it('should answer a flow-stats request from a real switch through the SwitchService', async () => {
    const parts = await c.southbound.requestMultipart(dpidColon(dpid(1)), {
      type: 'multipart_request',
      version: 4,
      xid: 0,
      flags: 0,
      body: { mpType: 'flow', tableId: ofp.OFPTT.ALL, outPort: ofp.OFPP.ANY, outGroup: ofp.OFPG.ANY, cookie: 0n, cookieMask: 0n, match: [] },
    });
    expect(parts[0].type).to.equal('multipart_reply');
    expect(parts[0].body.mpType).to.equal('flow');
  });

  it('should install a flow confirmed by barrier (seen in dump-flows, used by ofproto/trace) and report a switch error by xid', async () => {
    const d = dpidColon(dpid(2));
    const flowMod = (tableId: number, priority: number) =>
      ({
        type: 'flow_mod', version: 4, xid: 0, cookie: 0x42n, cookieMask: 0n, tableId, command: ofp.OFPFC.ADD,
        idleTimeout: 0, hardTimeout: 0, priority, bufferId: ofp.OFP_NO_BUFFER, outPort: ofp.OFPP.ANY, outGroup: ofp.OFPG.ANY, flags: 0,
        match: [{ field: 'in_port', value: 1 }],
        instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }],
      }) as unknown as OfMessage;
    await c.southbound.sendWithBarrier(d, [flowMod(0, 1234)]);
    const flows = await ovs.dumpFlows(name(2));
    expect(flows.some((f) => /cookie=0x42, .*priority=1234,in_port=1 actions=output:2/.test(f)), flows.join('\n')).to.equal(true);
    // The packet hits our flow and leaves on OpenFlow port 2 (datapath port numbers differ).
    const trace = await ovs.trace(name(2), 'in_port=1');
    expect(trace).to.match(/in_port=1, priority 1234, cookie 0x42\n\s+output:2/);
    expect(trace).to.match(/Datapath actions: \d+/);
    // Table 254 is OVS's hidden internal table: it answers OFPT_ERROR BAD_REQUEST/EPERM, which fails the barrier request.
    const err = await c.southbound.sendWithBarrier(d, [flowMod(254, 1)]).then(
      () => undefined,
      (e: { code: string; details: { errType: number; errCode: number } }) => e,
    );
    expect(err?.code).to.equal('SWITCH_ERROR');
    expect([err?.details.errType, err?.details.errCode]).to.deep.equal([ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.EPERM]);
  });

  it('should keep all 10 OVS connections while a raw socket sends garbage and 10,000 malformed messages (closed at its budget)', async () => {
    const ovsBefore = ovs.controllerLog();
    const before = c.events.filter((e) => e.name === 'kytos/core.openflow.connection.lost').length;
    const readyBefore = c.events.filter((e) => e.name === 'lattice/southbound.switch.ready').length;
    const bad = Buffer.alloc(12 * 10_000);
    for (let i = 0; i < 10_000; i++) {
      bad.writeUInt8(4, i * 12);
      bad.writeUInt8(0xf0, i * 12 + 1);
      bad.writeUInt16BE(12, i * 12 + 2);
      bad.writeUInt32BE(i + 1, i * 12 + 4);
    }
    // 1) garbage, 2) a HELLO then 10,000 malformed messages, 3) a short length.
    const errorsSeen: number[] = [];
    const peers = await Promise.all(
      [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.concat([Buffer.from([4, 0, 0, 8, 0, 0, 0, 1]), bad]), Buffer.from([4, 0, 0, 2, 0, 0, 0, 0])].map(
        (payload, k) =>
          new Promise<void>((resolve) => {
            const s = net.connect({ host: '127.0.0.1', port: c.port }, () => s.write(payload));
            let n = 0;
            let buf = Buffer.alloc(0);
            s.on('data', (d) => {
              buf = Buffer.concat([buf, d]);
              while (buf.length >= 8 && buf.length >= buf.readUInt16BE(2)) {
                if (buf[1] === ofp.OFPT.ERROR) n++;
                buf = buf.subarray(buf.readUInt16BE(2));
              }
              if (k === 1 && n >= 10_000) s.destroy();
            });
            s.on('error', () => undefined);
            s.on('close', () => {
              errorsSeen[k] = n;
              resolve();
            });
            setTimeout(() => s.destroy(), 15_000).unref();
          }),
      ),
    );
    void peers;
    expect(errorsSeen[0]).to.be.at.least(1); // garbage: an ERROR, then close
    // Malformed messages are answered until the peer's budget (100 per window) runs out, then it is closed.
    expect(errorsSeen[1]).to.be.within(100, 101);
    expect(c.events.some((e) => e.name === 'kytos/core.openflow.connection.lost' && e.content.reason === 'malformed_budget')).to.equal(true);
    expect(errorsSeen[2]).to.equal(1); // short length: BAD_LEN, then close
    // No OVS switch lost its connection or had to reconnect: a round trip through each one's
    // connection (after anything the garbage could have caused) proves it is still up.
    for (let i = 1; i <= N; i++) {
      const reply = await c.southbound.request(dpidColon(dpid(i)), { type: 'features_request', version: 4, xid: 0 });
      expect(reply.type, name(i)).to.equal('features_reply');
    }
    const lostOvs = c.events
      .slice(0)
      .filter((e) => e.name === 'kytos/core.openflow.connection.lost' && e.content.dpid !== null);
    expect(lostOvs.length).to.equal(0);
    expect(c.events.filter((e) => e.name === 'kytos/core.openflow.connection.lost').length).to.be.greaterThan(before);
    expect(c.events.filter((e) => e.name === 'lattice/southbound.switch.ready').length).to.equal(readyBefore);
    expect(c.southbound.list().length).to.equal(N);
    // ...and OVS itself logged no drop and no reconnect.
    const ovsAfter = ovs.controllerLog();
    for (let i = 1; i <= N; i++) {
      expect(ovsAfter.get(name(i)), name(i)).to.deep.equal(ovsBefore.get(name(i)));
      expect(ovsAfter.get(name(i))?.connected, name(i)).to.equal(true);
    }
  });

  it('should report connection lost with the dpid when a bridge is deleted', async () => {
    const d = dpidColon(dpid(N));
    await ovs.delBridge(name(N));
    const lost = await c.waitEvent((e) => e.name === 'kytos/core.openflow.connection.lost' && e.content.dpid === d, 5000);
    expect(lost.content.reason).to.be.a('string');
    expect(c.southbound.get(d)).to.equal(undefined);
  });

  it('should see every bridge reconnect after a controller restart', async () => {
    const port = c.port;
    await c.stop(); // listener, connections and the whole actor system
    const t0 = Date.now();
    c = await startController({ port, echoIntervalMs: 1000, echoMissedLimit: 3 });
    await until(() => c.southbound.list().length === N - 1, 20_000, `${c.southbound.list().length}/${N - 1} reconnected`);
    console.log(`      ${N - 1} bridges back to ready ${Date.now() - t0} ms after the restart`);
    for (let i = 1; i < N; i++) expect(c.southbound.get(dpidColon(dpid(i)))).to.not.equal(undefined);
  });
});
