/** 7.5.1 OFPT_HELLO: a list of hello elements (may be empty). Decoded for any version. */
import { decodeHelloElements, encodeHelloElements, type HelloElement } from '../hello-element.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export interface HelloMessage extends MessageBase {
  type: 'hello';
  elements: HelloElement[];
}

export function decode(r: Reader, h: OfHeader): HelloMessage {
  return { type: 'hello', version: h.version, xid: h.xid, elements: decodeHelloElements(r) };
}

export function encode(w: Writer, m: HelloMessage): void {
  encodeHelloElements(w, m.elements);
}
