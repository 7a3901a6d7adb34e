/**
 * 7.3.9 OFPT_ROLE_REQUEST / OFPT_ROLE_REPLY (struct ofp_role_request):
 * role u32 (OFPCR_ROLE_*), pad 4, generation_id u64. One module: same layout.
 */
import { OFPT } from '../constants.js';
import { OfCodecError } from '../errors.js';
import type { MessageBase, OfHeader } from '../header.js';
import type { Reader, Writer } from '../wire.js';

interface Role extends MessageBase {
  role: number;
  generationId: bigint;
}

export interface RoleRequestMessage extends Role {
  type: 'role_request';
}

export interface RoleReplyMessage extends Role {
  type: 'role_reply';
}

export function decode(r: Reader, h: OfHeader): RoleRequestMessage | RoleReplyMessage {
  if (r.remaining !== 16) throw new OfCodecError('BAD_LENGTH', `role: body ${r.remaining} != 16`);
  const type = h.type === OFPT.ROLE_REQUEST ? 'role_request' : 'role_reply';
  const role = r.u32('role');
  r.skip(4);
  return { type, version: h.version, xid: h.xid, role, generationId: r.u64('generation_id') };
}

export function encode(w: Writer, m: RoleRequestMessage | RoleReplyMessage): void {
  w.u32(m.role, 'role').zeros(4).u64(m.generationId, 'generation_id');
}
