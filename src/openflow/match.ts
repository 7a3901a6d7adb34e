/**
 * 7.2.3 struct ofp_match (type OFPMT_OXM) and its OXM TLVs.
 *
 * ofp_match: type u16, length u16 (type + length + OXMs, without padding),
 * OXM TLVs, zero padding to a multiple of 8.
 * OXM header (7.2.3.2): class u16, field u7, hasmask u1, length u8 (payload
 * bytes: value, then mask of the same size when hasmask).
 *
 * Every OpenFlow-basic field of 7.2.3.7 is decoded to a readable value: numbers
 * for up to 32 bits, bigint for 64 bits, strings for MAC/IPv4/IPv6. Other
 * classes (NXM, experimenter) and unknown basic fields are kept raw.
 */
import { OFPMT, OFPXMC, OFPXMT, OFPBMC, OFPET } from './constants.js';
import { ipv4ToString, ipv6ToBytes, ipv6ToString, macToString, parseIpv4Into, parseMacInto } from './addr.js';
import { OfCodecError } from './errors.js';
import type { Reader, Writer } from './wire.js';

type Kind = 'u8' | 'u16' | 'u24' | 'u32' | 'u64' | 'mac' | 'ipv4' | 'ipv6';

interface KindValue {
  u8: number;
  u16: number;
  u24: number;
  u32: number;
  u64: bigint;
  mac: string;
  ipv4: string;
  ipv6: string;
}

const KIND_LEN: Record<Kind, number> = { u8: 1, u16: 2, u24: 3, u32: 4, u64: 8, mac: 6, ipv4: 4, ipv6: 16 };

/** 7.2.3.7 Table 12: each basic field, its OXM field number and value size. */
export const OXM_FIELDS = {
  in_port: [OFPXMT.IN_PORT, 'u32'],
  in_phy_port: [OFPXMT.IN_PHY_PORT, 'u32'],
  metadata: [OFPXMT.METADATA, 'u64'],
  eth_dst: [OFPXMT.ETH_DST, 'mac'],
  eth_src: [OFPXMT.ETH_SRC, 'mac'],
  eth_type: [OFPXMT.ETH_TYPE, 'u16'],
  /** 13 bits: the VLAN id | OFPVID_PRESENT (0x1000). */
  vlan_vid: [OFPXMT.VLAN_VID, 'u16'],
  vlan_pcp: [OFPXMT.VLAN_PCP, 'u8'],
  ip_dscp: [OFPXMT.IP_DSCP, 'u8'],
  ip_ecn: [OFPXMT.IP_ECN, 'u8'],
  ip_proto: [OFPXMT.IP_PROTO, 'u8'],
  ipv4_src: [OFPXMT.IPV4_SRC, 'ipv4'],
  ipv4_dst: [OFPXMT.IPV4_DST, 'ipv4'],
  tcp_src: [OFPXMT.TCP_SRC, 'u16'],
  tcp_dst: [OFPXMT.TCP_DST, 'u16'],
  udp_src: [OFPXMT.UDP_SRC, 'u16'],
  udp_dst: [OFPXMT.UDP_DST, 'u16'],
  sctp_src: [OFPXMT.SCTP_SRC, 'u16'],
  sctp_dst: [OFPXMT.SCTP_DST, 'u16'],
  icmpv4_type: [OFPXMT.ICMPV4_TYPE, 'u8'],
  icmpv4_code: [OFPXMT.ICMPV4_CODE, 'u8'],
  arp_op: [OFPXMT.ARP_OP, 'u16'],
  arp_spa: [OFPXMT.ARP_SPA, 'ipv4'],
  arp_tpa: [OFPXMT.ARP_TPA, 'ipv4'],
  arp_sha: [OFPXMT.ARP_SHA, 'mac'],
  arp_tha: [OFPXMT.ARP_THA, 'mac'],
  ipv6_src: [OFPXMT.IPV6_SRC, 'ipv6'],
  ipv6_dst: [OFPXMT.IPV6_DST, 'ipv6'],
  ipv6_flabel: [OFPXMT.IPV6_FLABEL, 'u32'],
  icmpv6_type: [OFPXMT.ICMPV6_TYPE, 'u8'],
  icmpv6_code: [OFPXMT.ICMPV6_CODE, 'u8'],
  ipv6_nd_target: [OFPXMT.IPV6_ND_TARGET, 'ipv6'],
  ipv6_nd_sll: [OFPXMT.IPV6_ND_SLL, 'mac'],
  ipv6_nd_tll: [OFPXMT.IPV6_ND_TLL, 'mac'],
  mpls_label: [OFPXMT.MPLS_LABEL, 'u32'],
  mpls_tc: [OFPXMT.MPLS_TC, 'u8'],
  mpls_bos: [OFPXMT.MPLS_BOS, 'u8'],
  pbb_isid: [OFPXMT.PBB_ISID, 'u24'],
  tunnel_id: [OFPXMT.TUNNEL_ID, 'u64'],
  ipv6_exthdr: [OFPXMT.IPV6_EXTHDR, 'u16'],
} as const satisfies Record<string, readonly [number, Kind]>;

