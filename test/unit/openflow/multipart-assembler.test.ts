import { expect } from 'chai';
import {
  decodeMessage,
  encodeMessage,
  MultipartAssembler,
  OfCodecError,
  type MultipartReplyBody,
  type MultipartReplyMessage,
  type OfPort,
} from '../../../src/openflow/index.js';

const port = (n: number): OfPort => ({
  portNo: n, hwAddr: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`, name: `p${n}`, config: 0, state: 4,
  curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0,
});

const part = (xid: number, more: boolean, body: MultipartReplyBody): MultipartReplyMessage => ({
  type: 'multipart_reply', version: 4, xid, flags: more ? 1 : 0, body,
});

/** Sends a part through encode/decode first, as it would arrive from a switch. */
const wire = (m: MultipartReplyMessage): MultipartReplyMessage => decodeMessage(encodeMessage(m)) as MultipartReplyMessage;

describe('MultipartAssembler', () => {
  it('should pass a reply without REPLY_MORE through at once', () => {
    const a = new MultipartAssembler();
    const m = part(1, false, { mpType: 'port_desc', ports: [port(1)] });
    expect(a.push(m)).to.equal(m);
    expect(a.size).to.equal(0);
  });

  it('should join PORT_DESC parts by xid into one reply, in order, with the flag cleared', () => {
    const a = new MultipartAssembler();
    expect(a.push(wire(part(7, true, { mpType: 'port_desc', ports: [port(1), port(2)] })))).to.equal(undefined);
    expect(a.push(wire(part(7, true, { mpType: 'port_desc', ports: [port(3)] })))).to.equal(undefined);
    expect(a.size).to.equal(1);
    const whole = a.push(wire(part(7, false, { mpType: 'port_desc', ports: [port(4)] })));
    expect(whole).to.deep.equal(part(7, false, { mpType: 'port_desc', ports: [port(1), port(2), port(3), port(4)] }));
    expect(a.size).to.equal(0);
  });

  it('should keep interleaved xids apart', () => {
    const a = new MultipartAssembler();
    a.push(part(1, true, { mpType: 'table', tables: [{ tableId: 0, activeCount: 1, lookupCount: 1n, matchedCount: 1n }] }));
    a.push(part(2, true, { mpType: 'port_stats', ports: [] }));
    const t = a.push(part(1, false, { mpType: 'table', tables: [{ tableId: 1, activeCount: 0, lookupCount: 0n, matchedCount: 0n }] }));
    expect(t?.body.mpType === 'table' && t.body.tables.map((x) => x.tableId)).to.deep.equal([0, 1]);
    expect(a.size).to.equal(1);
    const f = a.push(part(2, false, { mpType: 'port_stats', ports: [] }));
    expect(f?.body).to.deep.equal({ mpType: 'port_stats', ports: [] });
  });

  it('should concatenate raw bodies of the same multipart type', () => {
    const a = new MultipartAssembler();
    a.push(part(3, true, { mpType: 'raw', code: 7, body: Buffer.from('0102', 'hex') }));
    const whole = a.push(part(3, false, { mpType: 'raw', code: 7, body: Buffer.from('0304', 'hex') }));
    expect(whole?.body).to.deep.equal({ mpType: 'raw', code: 7, body: Buffer.from('01020304', 'hex') });
  });

  it('should join FLOW stats parts', () => {
    const a = new MultipartAssembler();
    const flow = (priority: number) => ({
      tableId: 0, durationSec: 0, durationNsec: 0, priority, idleTimeout: 0, hardTimeout: 0, flags: 0,
      cookie: 0n, packetCount: 0n, byteCount: 0n, match: [], instructions: [],
    });
    a.push(wire(part(9, true, { mpType: 'flow', flows: [flow(1)] })));
    const whole = a.push(wire(part(9, false, { mpType: 'flow', flows: [flow(2), flow(3)] })));
    expect(whole?.body.mpType === 'flow' && whole.body.flows.map((f) => f.priority)).to.deep.equal([1, 2, 3]);
  });

  it('should reject a part that changes the multipart type, and forget the xid', () => {
    const a = new MultipartAssembler();
    a.push(part(5, true, { mpType: 'port_desc', ports: [] }));
    expect(() => a.push(part(5, false, { mpType: 'table', tables: [] }))).to.throw(OfCodecError).with.property('code', 'MULTIPART_MISMATCH');
    expect(a.size).to.equal(0);
  });

  it('should bound the xids in flight and the parts per xid', () => {
    const a = new MultipartAssembler({ maxPending: 2, maxParts: 3 });
    a.push(part(1, true, { mpType: 'port_desc', ports: [] }));
    a.push(part(2, true, { mpType: 'port_desc', ports: [] }));
    expect(() => a.push(part(3, true, { mpType: 'port_desc', ports: [] }))).to.throw(OfCodecError);
    a.push(part(1, true, { mpType: 'port_desc', ports: [] }));
    a.push(part(1, true, { mpType: 'port_desc', ports: [] }));
    let err: unknown;
    try {
      a.push(part(1, true, { mpType: 'port_desc', ports: [] }));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(OfCodecError);
    expect((err as OfCodecError).ofCode).to.equal(13); // OFPBRC_MULTIPART_BUFFER_OVERFLOW
    expect(a.size).to.equal(1);
  });

  it('should drop a partial reply on discard', () => {
    const a = new MultipartAssembler();
    a.push(part(8, true, { mpType: 'port_desc', ports: [port(1)] }));
    expect(a.discard(8)).to.equal(true);
    const m = part(8, false, { mpType: 'port_desc', ports: [port(2)] });
    expect(a.push(m)).to.equal(m);
  });
});
