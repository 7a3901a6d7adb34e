/**
 * Hand-written vectors for controller-to-switch state changes: FLOW_MOD with
 * every OpenFlow-basic OXM field, every action and instruction type;
 * GROUP_MOD; METER_MOD; PACKET_OUT. The GROUP_MOD, METER_MOD and PACKET_OUT
 * bytes were also sent to Open vSwitch 3.1.0 by ovs-capture.ts and accepted.
 */
import { hex, type ValidVector } from './helpers.js';

const ALL_ONES_64 = 0xffffffffffffffffn;

export const modifyVectors: ValidVector[] = [
  {
    name: 'FLOW_MOD ADD: L2-L4 IPv4/TCP match with masks, every instruction and action type',
    bytes: hex(
      '04 0e 01c8 00000064', // header: FLOW_MOD, length 456, xid 100
      '00000000000000ff', // cookie 0xff
      '0000000000000000', // cookie_mask
      '00', // table_id 0
      '00', // command ADD
      '003c', // idle_timeout 60
      '0078', // hard_timeout 120
      '8000', // priority 0x8000
      'ffffffff', // buffer_id NO_BUFFER
      'ffffffff', // out_port ANY
      'ffffffff', // out_group ANY
      '0003', // flags SEND_FLOW_REM|CHECK_OVERLAP
      '0000', // pad
      '0001 0084', // match: OXM, length 132
      '80000004 00000001', // in_port = 1
      '80000204 00000001', // in_phy_port = 1
      '80000510 0123456700000000 ffffffff00000000', // metadata/mask
      '80000606 001122334455', // eth_dst
      '8000090c 667788000000 ffffff000000', // eth_src/mask
      '80000a02 0800', // eth_type IPv4
      '80000d04 1064 1fff', // vlan_vid = PRESENT|100 / 0x1fff
      '80000e01 05', // vlan_pcp 5
      '80001001 2e', // ip_dscp 46
      '80001201 01', // ip_ecn 1
      '80001401 06', // ip_proto TCP
      '80001708 c0a80100 ffffff00', // ipv4_src 192.168.1.0/24
      '80001804 0a000001', // ipv4_dst 10.0.0.1
      '80001a02 04d2', // tcp_src 1234
      '80001c02 0050', // tcp_dst 80
      '00000000', // match padding to 136
      '0001 0008 01 000000', // GOTO_TABLE, len 8, table 1, pad
      '0002 0018 00000000', // WRITE_METADATA, len 24, pad
      '00000000000000aa 00000000000000ff', // metadata, metadata_mask
      '0003 0018 00000000', // WRITE_ACTIONS, len 24, pad
      '0015 0008 00000003', // SET_QUEUE 3
      '0016 0008 00000005', // GROUP 5
      '0004 00b8 00000000', // APPLY_ACTIONS, len 184, pad
      '0000 0010 00000002 0000 000000000000', // OUTPUT port 2, max_len 0, pad
      '000b 0008 00000000', // COPY_TTL_OUT
      '000c 0008 00000000', // COPY_TTL_IN
      '000f 0008 40 000000', // SET_MPLS_TTL 64
      '0010 0008 00000000', // DEC_MPLS_TTL
      '0011 0008 8100 0000', // PUSH_VLAN 0x8100
      '0012 0008 00000000', // POP_VLAN
      '0013 0008 8847 0000', // PUSH_MPLS 0x8847
      '0014 0008 0800 0000', // POP_MPLS to 0x0800
      '0017 0008 20 000000', // SET_NW_TTL 32
      '0018 0008 00000000', // DEC_NW_TTL
      '001a 0008 88e7 0000', // PUSH_PBB 0x88e7
      '001b 0008 00000000', // POP_PBB
      '0019 0010 80000c02 1005 000000000000', // SET_FIELD vlan_vid PRESENT|5, pad
      '0019 0018 80003610 20010db8000000000000000000000001', // SET_FIELD ipv6_dst 2001:db8::1
      'ffff 0010 00002320 0102030405060708', // EXPERIMENTER action (Nicira), 8 data bytes
      '0030 0008 01020304', // unknown action type 0x30, kept raw
      '0005 0008 00000000', // CLEAR_ACTIONS
      '0006 0008 00000007', // METER 7
      'ffff 0010 00002320 aabbccddeeff0011', // EXPERIMENTER instruction, 8 data bytes
    ),
    message: {
      type: 'flow_mod', version: 4, xid: 100, cookie: 0xffn, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 60,
      hardTimeout: 120, priority: 0x8000, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 3,
      match: [
        { field: 'in_port', value: 1 },
        { field: 'in_phy_port', value: 1 },
        { field: 'metadata', value: 0x0123456700000000n, mask: 0xffffffff00000000n },
        { field: 'eth_dst', value: '00:11:22:33:44:55' },
        { field: 'eth_src', value: '66:77:88:00:00:00', mask: 'ff:ff:ff:00:00:00' },
        { field: 'eth_type', value: 0x0800 },
        { field: 'vlan_vid', value: 0x1064, mask: 0x1fff },
        { field: 'vlan_pcp', value: 5 },
        { field: 'ip_dscp', value: 46 },
        { field: 'ip_ecn', value: 1 },
        { field: 'ip_proto', value: 6 },
        { field: 'ipv4_src', value: '192.168.1.0', mask: '255.255.255.0' },
        { field: 'ipv4_dst', value: '10.0.0.1' },
        { field: 'tcp_src', value: 1234 },
        { field: 'tcp_dst', value: 80 },
      ],
      instructions: [
        { type: 'goto_table', tableId: 1 },
        { type: 'write_metadata', metadata: 0xaan, metadataMask: 0xffn },
        { type: 'write_actions', actions: [{ type: 'set_queue', queueId: 3 }, { type: 'group', groupId: 5 }] },
        {
          type: 'apply_actions',
          actions: [
            { type: 'output', port: 2, maxLen: 0 },
            { type: 'copy_ttl_out' },
            { type: 'copy_ttl_in' },
            { type: 'set_mpls_ttl', mplsTtl: 64 },
            { type: 'dec_mpls_ttl' },
            { type: 'push_vlan', ethertype: 0x8100 },
            { type: 'pop_vlan' },
            { type: 'push_mpls', ethertype: 0x8847 },
            { type: 'pop_mpls', ethertype: 0x0800 },
            { type: 'set_nw_ttl', nwTtl: 32 },
            { type: 'dec_nw_ttl' },
            { type: 'push_pbb', ethertype: 0x88e7 },
            { type: 'pop_pbb' },
            { type: 'set_field', field: { field: 'vlan_vid', value: 0x1005 } },
            { type: 'set_field', field: { field: 'ipv6_dst', value: '2001:db8::1' } },
            { type: 'experimenter', experimenter: 0x2320, data: Buffer.from('0102030405060708', 'hex') },
            { type: 'unknown', actionType: 0x30, body: Buffer.from('01020304', 'hex') },
          ],
        },
        { type: 'clear_actions' },
        { type: 'meter', meterId: 7 },
        { type: 'experimenter', experimenter: 0x2320, data: Buffer.from('aabbccddeeff0011', 'hex') },
      ],
    },
  },
  {
    name: 'FLOW_MOD DELETE_STRICT: IPv6, ND, MPLS, PBB, tunnel, exthdr, UDP/SCTP/ICMP/ARP fields, NXM and experimenter OXMs',
    bytes: hex(
      '04 0e 0138 00000065', // header: FLOW_MOD, length 312, xid 101
      '0000000000000000', // cookie
      '0000000000000000', // cookie_mask
      '01', // table_id 1
      '04', // command DELETE_STRICT
      '0000 0000', // idle_timeout, hard_timeout
      '0064', // priority 100
      'ffffffff', // buffer_id NO_BUFFER
      'ffffffff', // out_port ANY
      'ffffffff', // out_group ANY
      '0000 0000', // flags, pad
      '0001 0108', // match: OXM, length 264
      '80003520 20010db8000000000000000000000000 ffffffff000000000000000000000000', // ipv6_src 2001:db8::/32
      '80003908 00012345 000fffff', // ipv6_flabel/mask
      '80003a01 87', // icmpv6_type 135 (neighbour solicitation)
      '80003c01 00', // icmpv6_code 0
      '80003e10 fe800000000000000000000000000001', // ipv6_nd_target fe80::1
      '80004006 000000000001', // ipv6_nd_sll
      '80004206 000000000002', // ipv6_nd_tll
      '80004404 00000010', // mpls_label 16
      '80004601 03', // mpls_tc 3
      '80004801 01', // mpls_bos 1
      '80004b06 123456 ffffff', // pbb_isid/mask (24 bits)
      '80004d10 0000000000001234 ffffffffffffffff', // tunnel_id/mask
      '80004f04 0005 01ff', // ipv6_exthdr NONEXT|AUTH / mask
      '80001e02 0035', // udp_src 53
      '80002002 0035', // udp_dst 53
      '80002202 0001', // sctp_src 1
      '80002402 0002', // sctp_dst 2
      '80002601 08', // icmpv4_type 8
      '80002801 00', // icmpv4_code 0
      '80002a02 0001', // arp_op request
      '80002d08 0a000001 ffffffff', // arp_spa/mask
      '80002e04 0a000002', // arp_tpa
      '8000310c 000000000001 ffffffffffff', // arp_sha/mask
      '80003206 000000000002', // arp_tha
      '00010004 0000000a', // NXM_1 field 0 (reg0), kept raw
      'ffff0208 00002320 00000001', // experimenter OXM field 1, kept raw
      // no padding: 264 is a multiple of 8; no instructions
    ),
    message: {
      type: 'flow_mod', version: 4, xid: 101, cookie: 0n, cookieMask: 0n, tableId: 1, command: 4, idleTimeout: 0,
      hardTimeout: 0, priority: 100, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
      match: [
        { field: 'ipv6_src', value: '2001:db8::', mask: 'ffff:ffff::' },
        { field: 'ipv6_flabel', value: 0x12345, mask: 0xfffff },
        { field: 'icmpv6_type', value: 135 },
        { field: 'icmpv6_code', value: 0 },
        { field: 'ipv6_nd_target', value: 'fe80::1' },
        { field: 'ipv6_nd_sll', value: '00:00:00:00:00:01' },
        { field: 'ipv6_nd_tll', value: '00:00:00:00:00:02' },
        { field: 'mpls_label', value: 16 },
        { field: 'mpls_tc', value: 3 },
        { field: 'mpls_bos', value: 1 },
        { field: 'pbb_isid', value: 0x123456, mask: 0xffffff },
        { field: 'tunnel_id', value: 0x1234n, mask: ALL_ONES_64 },
        { field: 'ipv6_exthdr', value: 5, mask: 0x1ff },
        { field: 'udp_src', value: 53 },
        { field: 'udp_dst', value: 53 },
        { field: 'sctp_src', value: 1 },
        { field: 'sctp_dst', value: 2 },
        { field: 'icmpv4_type', value: 8 },
        { field: 'icmpv4_code', value: 0 },
        { field: 'arp_op', value: 1 },
        { field: 'arp_spa', value: '10.0.0.1', mask: '255.255.255.255' },
        { field: 'arp_tpa', value: '10.0.0.2' },
        { field: 'arp_sha', value: '00:00:00:00:00:01', mask: 'ff:ff:ff:ff:ff:ff' },
        { field: 'arp_tha', value: '00:00:00:00:00:02' },
        { field: 'other', oxmClass: 1, oxmField: 0, hasMask: false, body: Buffer.from('0000000a', 'hex') },
        { field: 'other', oxmClass: 0xffff, oxmField: 1, hasMask: false, body: Buffer.from('0000232000000001', 'hex') },
      ],
      instructions: [],
    },
  },
  {
    name: 'GROUP_MOD ADD type ALL with one bucket (accepted by Open vSwitch 3.1.0)',
    bytes: hex(
      '04 0f 0030 00000012', // header: GROUP_MOD, length 48, xid 18
      '0000', // command ADD
      '00', // type ALL
      '00', // pad
      '00000001', // group_id 1
      '0020', // bucket len 32
      '0000', // weight 0
      'ffffffff', // watch_port ANY
      'ffffffff', // watch_group ANY
      '00000000', // pad
      '0000 0010 00000001 0000 000000000000', // OUTPUT port 1
    ),
    message: {
      type: 'group_mod', version: 4, xid: 18, command: 0, groupType: 0, groupId: 1,
      buckets: [{ weight: 0, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
    },
  },
  {
    name: 'GROUP_MOD MODIFY type SELECT with two weighted buckets and an empty one',
    bytes: hex(
      '04 0f 0068 00000013', // header: GROUP_MOD, length 104, xid 19
      '0001 01 00', // command MODIFY, type SELECT, pad
      '00000002', // group_id 2
      '0020 0032 ffffffff ffffffff 00000000', // bucket len 32, weight 50, watch ANY/ANY, pad
      '0000 0010 00000001 0000 000000000000', // OUTPUT port 1
      '0028 0032 ffffffff ffffffff 00000000', // bucket len 40, weight 50
      '0012 0008 00000000', // POP_VLAN
      '0000 0010 00000002 0000 000000000000', // OUTPUT port 2
      '0010 0000 00000003 00000004 00000000', // bucket len 16 (no actions), weight 0, watch_port 3, watch_group 4
    ),
    message: {
      type: 'group_mod', version: 4, xid: 19, command: 1, groupType: 1, groupId: 2,
      buckets: [
        { weight: 50, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 1, maxLen: 0 }] },
        { weight: 50, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [{ type: 'pop_vlan' }, { type: 'output', port: 2, maxLen: 0 }] },
        { weight: 0, watchPort: 3, watchGroup: 4, actions: [] },
      ],
    },
  },
  {
    name: 'METER_MOD ADD KBPS with one drop band (accepted by Open vSwitch 3.1.0)',
    bytes: hex(
      '04 1d 0020 00000013', // header: METER_MOD, length 32, xid 19
      '0000', // command ADD
      '0001', // flags KBPS
      '00000001', // meter_id 1
      '0001 0010', // band DROP, len 16
      '000003e8', // rate 1000
      '00000000', // burst_size 0
      '00000000', // pad
    ),
    message: { type: 'meter_mod', version: 4, xid: 19, command: 0, flags: 1, meterId: 1, bands: [{ type: 'drop', rate: 1000, burstSize: 0 }] },
  },
  {
    name: 'METER_MOD MODIFY PKTPS|BURST with dscp_remark and experimenter bands',
    bytes: hex(
      '04 1d 0038 00000015', // header: METER_MOD, length 56, xid 21
      '0001', // command MODIFY
      '0006', // flags PKTPS|BURST
      '00000002', // meter_id 2
      '0002 0010 00000064 0000000a 01 000000', // band DSCP_REMARK, len 16, rate 100, burst 10, prec_level 1, pad
      'ffff 0018 000000c8 00000014 00002320 0102030405060708', // band EXPERIMENTER, len 24, rate 200, burst 20, experimenter, data
    ),
    message: {
      type: 'meter_mod', version: 4, xid: 21, command: 1, flags: 6, meterId: 2,
      bands: [
        { type: 'dscp_remark', rate: 100, burstSize: 10, precLevel: 1 },
        { type: 'experimenter', rate: 200, burstSize: 20, experimenter: 0x2320, data: Buffer.from('0102030405060708', 'hex') },
      ],
    },
  },
  {
    name: 'PACKET_OUT of an ARP frame to port 2 (accepted by Open vSwitch 3.1.0)',
    bytes: hex(
      '04 0d 0052 0000000f', // header: PACKET_OUT, length 82, xid 15
      'ffffffff', // buffer_id NO_BUFFER
      'fffffffd', // in_port CONTROLLER
      '0010', // actions_len 16
      '000000000000', // pad
      '0000 0010 00000002 0000 000000000000', // OUTPUT port 2
      'ffffffffffff 000000000001 0806', // data: ethernet dst, src, type ARP
      '0001 0800 06 04 0001 000000000001 0a000001 000000000000 0a000002', // ARP request 10.0.0.1 -> 10.0.0.2
    ),
    message: {
      type: 'packet_out', version: 4, xid: 15, bufferId: 0xffffffff, inPort: 0xfffffffd,
      actions: [{ type: 'output', port: 2, maxLen: 0 }],
      data: Buffer.from('ffffffffffff000000000001080600010800060400010000000000010a0000010000000000000a000002', 'hex'),
    },
  },
  {
    name: 'PACKET_OUT of a buffered packet with no actions (drop)',
    bytes: hex(
      '04 0d 0018 00000010', // header: PACKET_OUT, length 24, xid 16
      '00000100', // buffer_id 256
      '00000001', // in_port 1
      '0000', // actions_len 0
      '000000000000', // pad
    ),
    message: { type: 'packet_out', version: 4, xid: 16, bufferId: 256, inPort: 1, actions: [], data: Buffer.alloc(0) },
  },
];
