/**
 * 7.5.1 OFPT_HELLO: a list of hello elements (may be empty). Decoded for any
 * version. Versions before 1.3 (0x01-0x03) define no elements and their specs
 * say a HELLO body must be ignored: such a body is kept unparsed in
 * `ignoredBody` instead of failing the negotiation.
 */
import { OFP_VERSION } from '../constants.js';
import { decodeHelloElements, encodeHelloElements, type HelloElement } from '../hello-element.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export interface HelloMessage extends MessageBase {
  type: 'hello';
  elements: HelloElement[];
  /** The body of a pre-1.3 HELLO, which carries no elements; absent when empty. */
  ignoredBody?: Buffer;
}

export function decode(r: Reader, h: OfHeader): HelloMessage {
  if (h.version < OFP_VERSION && r.remaining > 0) {
    return { type: 'hello', version: h.version, xid: h.xid, elements: [], ignoredBody: r.rest() };
  }
  return { type: 'hello', version: h.version, xid: h.xid, elements: decodeHelloElements(r) };
}

export function encode(w: Writer, m: HelloMessage): void {
  encodeHelloElements(w, m.elements);
  if (m.ignoredBody) w.bytes(m.ignoredBody);
}