export type OxmFieldName = keyof typeof OXM_FIELDS;
type ValueOf<K extends OxmFieldName> = KindValue[(typeof OXM_FIELDS)[K][1]];

/** An OpenFlow-basic OXM; `mask` present means hasmask = 1. */
export type OxmBasic = {
  [K in OxmFieldName]: { field: K; value: ValueOf<K>; mask?: ValueOf<K> };
}[OxmFieldName];

/** An OXM of another class (NXM, experimenter) or an unknown basic field, kept as bytes. */
export interface OxmOther {
  field: 'other';
  oxmClass: number;
  oxmField: number;
  hasMask: boolean;
  /** The payload (value and mask; for experimenter OXMs the experimenter id first). */
  body: Buffer;
}

export type Oxm = OxmBasic | OxmOther;

/** A match is its list of OXM TLVs, in wire order. */
export type Match = Oxm[];

/** Reads one value of a kind straight from the frame (no copy). */
const KIND_READ: Record<Kind, (b: Buffer, at: number) => number | bigint | string> = {
  u8: (b, at) => b[at],
  u16: (b, at) => (b[at] << 8) | b[at + 1],
  u24: (b, at) => (b[at] << 16) | (b[at + 1] << 8) | b[at + 2],
  u32: (b, at) => b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]),
  u64: (b, at) => b.readBigUInt64BE(at),
  mac: macToString,
  ipv4: ipv4ToString,
  ipv6: ipv6ToString,
};

interface FieldDecoder {
  name: OxmFieldName;
  size: number;
  read: (b: Buffer, at: number) => number | bigint | string;
}

/** OXM field number -> decoder, for class OPENFLOW_BASIC. */
const BY_CODE: ReadonlyArray<FieldDecoder | undefined> = (() => {
  const table: Array<FieldDecoder | undefined> = [];
  for (const name of Object.keys(OXM_FIELDS) as OxmFieldName[]) {
    const [code, kind] = OXM_FIELDS[name];
    table[code] = { name, size: KIND_LEN[kind], read: KIND_READ[kind] };
  }
  return table;
})();

/** OFPET_BAD_MATCH / OFPBMC_BAD_LEN: the answer to a malformed match length. */
const MATCH_BAD_LEN = { ofType: OFPET.BAD_MATCH, ofCode: OFPBMC.BAD_LEN };

const badMatch = (msg: string, ofCode: number = OFPBMC.BAD_LEN): OfCodecError =>
  new OfCodecError('BAD_MATCH', msg, { ofType: OFPET.BAD_MATCH, ofCode });

