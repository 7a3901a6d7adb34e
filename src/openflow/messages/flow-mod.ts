/**
 * 7.3.4.1 OFPT_FLOW_MOD: cookie u64, cookie_mask u64, table_id u8,
 * command u8 (OFPFC_*), idle_timeout u16, hard_timeout u16, priority u16,
 * buffer_id u32, out_port u32, out_group u32, flags u16 (OFPFF_*), pad 2,
 * match, instructions.
 */
import type { MessageBase, OfHeader } from '../header.js';
import { decodeInstructions, encodeInstructions, type Instruction } from '../instruction.js';
import { decodeMatch, encodeMatch, type Match } from '../match.js';
import type { Reader, Writer } from '../wire.js';

export interface FlowModMessage extends MessageBase {
  type: 'flow_mod';
  cookie: bigint;
  cookieMask: bigint;
  tableId: number;
  command: number;
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  bufferId: number;
  outPort: number;
  outGroup: number;
  flags: number;
  match: Match;
  instructions: Instruction[];
}

export function decode(r: Reader, h: OfHeader): FlowModMessage {
  const cookie = r.u64('cookie');
  const cookieMask = r.u64('cookie_mask');
  const tableId = r.u8('table_id');
  const command = r.u8('command');
  const idleTimeout = r.u16('idle_timeout');
  const hardTimeout = r.u16('hard_timeout');
  const priority = r.u16('priority');
  const bufferId = r.u32('buffer_id');
  const outPort = r.u32('out_port');
  const outGroup = r.u32('out_group');
  const flags = r.u16('flags');
  r.skip(2);
  const match = decodeMatch(r);
  const instructions = decodeInstructions(r);
  return {
    type: 'flow_mod',
    version: h.version,
    xid: h.xid,
    cookie,
    cookieMask,
    tableId,
    command,
    idleTimeout,
    hardTimeout,
    priority,
    bufferId,
    outPort,
    outGroup,
    flags,
    match,
    instructions,
  };
}

export function encode(w: Writer, m: FlowModMessage): void {
  w.u64(m.cookie, 'cookie')
    .u64(m.cookieMask, 'cookie_mask')
    .u8(m.tableId, 'table_id')
    .u8(m.command, 'command')
    .u16(m.idleTimeout, 'idle_timeout')
    .u16(m.hardTimeout, 'hard_timeout')
    .u16(m.priority, 'priority')
    .u32(m.bufferId, 'buffer_id')
    .u32(m.outPort, 'out_port')
    .u32(m.outGroup, 'out_group')
    .u16(m.flags, 'flags')
    .zeros(2);
  encodeMatch(w, m.match);
  encodeInstructions(w, m.instructions);
}
