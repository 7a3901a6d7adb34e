/**
 * 7.3.2 struct ofp_switch_config: flags u16 (OFPC_FRAG_*), miss_send_len u16.
 * Body of OFPT_GET_CONFIG_REPLY and OFPT_SET_CONFIG (one module: same layout).
 */
import { OFPT } from '../constants.js';
import { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

interface SwitchConfig extends MessageBase {
  flags: number;
  missSendLen: number;
}

export interface GetConfigReplyMessage extends SwitchConfig {
  type: 'get_config_reply';
}

export interface SetConfigMessage extends SwitchConfig {
  type: 'set_config';
}

export function decode(r: Reader, h: OfHeader): GetConfigReplyMessage | SetConfigMessage {
  if (r.remaining !== 4) throw new OfCodecError('BAD_LENGTH', `switch config: body ${r.remaining} != 4`);
  const type = h.type === OFPT.SET_CONFIG ? 'set_config' : 'get_config_reply';
  return { type, version: h.version, xid: h.xid, flags: r.u16('flags'), missSendLen: r.u16('miss_send_len') };
}

export function encode(w: Writer, m: GetConfigReplyMessage | SetConfigMessage): void {
  w.u16(m.flags, 'flags').u16(m.missSendLen, 'miss_send_len');
}
