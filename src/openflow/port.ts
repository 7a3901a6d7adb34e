/** 7.2.1 struct ofp_port (64 bytes). */
import { OFP_MAX_PORT_NAME_LEN } from './constants.js';
import { readMac, writeMac } from './addr.js';
import { OfCodecError } from './errors.js';
import type { Reader, Writer } from './wire.js';

export const OFP_PORT_LEN = 64;

export interface OfPort {
  portNo: number;
  /** 'aa:bb:cc:dd:ee:ff' */
  hwAddr: string;
  /** Up to 15 characters (NUL-padded to 16 on the wire). */
  name: string;
  /** OFPPC_* bits. */
  config: number;
  /** OFPPS_* bits. */
  state: number;
  /** OFPPF_* bits. */
  curr: number;
  advertised: number;
  supported: number;
  peer: number;
  /** kbps */
  currSpeed: number;
  /** kbps */
  maxSpeed: number;
}

export function decodePort(r: Reader): OfPort {
  const portNo = r.u32('port.port_no');
  r.skip(4);
  const hwAddr = readMac(r, 'port.hw_addr');
  r.skip(2);
  return {
    portNo,
    hwAddr,
    name: r.fixedString(OFP_MAX_PORT_NAME_LEN, 'port.name'),
    config: r.u32('port.config'),
    state: r.u32('port.state'),
    curr: r.u32('port.curr'),
    advertised: r.u32('port.advertised'),
    supported: r.u32('port.supported'),
    peer: r.u32('port.peer'),
    currSpeed: r.u32('port.curr_speed'),
    maxSpeed: r.u32('port.max_speed'),
  };
}

export function encodePort(w: Writer, p: OfPort): void {
  w.u32(p.portNo, 'port.port_no').zeros(4);
  writeMac(w, p.hwAddr, 'port.hw_addr');
  w.zeros(2);
  w.fixedString(p.name, OFP_MAX_PORT_NAME_LEN, 'port.name');
  w.u32(p.config, 'port.config')
    .u32(p.state, 'port.state')
    .u32(p.curr, 'port.curr')
    .u32(p.advertised, 'port.advertised')
    .u32(p.supported, 'port.supported')
    .u32(p.peer, 'port.peer')
    .u32(p.currSpeed, 'port.curr_speed')
    .u32(p.maxSpeed, 'port.max_speed');
}

/** An array of ofp_port filling the reader (PORT_DESC reply body). */
export function decodePortList(r: Reader): OfPort[] {
  if (r.remaining % OFP_PORT_LEN !== 0) {
    throw new OfCodecError('BAD_LENGTH', `port list: ${r.remaining} bytes is not a multiple of ${OFP_PORT_LEN}`);
  }
  const out: OfPort[] = [];
  while (r.remaining > 0) out.push(decodePort(r));
  return out;
}