function writeValue(w: Writer, kind: Kind, v: unknown, what: string): void {
  switch (kind) {
    case 'u8':
      w.u8(v as number, what);
      return;
    case 'u16':
      w.u16(v as number, what);
      return;
    case 'u24':
      w.u24(v as number, what);
      return;
    case 'u32':
      w.u32(v as number, what);
      return;
    case 'u64':
      w.u64(v as bigint, what);
      return;
    case 'mac':
      w.put(6, (buf, at) => parseMacInto(v as string, buf, at, what));
      return;
    case 'ipv4':
      w.put(4, (buf, at) => parseIpv4Into(v as string, buf, at, what));
      return;
    case 'ipv6':
      w.bytes(ipv6ToBytes(v as string, what));
      return;
  }
}

const OPENFLOW_BASIC = OFPXMC.OPENFLOW_BASIC;

/** One OXM TLV at the reader's cursor. */
export function decodeOxm(r: Reader): Oxm {
  const oxmClass = r.u16('oxm.class');
  const fieldAndMask = r.u8('oxm.field');
  const len = r.u8('oxm.length');
  const oxmField = fieldAndMask >>> 1;
  const hasMask = (fieldAndMask & 1) === 1;
  if (len === 0) throw new OfCodecError('ZERO_LENGTH_TLV', 'oxm: zero length', MATCH_BAD_LEN);
  if (len > r.remaining) throw new OfCodecError('TRUNCATED', `oxm: length ${len} past the data`, MATCH_BAD_LEN);
  const known = oxmClass === OPENFLOW_BASIC ? BY_CODE[oxmField] : undefined;
  if (!known) return { field: 'other', oxmClass, oxmField, hasMask, body: r.bytes(len, 'oxm') };
  const { name, size, read } = known;
  if (len !== size * (hasMask ? 2 : 1)) throw badMatch(`oxm ${name}: length ${len}`);
  const value = r.view(size, name, read);
  if (!hasMask) return { field: name, value } as OxmBasic;
  return { field: name, value, mask: r.view(size, name, read) } as OxmBasic;
}

export function encodeOxm(w: Writer, o: Oxm): void {
  if (o.field === 'other') {
    w.u16(o.oxmClass, 'oxm.class')
      .u8((o.oxmField << 1) | (o.hasMask ? 1 : 0), 'oxm.field')
      .u8(o.body.length, 'oxm.length')
      .bytes(o.body);
    return;
  }
  const spec = Object.hasOwn(OXM_FIELDS, o.field) ? (OXM_FIELDS as Record<string, readonly [number, Kind]>)[o.field] : undefined;
  if (!spec) throw new OfCodecError('BAD_FIELD', `oxm: unknown field ${String(o.field)}`);
  const [code, kind] = spec;
  const hasMask = o.mask !== undefined;
  w.u16(OFPXMC.OPENFLOW_BASIC).u8((code << 1) | (hasMask ? 1 : 0)).u8(KIND_LEN[kind] * (hasMask ? 2 : 1));
  writeValue(w, kind, o.value, o.field);
  if (hasMask) writeValue(w, kind, o.mask, `${o.field} mask`);
}

/** ofp_match at the reader's cursor, padding included. */
export function decodeMatch(r: Reader): Match {
  const type = r.u16('match.type');
  const len = r.u16('match.length');
  if (type !== OFPMT.OXM) throw badMatch(`match: type ${type} is not OFPMT_OXM`, OFPBMC.BAD_TYPE);
  if (len < 4) throw badMatch(`match: length ${len} < 4`);
  const padded = (len + 7) & ~7;
  if (padded - 4 > r.remaining) throw new OfCodecError('TRUNCATED', `match: length ${len} past the data`, MATCH_BAD_LEN);
  const body = r.sub(len - 4, 'match');
  r.skip(padded - len);
  const fields: Match = [];
  while (body.remaining > 0) {
    if (body.remaining < 4) throw badMatch('match: trailing bytes after the last OXM');
    fields.push(decodeOxm(body));
  }
  return fields;
}

export function encodeMatch(w: Writer, m: Match): void {
  const start = w.offset;
  w.u16(OFPMT.OXM).u16(0);
  for (const o of m) encodeOxm(w, o);
  w.patchU16(start + 2, w.offset - start, 'match.length');
  w.padTo(start);
}
