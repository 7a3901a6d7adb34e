/**
 * Messages that are a bare header: 7.3.1 OFPT_FEATURES_REQUEST, 7.3.2
 * OFPT_GET_CONFIG_REQUEST, 7.3.8 OFPT_BARRIER_REQUEST / OFPT_BARRIER_REPLY.
 * A body on them is rejected (OFPBRC_BAD_LEN), as Open vSwitch does.
 */
import { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

export type EmptyMessageType = 'features_request' | 'get_config_request' | 'barrier_request' | 'barrier_reply';

export interface EmptyMessage<T extends EmptyMessageType = EmptyMessageType> extends MessageBase {
  type: T;
}

export function decodeAs<T extends EmptyMessageType>(type: T) {
  return (r: Reader, h: OfHeader): EmptyMessage<T> => {
    if (r.remaining !== 0) throw new OfCodecError('BAD_LENGTH', `${type}: unexpected ${r.remaining}-byte body`);
    return { type, version: h.version, xid: h.xid };
  };
}

export function encode(_w: Writer, _m: EmptyMessage): void {
  // header only
}
