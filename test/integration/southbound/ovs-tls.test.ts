/**
 * TLS with real Open vSwitch (`ovs-vsctl set-ssl`): one OVS instance, one
 * client certificate for all its bridges, mapped to the dpids it may announce.
 * A bridge whose dpid the certificate does not cover is disconnected and
 * reported. Certificates are made here with the openssl CLI.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { startController, type Controller } from './harness.js';
import { until } from '../../helpers/log.js';

function makePki(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=lattice-test-ca');
  for (const [who, cn] of [['server', '127.0.0.1'], ['ovs', 'ovs-a']] as const) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${cn}`);
    run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2');
  }
}

describe('southbound TLS with real Open vSwitch: certificate -> dpids', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: Controller;
  let dir: string;

  before(async function () {
    await skipWithoutOvs(this);
    dir = mkdtempSync(join(tmpdir(), 'lattice-ovs-pki-'));
    makePki(dir);
    const f = (n: string) => readFileSync(join(dir, n));
    c = await startController({
      plaintext: false,
      tls: {
        port: 0,
        cert: f('server.pem'),
        key: f('server.key'),
        ca: f('ca.pem'),
        requireClientCert: true,
        // The certificate covers br-a's dpid, not br-b's.
        dpidsByCertificate: { 'cn:ovs-a': [dpidColon(0xa1)] },
      },
    });
    ovs = await startOvs();
    await ovs.vsctl(['set-ssl', join(dir, 'ovs.key'), join(dir, 'ovs.pem'), join(dir, 'ca.pem')]);
    await ovs.addBridge('br-a', 0xa1);
    await ovs.addBridge('br-b', 0xb2);
    for (const br of ['br-a', 'br-b']) await ovs.vsctl(['set-controller', br, `ssl:127.0.0.1:${c.tlsPort}`]);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should bring the covered bridge to ready over TLS and disconnect and report the other', async () => {
    await until(() => c.southbound.list().some((s) => s.dpid === dpidColon(0xa1)), 20_000, 'br-a ready over TLS');
    const refused = await c.waitEvent((e) => e.name === 'lattice/southbound.switch.refused' && e.content.dpid === dpidColon(0xb2), 20_000);
    expect(refused.content).to.include({ reason: 'certificate_dpid_mismatch', certificate_cn: 'ovs-a' });
    expect(c.events.some((e) => e.name === 'kytos/core.openflow.connection.lost' && e.content.reason === 'certificate_dpid_mismatch')).to.equal(true);
    expect(c.southbound.list().map((s) => s.dpid)).to.deep.equal([dpidColon(0xa1)]);
    // Still only br-a after OVS retried br-b.
    await new Promise((r) => setTimeout(r, 1500));
    expect(c.southbound.list().map((s) => s.dpid)).to.deep.equal([dpidColon(0xa1)]);
    const reply = await c.southbound.request(dpidColon(0xa1), { type: 'features_request', version: 4, xid: 0 });
    expect(reply.type).to.equal('features_reply');
  });
});
