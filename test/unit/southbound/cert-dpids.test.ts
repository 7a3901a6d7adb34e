import { expect } from 'chai';
import { certificateRefusal, normaliseDpid } from '../../../src/southbound/cert-dpids.js';

describe('certificate -> dpids', () => {
  const map = {
    'cn:ovs-a': ['00:00:00:00:00:00:00:01', '0x2'],
    'sha256:abcdef': ['*'],
  };

  it('should normalise dpids', () => {
    expect(normaliseDpid('0x2')).to.equal('00:00:00:00:00:00:00:02');
    expect(normaliseDpid('00:00:00:00:00:00:0A:BC')).to.equal('00:00:00:00:00:00:0a:bc');
  });

  it('should let a certificate announce only its dpids', () => {
    expect(certificateRefusal(map, { cn: 'ovs-a' }, '00:00:00:00:00:00:00:01')).to.equal(undefined);
    expect(certificateRefusal(map, { cn: 'ovs-a' }, '00:00:00:00:00:00:00:02')).to.equal(undefined);
    expect(certificateRefusal(map, { cn: 'ovs-a' }, '00:00:00:00:00:00:00:03')).to.equal('certificate_dpid_mismatch');
    expect(certificateRefusal(map, { cn: 'ovs-b' }, '00:00:00:00:00:00:00:01')).to.equal('certificate_dpid_mismatch');
    expect(certificateRefusal(map, { cn: 'x', fingerprint256: 'AB:CD:EF' }, '00:00:00:00:00:00:00:09')).to.equal(undefined);
    expect(certificateRefusal(map, {}, '00:00:00:00:00:00:00:01')).to.equal('no_client_certificate');
  });

  it('should check nothing with an empty map, nor on plaintext connections', () => {
    expect(certificateRefusal({}, { cn: 'anyone' }, '00:00:00:00:00:00:00:07')).to.equal(undefined);
    expect(certificateRefusal(map, null, '00:00:00:00:00:00:00:07')).to.equal(undefined);
  });
});
