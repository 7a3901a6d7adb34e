/**
 * Frames captured from Open vSwitch 3.1.0 (userspace, dummy datapath, bridge
 * br0 with dpid 1, ports p1, p2 and later p3) by ovs-capture.ts, split by field.
 */
import { hex, str, zeros, OVS, type ValidVector } from './helpers.js';

const S = OVS;

export const ovsCapturedVectors: ValidVector[] = [
  {
    name: 'OVS HELLO with a version bitmap of 1.3 only',
    source: S,
    bytes: hex(
      '04 00 0010 00000001', // header: v1.3, HELLO, length 16, xid 1
      '0001 0008', // element: VERSIONBITMAP, length 8
      '00000010', // bitmap: bit 4 (OpenFlow 1.3)
    ),
    message: { type: 'hello', version: 4, xid: 1, elements: [{ type: 'versionbitmap', bitmaps: [0x10] }] },
  },
  {
    name: 'OVS FEATURES_REPLY',
    source: S,
    bytes: hex(
      '04 06 0020 00000002', // header: FEATURES_REPLY, length 32, xid 2
      '0000000000000001', // datapath_id 1
      '00000000', // n_buffers 0
      'fe', // n_tables 254
      '00', // auxiliary_id 0
      '0000', // pad
      '0000004f', // capabilities: FLOW_STATS|TABLE_STATS|PORT_STATS|GROUP_STATS|QUEUE_STATS
      '00000000', // reserved
    ),
    message: {
      type: 'features_reply', version: 4, xid: 2, datapathId: 1n, nBuffers: 0, nTables: 254, auxiliaryId: 0,
      capabilities: 0x4f, reserved: 0,
    },
  },
  {
    name: 'OVS PORT_DESC reply: LOCAL, p1, p2',
    source: S,
    bytes: hex(
      '04 13 00d0 00000003', // header: MULTIPART_REPLY, length 208, xid 3
      '000d 0000 00000000', // type PORT_DESC, flags 0, pad
      // port LOCAL
      'fffffffe 00000000', // port_no OFPP_LOCAL, pad
      '1af16d391a4b 0000', // hw_addr, pad
      str('br0', 16), // name
      '00000000', // config
      '00000004', // state LIVE
      '00000000 00000000 00000000 00000000', // curr, advertised, supported, peer
      '00000000 00000000', // curr_speed, max_speed
      // port 1
      '00000001 00000000', // port_no 1, pad
      'aa55aa550002 0000', // hw_addr, pad
      str('p1', 16), // name
      '00000000', // config
      '00000004', // state LIVE
      '00000000 00000000 00000000 00000000', // curr, advertised, supported, peer
      '00000000 00000000', // curr_speed, max_speed
      // port 2
      '00000002 00000000', // port_no 2, pad
      'aa55aa550001 0000', // hw_addr, pad
      str('p2', 16), // name
      '00000000', // config
      '00000004', // state LIVE
      '00000000 00000000 00000000 00000000', // curr, advertised, supported, peer
      '00000000 00000000', // curr_speed, max_speed
    ),
    message: {
      type: 'multipart_reply', version: 4, xid: 3, flags: 0,
      body: {
        mpType: 'port_desc',
        ports: [
          { portNo: 0xfffffffe, hwAddr: '1a:f1:6d:39:1a:4b', name: 'br0', config: 0, state: 4, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0 },
          { portNo: 1, hwAddr: 'aa:55:aa:55:00:02', name: 'p1', config: 0, state: 4, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0 },
          { portNo: 2, hwAddr: 'aa:55:aa:55:00:01', name: 'p2', config: 0, state: 4, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0 },
        ],
      },
    },
  },
  {
    name: 'OVS DESC reply',
    source: S,
    bytes: hex(
      '04 13 0430 00000004', // header: MULTIPART_REPLY, length 1072, xid 4
      '0000 0000 00000000', // type DESC, flags 0, pad
      str('Nicira, Inc.', 256), // mfr_desc
      str('Open vSwitch', 256), // hw_desc
      str('3.1.0', 256), // sw_desc
      str('None', 32), // serial_num
      str('None', 256), // dp_desc
    ),
    message: {
      type: 'multipart_reply', version: 4, xid: 4, flags: 0,
      body: { mpType: 'desc', desc: { mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: 'None' } },
    },
  },
  {
    name: 'OVS GET_CONFIG_REPLY after SET_CONFIG miss_send_len 0xffff',
    source: S,
    bytes: hex(
      '04 08 000c 00000006', // header: GET_CONFIG_REPLY, length 12, xid 6
      '0000', // flags FRAG_NORMAL
      'ffff', // miss_send_len OFPCML_NO_BUFFER
    ),
    message: { type: 'get_config_reply', version: 4, xid: 6, flags: 0, missSendLen: 0xffff },
  },
  {
    name: 'OVS ECHO_REPLY echoing "lattice"',
    source: S,
    bytes: hex(
      '04 03 000f 00000007', // header: ECHO_REPLY, length 15, xid 7
      '6c617474696365', // data "lattice"
    ),
    message: { type: 'echo_reply', version: 4, xid: 7, data: Buffer.from('lattice') },
  },
  {
    name: 'OVS ECHO_REQUEST (inactivity probe)',
    source: S,
    bytes: hex('04 02 0008 00000000'), // header only: ECHO_REQUEST, length 8, xid 0
    message: { type: 'echo_request', version: 4, xid: 0, data: Buffer.alloc(0) },
  },
  {
    name: 'OVS ROLE_REPLY to a NOCHANGE request',
    source: S,
    bytes: hex(
      '04 19 0018 00000008', // header: ROLE_REPLY, length 24, xid 8
      '00000001', // role EQUAL
      '00000000', // pad
      'ffffffffffffffff', // generation_id (none set yet)
    ),
    message: { type: 'role_reply', version: 4, xid: 8, role: 1, generationId: 0xffffffffffffffffn },
  },
  {
    name: 'OVS BARRIER_REPLY',
    source: S,
    bytes: hex('04 15 0008 0000000b'), // header only: BARRIER_REPLY, xid 11
    message: { type: 'barrier_reply', version: 4, xid: 11 },
  },
  {
    name: 'OVS FLOW stats reply with two flows',
    source: S,
    bytes: hex(
      '04 13 00c8 0000000c', // header: MULTIPART_REPLY, length 200, xid 12
      '0001 0000 00000000', // type FLOW, flags 0, pad
      // flow 1
      '0068', // length 104
      '00 00', // table_id 0, pad
      '00000000', // duration_sec 0
      '000f4240', // duration_nsec 1000000
      '0064', // priority 100
      '0000 0000', // idle_timeout, hard_timeout
      '0001', // flags SEND_FLOW_REM
      '00000000', // pad
      '0000000000000abc', // cookie 0xabc
      '0000000000000000', // packet_count
      '0000000000000000', // byte_count
      '0001 001e', // match: OXM, length 30
      '80000004 00000002', // in_port = 2
      '80000a02 0800', // eth_type = 0x0800
      '80001908 0a000000 ffffff00', // ipv4_dst = 10.0.0.0/255.255.255.0
      '0000', // match padding
      '0004 0018 00000000', // instruction APPLY_ACTIONS, len 24, pad
      '0000 0010 00000001 0000 000000000000', // action OUTPUT, len 16, port 1, max_len 0, pad
      // flow 2
      '0050', // length 80
      '00 00', // table_id 0, pad
      '00000000', // duration_sec 0
      '029020c0', // duration_nsec 43000000
      '0000', // priority 0
      '0000 0000', // idle_timeout, hard_timeout
      '0000', // flags
      '00000000', // pad
      '0000000000000000', // cookie
      '0000000000000000', // packet_count
      '0000000000000000', // byte_count
      '0001 0004 00000000', // match: OXM, length 4 (empty), padding
      '0004 0018 00000000', // instruction APPLY_ACTIONS, len 24, pad
      '0000 0010 fffffffd ffff 000000000000', // action OUTPUT, len 16, port CONTROLLER, max_len NO_BUFFER, pad
    ),
    message: {
      type: 'multipart_reply', version: 4, xid: 12, flags: 0,
      body: {
        mpType: 'flow',
        flows: [
          {
            tableId: 0, durationSec: 0, durationNsec: 1000000, priority: 100, idleTimeout: 0, hardTimeout: 0, flags: 1,
            cookie: 0xabcn, packetCount: 0n, byteCount: 0n,
            match: [{ field: 'in_port', value: 2 }, { field: 'eth_type', value: 0x0800 }, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }],
            instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
          },
          {
            tableId: 0, durationSec: 0, durationNsec: 43000000, priority: 0, idleTimeout: 0, hardTimeout: 0, flags: 0,
            cookie: 0n, packetCount: 0n, byteCount: 0n, match: [],
            instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 0xfffffffd, maxLen: 0xffff }] }],
          },
        ],
      },
    },
  },
  {
    name: 'OVS PORT_STATS reply for port 1 (unsupported counters all ones)',
    source: S,
    bytes: hex(
      '04 13 0080 0000000d', // header: MULTIPART_REPLY, length 128, xid 13
      '0004 0000 00000000', // type PORT_STATS, flags 0, pad
      '00000001 00000000', // port_no 1, pad
      '0000000000000000 0000000000000000', // rx_packets, tx_packets
      '0000000000000000 0000000000000000', // rx_bytes, tx_bytes
      'ffffffffffffffff ffffffffffffffff', // rx_dropped, tx_dropped (unsupported: all ones)
      'ffffffffffffffff ffffffffffffffff', // rx_errors, tx_errors
      'ffffffffffffffff ffffffffffffffff', // rx_frame_err, rx_over_err
      'ffffffffffffffff ffffffffffffffff', // rx_crc_err, collisions
      '00000000', // duration_sec 0
      '05b8d800', // duration_nsec 96000000
    ),
    message: {
      type: 'multipart_reply', version: 4, xid: 13, flags: 0,
      body: {
        mpType: 'port_stats',
        ports: [
          {
            portNo: 1, rxPackets: 0n, txPackets: 0n, rxBytes: 0n, txBytes: 0n, rxDropped: 0xffffffffffffffffn,
            txDropped: 0xffffffffffffffffn, rxErrors: 0xffffffffffffffffn, txErrors: 0xffffffffffffffffn,
            rxFrameErr: 0xffffffffffffffffn, rxOverErr: 0xffffffffffffffffn, rxCrcErr: 0xffffffffffffffffn,
            collisions: 0xffffffffffffffffn, durationSec: 0, durationNsec: 96000000,
          },
        ],
      },
    },
  },
  {
    name: 'OVS PACKET_IN of an ARP request on the table-miss flow',
    source: S,
    bytes: hex(
      '04 0a 0054 00000000', // header: PACKET_IN, length 84, xid 0
      'ffffffff', // buffer_id NO_BUFFER
      '002a', // total_len 42
      '00', // reason NO_MATCH (table-miss flow)
      '00', // table_id 0
      '0000000000000000', // cookie
      '0001 000c', // match: OXM, length 12
      '80000004 00000001', // in_port = 1
      '00000000', // match padding
      '0000', // pad
      'ffffffffffff 000000000001 0806', // ethernet: dst broadcast, src, type ARP
      '0001 0800 06 04 0001', // ARP: htype, ptype, hlen, plen, op request
      '000000000001 c0a80001', // sha, spa 192.168.0.1
      '000000000000 c0a80002', // tha, tpa 192.168.0.2
    ),
    message: {
      type: 'packet_in', version: 4, xid: 0, bufferId: 0xffffffff, totalLen: 42, reason: 0, tableId: 0, cookie: 0n,
      match: [{ field: 'in_port', value: 1 }],
      data: Buffer.from('ffffffffffff00000000000108060001080006040001000000000001c0a80001000000000000c0a80002', 'hex'),
    },
  },
  {
    name: 'OVS FLOW_REMOVED after a DELETE by cookie',
    source: S,
    bytes: hex(
      '04 0b 0050 00000000', // header: FLOW_REMOVED, length 80, xid 0
      '0000000000000abc', // cookie 0xabc
      '0064', // priority 100
      '02', // reason DELETE
      '00', // table_id 0
      '00000000', // duration_sec 0
      '03197500', // duration_nsec 52000000
      '0000 0000', // idle_timeout, hard_timeout
      '0000000000000000', // packet_count
      '0000000000000000', // byte_count
      '0001 001e', // match: OXM, length 30
      '80000004 00000002', // in_port = 2
      '80000a02 0800', // eth_type = 0x0800
      '80001908 0a000000 ffffff00', // ipv4_dst = 10.0.0.0/24
      '0000', // match padding
    ),
    message: {
      type: 'flow_removed', version: 4, xid: 0, cookie: 0xabcn, priority: 100, reason: 2, tableId: 0, durationSec: 0,
      durationNsec: 52000000, idleTimeout: 0, hardTimeout: 0, packetCount: 0n, byteCount: 0n,
      match: [{ field: 'in_port', value: 2 }, { field: 'eth_type', value: 0x0800 }, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }],
    },
  },
  ...(['add', 'modify', 'delete'] as const).map((what): ValidVector => {
    const reason = { add: 0, modify: 2, delete: 1 }[what];
    const state = what === 'add' ? 0 : 4;
    return {
      name: `OVS PORT_STATUS ${what} for p3`,
      source: S,
      bytes: hex(
        '04 0c 0050 00000000', // header: PORT_STATUS, length 80, xid 0
        `0${reason}`, // reason
        zeros(7), // pad
        '00000003 00000000', // port_no 3, pad
        'aa55aa550004 0000', // hw_addr, pad
        str('p3', 16), // name
        '00000000', // config
        `0000000${state}`, // state (LIVE once up)
        '00000000 00000000 00000000 00000000', // curr, advertised, supported, peer
        '00000000 00000000', // curr_speed, max_speed
      ),
      message: {
        type: 'port_status', version: 4, xid: 0, reason,
        port: { portNo: 3, hwAddr: 'aa:55:aa:55:00:04', name: 'p3', config: 0, state, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0 },
      },
    };
  }),
  {
    name: 'OVS ERROR BAD_REQUEST/BAD_TYPE for message type 200',
    source: S,
    bytes: hex(
      '04 01 0014 00000011', // header: ERROR, length 20, xid 17
      '0001', // type BAD_REQUEST
      '0001', // code BAD_TYPE
      '04c8000800000011', // data: the offending message
    ),
    message: { type: 'error', version: 4, xid: 17, errType: 1, code: 1, data: Buffer.from('04c8000800000011', 'hex') },
  },
];
