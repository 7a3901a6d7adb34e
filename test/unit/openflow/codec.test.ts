import { expect } from 'chai';
import {
  bitmapVersions,
  decodeMessage,
  encodeMessage,
  errorReplyFor,
  ipv6ToString,
  messageTypeCode,
  messageTypeName,
  OFP_HEADER_LEN,
  OFP_MAX_LEN,
  OFP_VERSION,
  ofp,
  OfCodecError,
  peekHeader,
  versionBitmap,
  type OfMessage,
} from '../../../src/openflow/index.js';
import { ipv6ToBytes } from '../../../src/openflow/addr.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(OfCodecError);
    return (e as OfCodecError).code;
  }
  throw new Error('did not throw');
}

const flowMod = (over: Partial<OfMessage & { type: 'flow_mod' }> = {}): OfMessage => ({
  type: 'flow_mod', version: 4, xid: 1, cookie: 0n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0,
  priority: 1, bufferId: ofp.OFP_NO_BUFFER, outPort: ofp.OFPP.ANY, outGroup: ofp.OFPG.ANY, flags: 0, match: [], instructions: [],
  ...over,
});

describe('openflow codec API', () => {
  it('should export the protocol constants the brief names', () => {
    expect([OFP_VERSION, OFP_HEADER_LEN, OFP_MAX_LEN]).to.deep.equal([4, 8, 65535]);
  });

  describe('peekHeader', () => {
    it('should read version, type, length and xid at an offset', () => {
      const buf = Buffer.from('ffff' + '040a0054deadbeef', 'hex');
      expect(peekHeader(buf, 2)).to.deep.equal({ version: 4, type: 10, length: 0x54, xid: 0xdeadbeef });
    });
    it('should return undefined with fewer than 8 bytes', () => {
      expect(peekHeader(Buffer.from('04000008000000', 'hex'))).to.equal(undefined);
      expect(peekHeader(Buffer.from('040000080000000100', 'hex'), 2)).to.equal(undefined);
    });
  });

  describe('messageTypeName', () => {
    it('should give Kytos-style names for every 1.3 type', () => {
      expect(messageTypeName(10)).to.equal('ofpt_packet_in');
      expect(messageTypeName(0)).to.equal('ofpt_hello');
      expect(messageTypeName(19)).to.equal('ofpt_multipart_reply');
      expect(messageTypeName(29)).to.equal('ofpt_meter_mod');
      for (const v of Object.values(ofp.OFPT)) expect(messageTypeName(v)).to.match(/^ofpt_[a-z_]+$/);
    });
    it('should name unknown codes ofpt_unknown', () => {
      expect(messageTypeName(200)).to.equal('ofpt_unknown');
    });
    it('should agree with messageTypeCode for decoded messages', () => {
      // PACKET_IN, length 34: buffer_id, total_len, reason, table_id, cookie, empty match, pad 2, no data
      const m = decodeMessage(Buffer.from('040a002200000000' + 'ffffffff 0000 00 00 0000000000000000 0001000400000000 0000'.replace(/ /g, ''), 'hex'));
      expect(m.type).to.equal('packet_in');
      expect(messageTypeCode(m)).to.equal(10);
    });
  });

  describe('OfCodecError', () => {
    it('should carry name, code and the OpenFlow error it maps to', () => {
      try {
        decodeMessage(Buffer.from('04000004 00000001'.replace(' ', ''), 'hex'));
        expect.fail('no throw');
      } catch (e) {
        const err = e as OfCodecError;
        expect(err).to.be.instanceOf(Error);
        expect([err.name, err.code, err.ofType, err.ofCode]).to.deep.equal(['OfCodecError', 'BAD_LENGTH', ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_LEN]);
      }
    });
    it('should build the OFPT_ERROR reply: same xid, mapped type/code, first 64 bytes of the frame', () => {
      const frame = Buffer.concat([Buffer.from('050e0050000000aa', 'hex'), Buffer.alloc(72, 1)]);
      let err: OfCodecError | undefined;
      try {
        decodeMessage(frame);
      } catch (e) {
        err = e as OfCodecError;
      }
      const reply = errorReplyFor(err!, frame);
      expect(reply.xid).to.equal(0xaa);
      expect([reply.errType, reply.code]).to.deep.equal([ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.BAD_VERSION]);
      expect(reply.data.equals(frame.subarray(0, 64))).to.equal(true);
      const bytes = encodeMessage(reply);
      expect(bytes.length).to.equal(8 + 4 + 64);
      expect(decodeMessage(bytes)).to.deep.equal(reply);
    });
  });

  describe('every 1.3 error type has its code table', () => {
    it('should list a code table for each OFPET except EXPERIMENTER', () => {
      for (const [name, t] of Object.entries(ofp.OFPET)) {
        if (name === 'EXPERIMENTER') continue;
        expect(ofp.OF_ERROR_CODES[t], name).to.be.an('object');
      }
      expect(Object.keys(ofp.OFPBRC)).to.have.length(14);
      expect(Object.keys(ofp.OFPBAC)).to.have.length(16);
      expect(Object.keys(ofp.OFPBMC)).to.have.length(12);
      expect(Object.keys(ofp.OFPGMFC)).to.have.length(15);
      expect(Object.keys(ofp.OFPMMFC)).to.have.length(12);
    });
  });

  describe('HELLO version bitmaps', () => {
    it('should build and read bitmaps across words', () => {
      expect(versionBitmap([4])).to.deep.equal({ type: 'versionbitmap', bitmaps: [0x10] });
      expect(versionBitmap([1, 4, 33])).to.deep.equal({ type: 'versionbitmap', bitmaps: [0x12, 0x2] });
      expect(bitmapVersions([versionBitmap([1, 4, 33])])).to.deep.equal([1, 4, 33]);
      expect(bitmapVersions([versionBitmap([31])])).to.deep.equal([31]);
    });
    it('should say undefined when a HELLO has no bitmap', () => {
      expect(bitmapVersions([])).to.equal(undefined);
    });
  });

  describe('addresses', () => {
    it('should print IPv6 in RFC 5952 form', () => {
      const cases: Array<[string, string]> = [
        ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
        ['0:0:0:0:0:0:0:0', '::'],
        ['0:0:0:0:0:0:0:1', '::1'],
        ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
        ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
        ['fe80::', 'fe80::'],
        ['::ffff:10.0.0.1', '::ffff:a00:1'],
      ];
      for (const [input, want] of cases) expect(ipv6ToString(ipv6ToBytes(input)), input).to.equal(want);
    });
    it('should reject malformed addresses with BAD_FIELD', () => {
      for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1', '1:2:3:4:5:6:7']) {
        expect(codeOf(() => ipv6ToBytes(bad)), bad).to.equal('BAD_FIELD');
      }
      const withMatch = (field: object): OfMessage => flowMod({ match: [field as never] });
      expect(codeOf(() => encodeMessage(withMatch({ field: 'eth_dst', value: '00:11:22:33:44' })))).to.equal('BAD_FIELD');
      expect(codeOf(() => encodeMessage(withMatch({ field: 'ipv4_src', value: '10.0.0.256' })))).to.equal('BAD_FIELD');
    });
  });

  describe('encoding validates what it is given', () => {
    it('should reject out-of-range numbers with BAD_FIELD', () => {
      expect(codeOf(() => encodeMessage(flowMod({ priority: 70000 })))).to.equal('BAD_FIELD');
      expect(codeOf(() => encodeMessage(flowMod({ tableId: -1 })))).to.equal('BAD_FIELD');
      expect(codeOf(() => encodeMessage(flowMod({ xid: 1.5 })))).to.equal('BAD_FIELD');
      expect(codeOf(() => encodeMessage(flowMod({ cookie: -1n })))).to.equal('BAD_FIELD');
      expect(codeOf(() => encodeMessage(flowMod({ match: [{ field: 'vlan_pcp', value: 256 }] })))).to.equal('BAD_FIELD');
    });
    it('should reject a message longer than 65535 bytes with BAD_LENGTH', () => {
      expect(codeOf(() => encodeMessage({ type: 'echo_request', version: 4, xid: 1, data: Buffer.alloc(65528) }))).to.equal('BAD_LENGTH');
      expect(encodeMessage({ type: 'echo_request', version: 4, xid: 1, data: Buffer.alloc(65527) }).length).to.equal(65535);
    });
    it('should reject an unknown message type with BAD_TYPE', () => {
      expect(codeOf(() => encodeMessage({ type: 'nope', version: 4, xid: 1 } as unknown as OfMessage))).to.equal('BAD_TYPE');
    });
    it('should reject raw actions whose length is not a multiple of 8', () => {
      const m = flowMod({ instructions: [{ type: 'apply_actions', actions: [{ type: 'experimenter', experimenter: 1, data: Buffer.alloc(3) }] }] });
      expect(codeOf(() => encodeMessage(m))).to.equal('BAD_FIELD');
    });
    it('should reject port names of 16 bytes or more', () => {
      const port = { portNo: 1, hwAddr: '00:00:00:00:00:01', name: 'x'.repeat(16), config: 0, state: 0, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0 };
      expect(codeOf(() => encodeMessage({ type: 'port_status', version: 4, xid: 0, reason: 0, port }))).to.equal('BAD_FIELD');
    });
  });

  it('should not alias the frame: decoded payloads survive reuse of the input buffer', () => {
    const frame = Buffer.from('0402000c0000000101020304', 'hex');
    const m = decodeMessage(frame);
    frame.fill(0);
    expect(m.type === 'echo_request' && m.data.toString('hex')).to.equal('01020304');
  });
});

