/**
 * Malformed frames and the codec error code each must raise. Tests assert the
 * code (and, where given, the OpenFlow error it maps to), never the text.
 */
import { hex, type ErrorVector } from './helpers.js';

const FLOW_MOD_HEAD = (len: string): string =>
  `04 0e ${len} 00000001 0000000000000000 0000000000000000 00 00 0000 0000 8000 ffffffff ffffffff ffffffff 0000 0000`;

export const errorVectors: ErrorVector[] = [
  { name: 'empty frame', bytes: hex(''), code: 'SHORT_HEADER', of: [1, 6] },
  { name: '7-byte frame', bytes: hex('04 00 0008 000000'), code: 'SHORT_HEADER' },
  { name: 'header length below 8', bytes: hex('04 00 0004 00000001'), code: 'BAD_LENGTH', of: [1, 6] },
  { name: 'header length 0', bytes: hex('04 02 0000 00000001'), code: 'BAD_LENGTH' },
  { name: 'header length past the frame', bytes: hex('04 02 0010 00000001 0102'), code: 'BAD_LENGTH' },
  { name: 'header length shorter than the frame', bytes: hex('04 02 0008 00000001 0102'), code: 'BAD_LENGTH' },
  { name: 'FEATURES_REQUEST from version 1.0', bytes: hex('01 05 0008 00000001'), code: 'BAD_VERSION', of: [1, 0] },
  { name: 'FLOW_MOD with version 0x05', bytes: hex('05 0e 0008 00000001'), code: 'BAD_VERSION' },
  { name: 'BARRIER_REQUEST with a body', bytes: hex('04 14 000c 00000001 00000000'), code: 'BAD_LENGTH' },
  { name: 'FEATURES_REPLY short body', bytes: hex('04 06 0010 00000001 0000000000000001'), code: 'BAD_LENGTH' },
  { name: 'SET_CONFIG 3-byte body', bytes: hex('04 09 000b 00000001 000080'), code: 'BAD_LENGTH' },
  { name: 'ERROR with 2-byte body', bytes: hex('04 01 000a 00000001 0001'), code: 'TRUNCATED' },
  { name: 'ROLE_REQUEST short', bytes: hex('04 18 0010 00000001 00000002 00000000'), code: 'BAD_LENGTH' },
  {
    name: 'HELLO element of length 0 (would loop)',
    bytes: hex('04 00 0010 00000001', '0001 0000 00000000'),
    code: 'ZERO_LENGTH_TLV',
  },
  { name: 'HELLO element length 2', bytes: hex('04 00 0010 00000001', '0001 0002 00000000'), code: 'BAD_LENGTH' },
  { name: 'HELLO element length past the data', bytes: hex('04 00 0010 00000001', '0001 0010 00000010'), code: 'TRUNCATED' },
  { name: 'HELLO element header cut', bytes: hex('04 00 000a 00000001', '0001'), code: 'TRUNCATED' },
  { name: 'HELLO version bitmap not whole words', bytes: hex('04 00 0010 00000001', '0001 0006 0010 0000'), code: 'BAD_LENGTH' },
  {
    name: 'FLOW_MOD match of type STANDARD',
    bytes: hex(FLOW_MOD_HEAD('0038'), '0000 0004 00000000'),
    code: 'BAD_MATCH',
    of: [4, 0],
  },
  { name: 'FLOW_MOD match length 2', bytes: hex(FLOW_MOD_HEAD('0038'), '0001 0002 00000000'), code: 'BAD_MATCH', of: [4, 1] },
  { name: 'FLOW_MOD match length past the data', bytes: hex(FLOW_MOD_HEAD('0038'), '0001 0040 00000000'), code: 'TRUNCATED' },
  { name: 'FLOW_MOD missing match', bytes: hex(FLOW_MOD_HEAD('0030')), code: 'TRUNCATED' },
  {
    name: 'OXM of length 0',
    bytes: hex(FLOW_MOD_HEAD('0038'), '0001 0008 80000000'),
    code: 'ZERO_LENGTH_TLV',
    of: [4, 1], // OFPET_BAD_MATCH / OFPBMC_BAD_LEN
  },
  {
    name: 'OXM in_port whose value is missing',
    bytes: hex(FLOW_MOD_HEAD('0038'), '0001 0008 80000004'),
    code: 'TRUNCATED',
  },
  {
    name: 'OXM in_port with wrong length 2 and data',
    bytes: hex(FLOW_MOD_HEAD('0040'), '0001 000a 80000002 0001 000000000000'),
    code: 'BAD_MATCH',
    of: [4, 1],
  },
  {
    name: 'OXM length past the match',
    bytes: hex(FLOW_MOD_HEAD('0040'), '0001 000c 80000008 00000001 00000000'),
    code: 'TRUNCATED',
  },
  {
    name: 'match with 3 trailing bytes after the last OXM',
    bytes: hex(FLOW_MOD_HEAD('0040'), '0001 000f 80000004 00000001 000000 00'),
    code: 'BAD_MATCH',
  },
  {
    name: 'instruction of length 0 (would loop)',
    bytes: hex(FLOW_MOD_HEAD('0040'), '0001 0004 00000000', '0004 0000 00000000'),
    code: 'ZERO_LENGTH_TLV',
    of: [3, 7], // OFPET_BAD_INSTRUCTION / OFPBIC_BAD_LEN
  },
  {
    name: 'instruction length 4',
    bytes: hex(FLOW_MOD_HEAD('0040'), '0001 0004 00000000', '0001 0004 00000000'),
    code: 'BAD_INSTRUCTION',
    of: [3, 7],
  },
  {
    name: 'instruction length not a multiple of 8',
    bytes: hex(FLOW_MOD_HEAD('0048'), '0001 0004 00000000', '0004 000c 00000000 00000000 00000000'),
    code: 'BAD_INSTRUCTION',
  },
  {
    name: 'instruction length past the data',
    bytes: hex(FLOW_MOD_HEAD('0040'), '0001 0004 00000000', '0004 0018 00000000'),
    code: 'TRUNCATED',
  },
  {
    name: 'goto_table with length 16',
    bytes: hex(FLOW_MOD_HEAD('0048'), '0001 0004 00000000', '0001 0010 01000000 0000000000000000'),
    code: 'BAD_INSTRUCTION',
  },
  {
    name: 'instruction list with 4 trailing bytes',
    bytes: hex(FLOW_MOD_HEAD('003c'), '0001 0004 00000000', '0005 0008'),
    code: 'BAD_INSTRUCTION',
  },
  {
    name: 'action of length 0 (would loop)',
    bytes: hex(FLOW_MOD_HEAD('0048'), '0001 0004 00000000', '0004 0010 00000000', '0000 0000 00000000'),
    code: 'ZERO_LENGTH_TLV',
    of: [2, 1], // OFPET_BAD_ACTION / OFPBAC_BAD_LEN
  },
  {
    name: 'output action with length 8',
    bytes: hex(FLOW_MOD_HEAD('0048'), '0001 0004 00000000', '0004 0010 00000000', '0000 0008 00000001'),
    code: 'BAD_ACTION',
    of: [2, 1],
  },
  {
    name: 'action length past its instruction',
    bytes: hex(FLOW_MOD_HEAD('0048'), '0001 0004 00000000', '0004 0010 00000000', '0000 0010 00000001'),
    code: 'TRUNCATED',
  },
  {
    name: 'set_field with an OXM longer than the action',
    bytes: hex(FLOW_MOD_HEAD('0048'), '0001 0004 00000000', '0004 0010 00000000', '0019 0008 80000c10'),
    code: 'TRUNCATED',
  },
  {
    name: 'set_field with a zero-length OXM',
    bytes: hex(FLOW_MOD_HEAD('0048'), '0001 0004 00000000', '0004 0010 00000000', '0019 0008 80000c00'),
    code: 'ZERO_LENGTH_TLV',
  },
  {
    name: 'set_field with bad OXM length for vlan_vid',
    bytes: hex(FLOW_MOD_HEAD('0050'), '0001 0004 00000000', '0004 0018 00000000', '0019 0010 80000c01 05 000000 00000000'),
    code: 'BAD_ACTION',
    of: [2, 14],
  },
  {
    name: 'set_field with 8 bytes after the OXM',
    bytes: hex(FLOW_MOD_HEAD('0058'), '0001 0004 00000000', '0004 0020 00000000', '0019 0018 80000e01 05', '00'.repeat(15)),
    code: 'BAD_ACTION',
  },
  {
    name: 'PACKET_OUT actions_len past the data',
    bytes: hex('04 0d 0020 00000001', 'ffffffff fffffffd 0010 000000000000', '0000 0010 00000001'),
    code: 'TRUNCATED',
  },
  {
    name: 'PACKET_OUT actions_len 4 (a cut action)',
    bytes: hex('04 0d 001c 00000001', 'ffffffff fffffffd 0004 000000000000', '0000 0010'),
    code: 'BAD_ACTION',
  },
  {
    name: 'GROUP_MOD bucket of length 0 (would loop)',
    bytes: hex('04 0f 0020 00000001', '0000 00 00 00000001', '0000 0000 ffffffff ffffffff 00000000'),
    code: 'ZERO_LENGTH_TLV',
  },
  {
    name: 'GROUP_MOD bucket length 8',
    bytes: hex('04 0f 0018 00000001', '0000 00 00 00000001', '0008 0000 ffffffff'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'METER_MOD band of length 0 (would loop)',
    bytes: hex('04 1d 0020 00000001', '0000 0001 00000001', '0001 0000 000003e8 00000000 00000000'),
    code: 'ZERO_LENGTH_TLV',
  },
  {
    name: 'METER_MOD drop band length 24',
    bytes: hex('04 1d 0028 00000001', '0000 0001 00000001', '0001 0018 000003e8 00000000 00000000 0000000000000000'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'METER_MOD band length past the data',
    bytes: hex('04 1d 0020 00000001', '0000 0001 00000001', '0001 0020 000003e8 00000000 00000000'),
    code: 'TRUNCATED',
  },
  {
    name: 'PORT_STATUS short',
    bytes: hex('04 0c 0010 00000000', '00 00000000000000'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'PORT_DESC reply with half a port',
    bytes: hex('04 13 0030 00000001', '000d 0000 00000000', '00000001 00000000 aa55aa550002 0000 7031000000000000 0000000000000000'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'DESC reply cut short',
    bytes: hex('04 13 0018 00000001', '0000 0000 00000000', '4e69636972610000'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'FLOW stats entry of length 0 (would loop)',
    bytes: hex('04 13 0050 00000001', '0001 0000 00000000', '0000'.padEnd(128, '0')),
    code: 'ZERO_LENGTH_TLV',
  },
  {
    name: 'FLOW stats entry length past the data',
    bytes: hex('04 13 0050 00000001', '0001 0000 00000000', '0080'.padEnd(128, '0')),
    code: 'TRUNCATED',
  },
  {
    name: 'FLOW stats request with bytes after the match',
    bytes: hex('04 12 0040 00000001', '0001 0000 00000000', 'ff000000 ffffffff ffffffff 00000000', '0000000000000000 0000000000000000', '0001 0004 00000000', '0000000000000000'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'PORT_STATS request short',
    bytes: hex('04 12 0014 00000001', '0004 0000 00000000', 'ffffffff'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'TABLE stats reply with a partial entry',
    bytes: hex('04 13 0020 00000001', '0003 0000 00000000', '00000000 00000000 0000000000000000'),
    code: 'BAD_LENGTH',
  },
  {
    name: 'MULTIPART_REPLY header cut',
    bytes: hex('04 13 000c 00000001', '000d 0000'),
    code: 'TRUNCATED',
  },
  {
    name: 'PACKET_IN cut inside its match',
    bytes: hex('04 0a 0020 00000000', 'ffffffff 002a 00 00 0000000000000000', '0001 000c 80000004'),
    code: 'TRUNCATED',
  },
];
