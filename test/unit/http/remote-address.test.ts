import { expect } from 'chai';
import { formatRemoteAddress } from '../../../src/http/remote-address.js';

const bytes = (...b: number[]) => new Uint8Array(b).buffer;
const v6 = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/:/g, ''), 'hex')).buffer;

describe('formatRemoteAddress', () => {
  it('should write IPv4 dotted', () => {
    expect(formatRemoteAddress(bytes(10, 0, 0, 254))).to.equal('10.0.0.254');
  });
  it('should strip the ::ffff: prefix of an IPv4-mapped peer', () => {
    expect(formatRemoteAddress(v6('0000:0000:0000:0000:0000:ffff:7f00:0001'))).to.equal('127.0.0.1');
  });
  it('should write IPv6 in RFC 5952 form', () => {
    expect(formatRemoteAddress(v6('0000:0000:0000:0000:0000:0000:0000:0001'))).to.equal('::1');
    expect(formatRemoteAddress(v6('2001:0db8:0000:0000:0001:0000:0000:0001'))).to.equal('2001:db8::1:0:0:1');
    expect(formatRemoteAddress(v6('2001:0db8:0000:0001:0001:0001:0001:0001'))).to.equal('2001:db8:0:1:1:1:1:1');
    expect(formatRemoteAddress(v6('fe80:0000:0000:0000:0000:0000:0000:0000'))).to.equal('fe80::');
    expect(formatRemoteAddress(v6('0000:0000:0000:0000:0000:0000:0000:0000'))).to.equal('::');
    expect(formatRemoteAddress(v6('0000:0000:0000:0000:0000:ffff:0000:0000'))).to.equal('0.0.0.0');
  });
  it('should answer empty for anything else (a socket with no peer address)', () => {
    expect(formatRemoteAddress(new ArrayBuffer(0))).to.equal('');
  });
});
