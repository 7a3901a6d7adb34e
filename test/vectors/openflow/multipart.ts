/** Hand-written MULTIPART request/reply vectors (the replies OVS sent are in ovs-captured.ts). */
import { hex, str, type ValidVector } from './helpers.js';

export const multipartVectors: ValidVector[] = [
  {
    name: 'MULTIPART_REQUEST DESC',
    bytes: hex('04 12 0010 00000004', '0000 0000 00000000'), // header; type DESC, flags 0, pad
    message: { type: 'multipart_request', version: 4, xid: 4, flags: 0, body: { mpType: 'desc' } },
  },
  {
    name: 'MULTIPART_REQUEST PORT_DESC',
    bytes: hex('04 12 0010 00000003', '000d 0000 00000000'), // header; type PORT_DESC, flags 0, pad
    message: { type: 'multipart_request', version: 4, xid: 3, flags: 0, body: { mpType: 'port_desc' } },
  },
  {
    name: 'MULTIPART_REQUEST TABLE',
    bytes: hex('04 12 0010 0000000e', '0003 0000 00000000'), // header; type TABLE, flags 0, pad
    message: { type: 'multipart_request', version: 4, xid: 14, flags: 0, body: { mpType: 'table' } },
  },
  {
    name: 'MULTIPART_REQUEST PORT_STATS for all ports',
    bytes: hex('04 12 0018 0000000d', '0004 0000 00000000', 'ffffffff 00000000'), // header; PORT_STATS; port_no ANY, pad
    message: { type: 'multipart_request', version: 4, xid: 13, flags: 0, body: { mpType: 'port_stats', portNo: 0xffffffff } },
  },
  {
    name: 'MULTIPART_REQUEST FLOW for table 0 by cookie, matching eth_type',
    bytes: hex(
      '04 12 0040 0000000c', // header: MULTIPART_REQUEST, length 64, xid 12
      '0001 0000 00000000', // type FLOW, flags 0, pad
      '00 000000', // table_id 0, pad
      'ffffffff', // out_port ANY
      'ffffffff', // out_group ANY
      '00000000', // pad
      '0000000000000abc', // cookie
      'ffffffffffffffff', // cookie_mask
      '0001 000a 80000a02 0800', // match: OXM, length 10, eth_type IPv4
      '000000000000', // match padding to 16
    ),
    message: {
      type: 'multipart_request', version: 4, xid: 12, flags: 0,
      body: {
        mpType: 'flow', tableId: 0, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0xabcn, cookieMask: 0xffffffffffffffffn,
        match: [{ field: 'eth_type', value: 0x0800 }],
      },
    },
  },
  {
    name: 'MULTIPART_REQUEST GROUP_DESC kept raw',
    bytes: hex('04 12 0010 00000020', '0007 0000 00000000'), // header; type GROUP_DESC, flags 0, pad
    message: { type: 'multipart_request', version: 4, xid: 32, flags: 0, body: { mpType: 'raw', code: 7, body: Buffer.alloc(0) } },
  },
  {
    name: 'MULTIPART_REQUEST METER_CONFIG kept raw, with body',
    bytes: hex('04 12 0018 00000021', '000a 0000 00000000', 'ffffffff 00000000'), // header; METER_CONFIG; meter_id ALL, pad
    message: {
      type: 'multipart_request', version: 4, xid: 33, flags: 0,
      body: { mpType: 'raw', code: 10, body: Buffer.from('ffffffff00000000', 'hex') },
    },
  },
  {
    name: 'MULTIPART_REPLY TABLE with two tables',
    bytes: hex(
      '04 13 0040 0000000e', // header: MULTIPART_REPLY, length 64, xid 14
      '0003 0000 00000000', // type TABLE, flags 0, pad
      '00 000000 00000002', // table 0, pad, active_count 2
      '0000000000000064 000000000000005a', // lookup_count 100, matched_count 90
      '01 000000 00000000', // table 1, pad, active_count 0
      '0000000000000000 0000000000000000', // lookup_count, matched_count
    ),
    message: {
      type: 'multipart_reply', version: 4, xid: 14, flags: 0,
      body: {
        mpType: 'table',
        tables: [
          { tableId: 0, activeCount: 2, lookupCount: 100n, matchedCount: 90n },
          { tableId: 1, activeCount: 0, lookupCount: 0n, matchedCount: 0n },
        ],
      },
    },
  },
  {
    name: 'MULTIPART_REPLY PORT_DESC part with REPLY_MORE',
    bytes: hex(
      '04 13 0050 00000030', // header: MULTIPART_REPLY, length 80, xid 48
      '000d 0001 00000000', // type PORT_DESC, flags REPLY_MORE, pad
      '00000007 00000000 020000000007 0000', // port_no 7, pad, hw_addr, pad
      str('eth7', 16), // name
      '00000001 00000001', // config PORT_DOWN, state LINK_DOWN
      '00002820 00002820 0000282f 00000000', // curr 1GB_FD|COPPER|AUTONEG, advertised, supported, peer
      '000f4240 000f4240', // curr_speed, max_speed 1 Gb/s (kbps)
    ),
    message: {
      type: 'multipart_reply', version: 4, xid: 48, flags: 1,
      body: {
        mpType: 'port_desc',
        ports: [
          {
            portNo: 7, hwAddr: '02:00:00:00:00:07', name: 'eth7', config: 1, state: 1, curr: 0x2820, advertised: 0x2820,
            supported: 0x282f, peer: 0, currSpeed: 1000000, maxSpeed: 1000000,
          },
        ],
      },
    },
  },
  {
    name: 'MULTIPART_REPLY GROUP_DESC kept raw',
    bytes: hex(
      '04 13 0038 00000020', // header: MULTIPART_REPLY, length 56, xid 32
      '0007 0000 00000000', // type GROUP_DESC, flags 0, pad
      '0028 00 00 00000001', // ofp_group_desc: length 40, type ALL, pad, group_id 1
      '0020 0000 ffffffff ffffffff 00000000', // bucket len 32
      '0000 0010 00000001 0000 000000000000', // OUTPUT port 1
    ),
    message: {
      type: 'multipart_reply', version: 4, xid: 32, flags: 0,
      body: {
        mpType: 'raw', code: 7,
        body: Buffer.from('00280000000000010020' + '0000ffffffffffffffff00000000' + '00000010000000010000000000000000', 'hex'),
      },
    },
  },
];