describe('openflow codec: raw OXM encoding bounds', () => {
  it('should reject an OXM field number above 127 instead of wrapping it', () => {
    const m: OfMessage = {
      type: 'flow_mod', version: 4, xid: 1, cookie: 0n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0,
      priority: 1, bufferId: 0, outPort: 0, outGroup: 0, flags: 0, instructions: [],
      match: [{ field: 'other', oxmClass: 1, oxmField: 128, hasMask: false, body: Buffer.alloc(4) }],
    };
    expect(codeOf(() => encodeMessage(m))).to.equal('BAD_FIELD');
  });
});

describe('openflow codec: names that exist on Object.prototype', () => {
  it('should reject them as unknown with OfCodecError, not a TypeError', () => {
    const bad = (field: string): OfMessage => ({
      type: 'packet_in', version: 4, xid: 1, bufferId: 0, totalLen: 0, reason: 0, tableId: 0, cookie: 0n, data: Buffer.alloc(0),
      match: [{ field, value: 1 } as never],
    });
    expect(codeOf(() => encodeMessage(bad('toString')))).to.equal('BAD_FIELD');
    expect(codeOf(() => encodeMessage(bad('constructor')))).to.equal('BAD_FIELD');
    expect(codeOf(() => encodeMessage({ type: 'constructor', version: 4, xid: 1 } as unknown as OfMessage))).to.equal('BAD_TYPE');
  });
});
