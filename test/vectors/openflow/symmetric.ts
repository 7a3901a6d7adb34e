/** Hand-written vectors: HELLO, ERROR, ECHO, EXPERIMENTER, bare and raw messages. */
import { hex, type ValidVector } from './helpers.js';

export const symmetricVectors: ValidVector[] = [
  {
    name: 'HELLO with no elements (OpenFlow 1.0 style, version 1)',
    bytes: hex('01 00 0008 0000002a'), // header: v1.0, HELLO, length 8, xid 42
    message: { type: 'hello', version: 1, xid: 42, elements: [] },
  },
  {
    name: 'HELLO from OpenFlow 1.0 with a body, kept unparsed (1.0 says ignore it)',
    bytes: hex(
      '01 00 000b 0000002b', // header: v1.0, HELLO, length 11, xid 43
      '000000', // body: 3 bytes that are no hello element
    ),
    message: { type: 'hello', version: 1, xid: 43, elements: [], ignoredBody: Buffer.from('000000', 'hex') },
  },
  {
    name: 'HELLO announcing 1.0 and 1.3, plus an unknown element with padding',
    bytes: hex(
      '04 00 0020 00000005', // header: HELLO, length 32, xid 5
      '0001 0008', // element VERSIONBITMAP, length 8
      '00000012', // bitmap: bits 1 (1.0) and 4 (1.3)
      '0007 000b', // element type 7 (unknown), length 11
      '01020304050607', // its 7 body bytes
      '0000000000', // padding to 16
    ),
    message: {
      type: 'hello', version: 4, xid: 5,
      elements: [{ type: 'versionbitmap', bitmaps: [0x12] }, { type: 'unknown', elemType: 7, body: Buffer.from('01020304050607', 'hex') }],
    },
  },
  {
    name: 'HELLO with a two-word version bitmap (versions 4 and 33)',
    bytes: hex(
      '04 00 0018 00000006', // header: HELLO, length 24, xid 6
      '0001 000c', // element VERSIONBITMAP, length 12
      '00000010 00000002', // bitmaps: bit 4; bit 33
      '00000000', // padding to 16
    ),
    message: { type: 'hello', version: 4, xid: 6, elements: [{ type: 'versionbitmap', bitmaps: [0x10, 0x2] }] },
  },
  {
    name: 'ERROR HELLO_FAILED/INCOMPATIBLE with text',
    bytes: hex(
      '04 01 0010 00000000', // header: ERROR, length 16, xid 0
      '0000', // type HELLO_FAILED
      '0000', // code INCOMPATIBLE
      '6e6f2031', // data "no 1"
    ),
    message: { type: 'error', version: 4, xid: 0, errType: 0, code: 0, data: Buffer.from('no 1') },
  },
  {
    name: 'ERROR from a version 1.0 peer decodes (any version)',
    bytes: hex('01 01 000c 00000001', '0000 0000'), // header v1.0 ERROR; HELLO_FAILED/INCOMPATIBLE, no data
    message: { type: 'error', version: 1, xid: 1, errType: 0, code: 0, data: Buffer.alloc(0) },
  },
  {
    name: 'ERROR, experimenter form',
    bytes: hex(
      '04 01 0014 00000009', // header: ERROR, length 20, xid 9
      'ffff', // type OFPET_EXPERIMENTER
      '0102', // exp_type 0x0102
      '00002320', // experimenter (Nicira)
      'deadbeef', // data
    ),
    message: { type: 'error', version: 4, xid: 9, errType: 0xffff, code: 0x0102, experimenter: 0x2320, data: Buffer.from('deadbeef', 'hex') },
  },
  {
    name: 'ECHO_REQUEST with payload',
    bytes: hex('04 02 000c 12345678', '01020304'), // header: ECHO_REQUEST, length 12, xid; data
    message: { type: 'echo_request', version: 4, xid: 0x12345678, data: Buffer.from('01020304', 'hex') },
  },
  {
    name: 'EXPERIMENTER message',
    bytes: hex(
      '04 04 0014 00000003', // header: EXPERIMENTER, length 20, xid 3
      '00002320', // experimenter (Nicira)
      '00000010', // exp_type 16
      'cafebabe', // data
    ),
    message: { type: 'experimenter', version: 4, xid: 3, experimenter: 0x2320, expType: 16, data: Buffer.from('cafebabe', 'hex') },
  },
  {
    name: 'FEATURES_REQUEST',
    bytes: hex('04 05 0008 00000002'),
    message: { type: 'features_request', version: 4, xid: 2 },
  },
  {
    name: 'GET_CONFIG_REQUEST',
    bytes: hex('04 07 0008 00000006'),
    message: { type: 'get_config_request', version: 4, xid: 6 },
  },
  {
    name: 'SET_CONFIG: FRAG_DROP, miss_send_len 128',
    bytes: hex('04 09 000c 00000005', '0001', '0080'), // header; flags FRAG_DROP; miss_send_len 128
    message: { type: 'set_config', version: 4, xid: 5, flags: 1, missSendLen: 128 },
  },
  {
    name: 'BARRIER_REQUEST',
    bytes: hex('04 14 0008 ffffffff'), // xid 0xffffffff
    message: { type: 'barrier_request', version: 4, xid: 0xffffffff },
  },
  {
    name: 'ROLE_REQUEST MASTER with generation id',
    bytes: hex(
      '04 18 0018 00000008', // header: ROLE_REQUEST, length 24, xid 8
      '00000002', // role MASTER
      '00000000', // pad
      '0000000000000007', // generation_id 7
    ),
    message: { type: 'role_request', version: 4, xid: 8, role: 2, generationId: 7n },
  },
  {
    name: 'PORT_MOD kept raw',
    bytes: hex(
      '04 10 0028 00000004', // header: PORT_MOD (not decoded), length 40, xid 4
      '00000001 00000000 aa55aa550002 0000', // port_no, pad, hw_addr, pad
      '00000001 00000001 00000000 00000000', // config PORT_DOWN, mask, advertise, pad
    ),
    message: {
      type: 'raw', version: 4, xid: 4, msgType: 16,
      body: Buffer.from('0000000100000000aa55aa55000200000000000100000001' + '0000000000000000', 'hex'),
    },
  },
  {
    name: 'unknown message type 200 kept raw',
    bytes: hex('04 c8 000a 00000011', 'beef'), // header: type 200, length 10; body
    message: { type: 'raw', version: 4, xid: 17, msgType: 200, body: Buffer.from('beef', 'hex') },
  },
];
