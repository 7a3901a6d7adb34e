import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { pino } from 'pino';
import { ActorSystem, ManualClock } from '../../../src/actor/index.js';
import { decodeMessage, encodeMessage, versionBitmap, type OfMessage } from '../../../src/openflow/index.js';
import { FrameDecoder } from '../../../src/southbound/framing.js';
import { EmulatedSwitch } from '../../tools/switch-emulator.js';
import { startController, type Controller } from './harness.js';
import { until } from '../../helpers/log.js';

/** A CA, a server certificate and a client certificate, made with the openssl CLI. */
function makePki(dir: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=lattice-test-ca');
  for (const who of ['server', 'client']) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? '127.0.0.1' : 'switch-1'}`);
    run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2');
  }
  const f = (n: string) => readFileSync(join(dir, n));
  return { ca: f('ca.pem'), serverCert: f('server.pem'), serverKey: f('server.key'), clientCert: f('client.pem'), clientKey: f('client.key') };
}

/** A switch over TLS: HELLO, then FEATURES/PORT_DESC/DESC answered; resolves at SET_CONFIG or close. */
function tlsSwitch(port: number, opts: tls.ConnectionOptions): Promise<'ready' | 'closed'> {
  return new Promise((resolve) => {
    // The chain is checked against the CA; the host name check is skipped (test certs carry no IP SAN).
    const s = tls.connect({ host: '127.0.0.1', port, checkServerIdentity: () => undefined, ...opts }, () => {
      s.write(encodeMessage({ type: 'hello', version: 4, xid: 1, elements: [versionBitmap([4])] }));
    });
    const dec = new FrameDecoder();
    s.on('data', (c) =>
      dec.push(c, (f) => {
        const m = decodeMessage(f);
        const send = (r: OfMessage) => s.write(encodeMessage(r));
        if (m.type === 'features_request') send({ type: 'features_reply', version: 4, xid: m.xid, datapathId: 0xabcn, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 });
        if (m.type === 'multipart_request' && m.body.mpType === 'port_desc') send({ type: 'multipart_reply', version: 4, xid: m.xid, flags: 0, body: { mpType: 'port_desc', ports: [] } });
        if (m.type === 'multipart_request' && m.body.mpType === 'desc')
          send({ type: 'multipart_reply', version: 4, xid: m.xid, flags: 0, body: { mpType: 'desc', desc: { mfrDesc: 'x', hwDesc: 'y', swDesc: 'z', serialNum: '1', dpDesc: 'tls' } } });
        if (m.type === 'set_config') {
          resolve('ready');
          s.destroy();
        }
      }),
    );
    s.on('error', () => undefined);
    s.on('close', () => resolve('closed'));
  });
}

describe('southbound TLS listener', function () {
  this.timeout(30_000);
  let dir: string;
  let pki: ReturnType<typeof makePki>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lattice-pki-'));
    pki = makePki(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should complete the OpenFlow handshake over TLS', async () => {
    const c = await startController({ tls: { port: 0, cert: pki.serverCert, key: pki.serverKey } });
    try {
      expect(await tlsSwitch(c.tlsPort!, { ca: pki.ca })).to.equal('ready');
      await c.waitEvent((e) => e.name === 'lattice/southbound.switch.ready' && e.content.dpid === '00:00:00:00:00:00:0a:bc');
    } finally {
      await c.stop();
    }
  });

  it('should refuse a switch without a client certificate when one is required, and accept one signed by the CA', async () => {
    const c = await startController({ tls: { port: 0, cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requireClientCert: true } });
    try {
      expect(await tlsSwitch(c.tlsPort!, { ca: pki.ca })).to.equal('closed');
      expect(await tlsSwitch(c.tlsPort!, { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey })).to.equal('ready');
    } finally {
      await c.stop();
    }
  });

  it('should let a certificate announce only the dpids mapped to it, and disconnect and report one that announces another', async () => {
    const tlsBase = { port: 0, cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requireClientCert: true };
    const client = { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey };
    const allowed = await startController({ tls: { ...tlsBase, dpidsByCertificate: { 'cn:switch-1': ['00:00:00:00:00:00:0a:bc'] } } });
    try {
      expect(await tlsSwitch(allowed.tlsPort!, client)).to.equal('ready');
    } finally {
      await allowed.stop();
    }
    const other = await startController({ tls: { ...tlsBase, dpidsByCertificate: { 'cn:switch-1': ['00:00:00:00:00:00:00:01'] } }, plaintext: false });
    try {
      expect(other.port).to.equal(0);
      expect(await tlsSwitch(other.tlsPort!, client)).to.equal('closed');
      const refused = await other.waitEvent((e) => e.name === 'lattice/southbound.switch.refused');
      expect(refused.content).to.include({ dpid: '00:00:00:00:00:00:0a:bc', reason: 'certificate_dpid_mismatch', certificate_cn: 'switch-1' });
      const lost = await other.waitEvent((e) => e.name === 'kytos/core.openflow.connection.lost');
      expect(lost.content.reason).to.equal('certificate_dpid_mismatch');
      expect(other.southbound.list()).to.deep.equal([]);
    } finally {
      await other.stop();
    }
  });
});

describe('southbound keepalive on an injected clock', function () {
  this.timeout(10_000);
  it('should send an echo per interval and close the silent peer exactly at interval x (missed + 1)', async () => {
    const clock = new ManualClock(Date.now());
    const system = new ActorSystem({ clock, log: pino({ level: 'silent' }) });
    const c: Controller = await startController({ echoIntervalMs: 5000, echoMissedLimit: 3 }, system);
    const sw = new EmulatedSwitch({ port: c.port, dpid: 0x99n, answerEchoes: false });
    try {
      await sw.waitReady();
      const echoes = () => sw.received.filter((m) => m.type === 'echo_request').length;
      // A due timer tells the switch's actor at once, inside advance(): once every mailbox is
      // empty, the actor's state shows whether it fired (how many echoes are unanswered).
      const unanswered = async () => {
        await until(() => system.queuedMessages() === 0, 5000, 'the actors to be idle');
        const actor = system.list().find((a) => a.kind === 'switch')!;
        return (system.handle(actor.name).snapshot().context as { missed: number }).missed;
      };
      for (let i = 1; i <= 3; i++) {
        clock.advance(4999);
        expect(await unanswered(), `before echo ${i}`).to.equal(i - 1);
        clock.advance(1);
        expect(await unanswered(), `echo ${i} sent`).to.equal(i);
        await sw.waitFor(() => echoes() === i, 5000);
      }
      clock.advance(4999);
      expect(await unanswered(), 'no 4th echo').to.equal(3);
      expect(system.list().some((a) => a.kind === 'switch'), 'open just before 4 x interval').to.equal(true);
      clock.advance(1);
      await sw.waitClosed(2000);
      const lost = await c.waitEvent((e) => e.name === 'kytos/core.openflow.connection.lost');
      expect(lost.content.reason).to.equal('echo_timeout');
    } finally {
      sw.close();
      await c.stop();
      system.shutdown();
    }
  });
});
