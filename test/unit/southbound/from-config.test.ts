import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { southboundOptionsFromConfig } from '../../../src/southbound/index.js';

describe('southboundOptionsFromConfig', () => {
  it('should map the default openflow config to southbound options without TLS', () => {
    const c = loadConfig({ overrides: {} });
    const o = southboundOptionsFromConfig(c.openflow);
    expect(o).to.include({ port: c.openflow.port, echoIntervalMs: c.openflow.echoIntervalMs, echoMissedLimit: c.openflow.echoMissedLimit });
    expect(o.tls).to.equal(undefined);
  });

  it('should read the TLS files when a TLS port is set, and refuse a TLS port without cert/key', () => {
    const c = loadConfig({ overrides: {} }).openflow;
    const read = (p: string) => Buffer.from(`pem:${p}`);
    const o = southboundOptionsFromConfig({ ...c, tlsPort: 6654, tlsCert: '/c.pem', tlsKey: '/k.pem', tlsCa: '', tlsRequireClientCert: true }, read);
    expect(o.tls?.port).to.equal(6654);
    expect(String(o.tls?.cert)).to.equal('pem:/c.pem');
    expect(o.tls?.ca).to.equal(undefined);
    expect(o.tls?.requireClientCert).to.equal(true);
    expect(() => southboundOptionsFromConfig({ ...c, tlsPort: 6654, tlsCert: '', tlsKey: '' }, read)).to.throw(/tlsCert/);
  });
});
