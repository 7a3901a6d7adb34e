/**
 * Kytos match dicts (kytos-api.md 2.1) <-> OXM TLVs, through one canonical
 * form: a request's match is encoded as Kytos encodes it, normalised as a
 * switch stores it (value & mask, an all-ones mask dropped, a zero mask
 * wildcards the field), then written back as Kytos reads a switch's OXM. So
 * the id of a requested flow equals the id of the same flow read from flow
 * stats (`dl_vlan: "100/4095"` is `100` on both sides).
 */
import { OXM_FIELDS, type Oxm, type OxmBasic, type OxmFieldName } from '#sdk';
import { AddrError, ipv4Bytes, ipv4Text, ipv6Bytes, ipv6Text, macBytes, macText, maskPrefix, prefixMask } from './addr.js';
import type { PyValue } from './ids.js';

/** A refused flow field: `field` is its path in the flow ("match.dl_vlan", "actions[1].port"). */
export class FlowFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Kind = 'u8' | 'u16' | 'u24' | 'u32' | 'u64' | 'mac' | 'ipv4' | 'ipv6';
type Syntax = 'int' | 'int/mask' | 'vlan' | 'mac' | 'ipv4' | 'ipv6';

interface FieldSpec {
  oxm: OxmFieldName;
  syntax: Syntax;
  /** Largest value (int syntaxes). */
  max?: bigint;
}

const KIND_BYTES: Record<Kind, number> = { u8: 1, u16: 2, u24: 3, u32: 4, u64: 8, mac: 6, ipv4: 4, ipv6: 16 };

const int = (oxm: OxmFieldName, bits: number): FieldSpec => ({ oxm, syntax: 'int', max: (1n << BigInt(bits)) - 1n });
const intMask = (oxm: OxmFieldName, bits: number): FieldSpec => ({ oxm, syntax: 'int/mask', max: (1n << BigInt(bits)) - 1n });

/** Kytos match names (of_core's MatchBase) and their OXM fields. */
export const MATCH_FIELDS: Readonly<Record<string, FieldSpec>> = {
  in_port: int('in_port', 32),
  in_phy_port: int('in_phy_port', 32),
  metadata: intMask('metadata', 64),
  dl_src: { oxm: 'eth_src', syntax: 'mac' },
  dl_dst: { oxm: 'eth_dst', syntax: 'mac' },
  dl_type: int('eth_type', 16),
  dl_vlan: { oxm: 'vlan_vid', syntax: 'vlan' },
  dl_vlan_pcp: int('vlan_pcp', 3),
  ip_dscp: int('ip_dscp', 6),
  ip_ecn: int('ip_ecn', 2),
  nw_proto: int('ip_proto', 8),
  nw_src: { oxm: 'ipv4_src', syntax: 'ipv4' },
  nw_dst: { oxm: 'ipv4_dst', syntax: 'ipv4' },
  tp_src: int('tcp_src', 16),
  tp_dst: int('tcp_dst', 16),
  udp_src: int('udp_src', 16),
  udp_dst: int('udp_dst', 16),
  sctp_src: int('sctp_src', 16),
  sctp_dst: int('sctp_dst', 16),
  icmpv4_type: int('icmpv4_type', 8),
  icmpv4_code: int('icmpv4_code', 8),
  arp_op: int('arp_op', 16),
  arp_spa: { oxm: 'arp_spa', syntax: 'ipv4' },
  arp_tpa: { oxm: 'arp_tpa', syntax: 'ipv4' },
  arp_sha: { oxm: 'arp_sha', syntax: 'mac' },
  arp_tha: { oxm: 'arp_tha', syntax: 'mac' },
  ipv6_src: { oxm: 'ipv6_src', syntax: 'ipv6' },
  ipv6_dst: { oxm: 'ipv6_dst', syntax: 'ipv6' },
  ipv6_flabel: intMask('ipv6_flabel', 20),
  icmpv6_type: int('icmpv6_type', 8),
  icmpv6_code: int('icmpv6_code', 8),
  nd_tar: { oxm: 'ipv6_nd_target', syntax: 'ipv6' },
  nd_sll: { oxm: 'ipv6_nd_sll', syntax: 'mac' },
  nd_tll: { oxm: 'ipv6_nd_tll', syntax: 'mac' },
  mpls_lab: int('mpls_label', 20),
  mpls_tc: int('mpls_tc', 3),
  mpls_bos: int('mpls_bos', 1),
  pbb_isid: intMask('pbb_isid', 24),
  tun_id: intMask('tunnel_id', 64),
  v6_hdr: int('ipv6_exthdr', 9),
};

/** Position of each OXM field in MATCH_FIELDS, whose order puts prerequisites first. */
const FIELD_ORDER: ReadonlyMap<string, number> = new Map(Object.values(MATCH_FIELDS).map((s, i) => [s.oxm, i]));

const BY_OXM: ReadonlyMap<string, string> = new Map(Object.entries(MATCH_FIELDS).map(([name, s]) => [s.oxm, name]));

const kindOf = (oxm: OxmFieldName): Kind => OXM_FIELDS[oxm][1] as Kind;

/** An integer from a request value (number or bigint), or undefined. */
export function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return undefined;
}

/** A bigint as a JSON value: a number when exact, else the bigint. */
export const jsonInt = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

const intBytes = (v: bigint, size: number): Buffer => {
  const b = Buffer.alloc(size);
  let x = v;
  for (let i = size - 1; i >= 0; i--) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
};

const bytesInt = (b: Buffer): bigint => b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);

/** Value and mask as bytes of the OXM's width. */
interface Raw {
  oxm: OxmFieldName;
  value: Buffer;
  mask?: Buffer;
}

function parseInt(field: string, v: unknown, max: bigint): bigint {
  const n = toBigInt(v);
  if (n === undefined || n < 0n || n > max) throw new FlowFieldError(field, `${field} must be an integer from 0 to ${max}`);
  return n;
}

function parseIntText(field: string, s: string, max: bigint): bigint {
  if (!/^\d+$/.test(s.trim())) throw new FlowFieldError(field, `${field}: '${s}' is not an integer`);
  return parseInt(field, BigInt(s.trim()), max);
}

/** Splits "value/mask" strings. */
function slash(field: string, v: string): [string, string | undefined] {
  const parts = v.split('/');
  if (parts.length > 2) throw new FlowFieldError(field, `${field}: '${v}' has more than one '/'`);
  return [parts[0], parts[1]];
}

const VID_PRESENT = 0x1000n;

/** A request value -> OXM bytes, as Kytos' `as_of_tlv` encodes it. */
function encodeField(name: string, spec: FieldSpec, v: unknown): Raw {
  const field = `match.${name}`;
  const size = KIND_BYTES[kindOf(spec.oxm)];
  const { oxm } = spec;
  try {
    switch (spec.syntax) {
      case 'int':
        return { oxm, value: intBytes(parseInt(field, v, spec.max!), size) };
      case 'int/mask': {
        if (typeof v === 'string') {
          const [a, m] = slash(field, v);
          const value = intBytes(parseIntText(field, a, spec.max!), size);
          return m === undefined ? { oxm, value } : { oxm, value, mask: intBytes(parseIntText(field, m, spec.max!), size) };
        }
        return { oxm, value: intBytes(parseInt(field, v, spec.max!), size) };
      }
      case 'vlan': {
        let vid: bigint;
        let mask: bigint | undefined;
        if (typeof v === 'string') {
          const [a, m] = slash(field, v);
          vid = parseIntText(field, a, 4096n);
          if (m !== undefined) mask = parseIntText(field, m, 8191n);
        } else vid = parseInt(field, v, 4095n);
        const value = vid === 0n ? 0n : vid | VID_PRESENT;
        return mask === undefined ? { oxm, value: intBytes(value, 2) } : { oxm, value: intBytes(value, 2), mask: intBytes(mask | VID_PRESENT, 2) };
      }
      case 'mac': {
        if (typeof v !== 'string') throw new FlowFieldError(field, `${field} must be a MAC address string`);
        const [a, m] = slash(field, v);
        return m === undefined ? { oxm, value: macBytes(a) } : { oxm, value: macBytes(a), mask: macBytes(m) };
      }
      case 'ipv4': {
        if (typeof v !== 'string') throw new FlowFieldError(field, `${field} must be an IPv4 address string`);
        const [a, m] = slash(field, v);
        const value = ipv4Bytes(a);
        if (m === undefined) return { oxm, value };
        let mask: Buffer;
        if (/^\d+$/.test(m)) {
          const p = Number(m);
          if (p > 32) throw new FlowFieldError(field, `${field}: prefix /${m} is longer than 32`);
          mask = prefixMask(p, 4);
        } else {
          mask = ipv4Bytes(m);
          if (maskPrefix(mask) < 0) throw new FlowFieldError(field, `${field}: '${m}' is not a valid netmask`);
        }
        if (value.some((b, i) => (b & ~mask[i] & 0xff) !== 0)) throw new FlowFieldError(field, `${field}: '${v}' has host bits set`);
        return { oxm, value, mask };
      }
      case 'ipv6': {
        if (typeof v !== 'string') throw new FlowFieldError(field, `${field} must be an IPv6 address string`);
        const [a, m] = slash(field, v);
        const value = ipv6Bytes(a);
        if (m === undefined) return { oxm, value };
        if (!/^\d+$/.test(m) || Number(m) > 128) throw new FlowFieldError(field, `${field}: '/${m}' is not a prefix length`);
        const mask = prefixMask(Number(m), 16);
        if (value.some((b, i) => (b & ~mask[i] & 0xff) !== 0)) throw new FlowFieldError(field, `${field}: '${v}' has host bits set`);
        return { oxm, value, mask };
      }
    }
  } catch (err) {
    if (err instanceof AddrError) throw new FlowFieldError(field, `${field}: ${err.message}`);
    throw err;
  }
}

/** As a switch stores a field: value & mask; an all-ones mask is no mask; an all-zero mask is no field (undefined). */
function normalise(r: Raw): Raw | undefined {
  if (!r.mask) return r;
  const mask = Buffer.from(r.mask);
  // VLAN_VID is 13 bits wide: 0x1fff is all ones.
  if (r.oxm === 'vlan_vid') mask[0] &= 0x1f;
  const full = r.oxm === 'vlan_vid' ? mask.readUInt16BE(0) === 0x1fff : mask.every((b) => b === 0xff);
  if (full) return { oxm: r.oxm, value: r.value };
  if (mask.every((b) => b === 0)) return undefined;
  return { oxm: r.oxm, value: Buffer.from(r.value.map((b, i) => b & mask[i])), mask };
}

/** OXM bytes -> the Kytos value, as of_core's `from_of_tlv` writes it. */
function kytosValue(r: Raw, spec: FieldSpec): PyValue {
  switch (spec.syntax) {
    case 'vlan': {
      const raw = r.value.readUInt16BE(0);
      const vid = raw === 4096 ? 4096 : raw & 4095;
      if (!r.mask) return vid;
      const m = r.mask.readUInt16BE(0);
      return `${vid}/${m === 4096 ? 4096 : m & 4095}`;
    }
    case 'mac':
      return r.mask ? `${macText(r.value)}/${macText(r.mask)}` : macText(r.value);
    case 'ipv4': {
      if (!r.mask) return ipv4Text(r.value);
      const p = maskPrefix(r.mask);
      return `${ipv4Text(r.value)}/${p >= 0 ? p : ipv4Text(r.mask)}`;
    }
    case 'ipv6': {
      if (!r.mask) return ipv6Text(r.value);
      const p = maskPrefix(r.mask);
      return `${ipv6Text(r.value)}/${p >= 0 ? p : ipv6Text(r.mask)}`;
    }
    default: {
      const v = bytesInt(r.value);
      return r.mask ? `${v}/${bytesInt(r.mask)}` : jsonInt(v);
    }
  }
}

function rawToOxm(r: Raw): Oxm {
  const kind = kindOf(r.oxm);
  const conv = (b: Buffer): number | bigint | string => {
    switch (kind) {
      case 'mac':
        return macText(b);
      case 'ipv4':
        return ipv4Text(b);
      case 'ipv6':
        return ipv6Text(b);
      case 'u64':
        return bytesInt(b);
      default:
        return Number(bytesInt(b));
    }
  };
  const oxm = { field: r.oxm, value: conv(r.value) } as OxmBasic;
  if (r.mask) (oxm as { mask?: unknown }).mask = conv(r.mask);
  return oxm;
}

function oxmToRaw(o: OxmBasic): Raw {
  const kind = kindOf(o.field);
  const size = KIND_BYTES[kind];
  const conv = (v: unknown): Buffer => {
    switch (kind) {
      case 'mac':
        return macBytes(v as string);
      case 'ipv4':
        return ipv4Bytes(v as string);
      case 'ipv6':
        return ipv6Bytes(v as string);
      default:
        return intBytes(BigInt(v as number | bigint), size);
    }
  };
  return o.mask === undefined ? { oxm: o.field, value: conv(o.value) } : { oxm: o.field, value: conv(o.value), mask: conv(o.mask) };
}

export interface ParsedMatch {
  /** The canonical Kytos match (what the switch will report), hashed for ids. */
  canon: Record<string, PyValue>;
  /** The OXM TLVs sent in the FLOW_MOD. */
  oxms: Oxm[];
}

/** A request's match: checked, canonical, and its OXMs. Throws FlowFieldError. */
export function parseMatch(match: unknown): ParsedMatch {
  if (match === undefined || match === null) return { canon: {}, oxms: [] };
  if (typeof match !== 'object' || Array.isArray(match)) throw new FlowFieldError('match', 'match must be an object');
  const canon: Record<string, PyValue> = {};
  const oxms: Oxm[] = [];
  for (const [name, v] of Object.entries(match as Record<string, unknown>)) {
    if (v === null || v === undefined) continue; // Kytos drops None values
    const spec = Object.hasOwn(MATCH_FIELDS, name) ? MATCH_FIELDS[name] : undefined;
    if (!spec) throw new FlowFieldError(`match.${name}`, `unknown match field '${name}'`);
    const raw = normalise(encodeField(name, spec, v));
    if (!raw) continue;
    canon[name] = kytosValue(raw, spec);
    oxms.push(rawToOxm(raw));
  }
  checkPrerequisites(canon);
  // OpenFlow wants a field's prerequisites before it (7.2.3.6): OXMs go out in the table's order, as Kytos sends them.
  oxms.sort((a, b) => FIELD_ORDER.get(a.field)! - FIELD_ORDER.get(b.field)!);
  return { canon, oxms };
}

/** The canonical Kytos match of OXMs a switch reported (other classes and unknown fields are left out, as Kytos does). */
export function matchFromOxms(oxms: readonly Oxm[]): Record<string, PyValue> {
  const canon: Record<string, PyValue> = {};
  for (const o of oxms) {
    if (o.field === 'other') continue;
    const name = BY_OXM.get(o.field);
    if (!name) continue;
    const raw = normalise(oxmToRaw(o));
    if (raw) canon[name] = kytosValue(raw, MATCH_FIELDS[name]);
  }
  return canon;
}

const IPV4 = 0x0800;
const IPV6 = 0x86dd;
const ARP = 0x0806;

/** OpenFlow 1.3 prerequisites (7.2.3.6) that Open vSwitch enforces (BAD_PREREQ), checked before anything is stored. */
function checkPrerequisites(m: Record<string, PyValue>): void {
  const need = (field: string, ok: boolean, what: string) => {
    if (!ok) throw new FlowFieldError(`match.${field}`, `match field ${field} requires ${what}`);
  };
  const type = m.dl_type;
  const proto = m.nw_proto;
  const ip = type === IPV4 || type === IPV6;
  for (const f of ['ip_dscp', 'ip_ecn', 'nw_proto']) if (f in m) need(f, ip, 'dl_type 2048 or 34525');
  for (const f of ['nw_src', 'nw_dst']) if (f in m) need(f, type === IPV4, 'dl_type 2048');
  for (const f of ['arp_op', 'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha']) if (f in m) need(f, type === ARP, 'dl_type 2054');
  for (const f of ['ipv6_src', 'ipv6_dst', 'ipv6_flabel', 'v6_hdr']) if (f in m) need(f, type === IPV6, 'dl_type 34525');
  for (const f of ['tp_src', 'tp_dst']) if (f in m) need(f, ip && proto === 6, 'nw_proto 6 (TCP) with an IP dl_type');
  for (const f of ['udp_src', 'udp_dst']) if (f in m) need(f, ip && proto === 17, 'nw_proto 17 (UDP) with an IP dl_type');
  for (const f of ['sctp_src', 'sctp_dst']) if (f in m) need(f, ip && proto === 132, 'nw_proto 132 (SCTP) with an IP dl_type');
  for (const f of ['icmpv4_type', 'icmpv4_code']) if (f in m) need(f, type === IPV4 && proto === 1, 'dl_type 2048 and nw_proto 1');
  for (const f of ['icmpv6_type', 'icmpv6_code']) if (f in m) need(f, type === IPV6 && proto === 58, 'dl_type 34525 and nw_proto 58');
  if ('nd_tar' in m) need('nd_tar', m.icmpv6_type === 135 || m.icmpv6_type === 136, 'icmpv6_type 135 or 136');
  if ('nd_sll' in m) need('nd_sll', m.icmpv6_type === 135, 'icmpv6_type 135');
  if ('nd_tll' in m) need('nd_tll', m.icmpv6_type === 136, 'icmpv6_type 136');
  for (const f of ['mpls_lab', 'mpls_tc', 'mpls_bos']) if (f in m) need(f, type === 0x8847 || type === 0x8848, 'dl_type 34887 or 34888');
  if ('pbb_isid' in m) need('pbb_isid', type === 0x88e7, 'dl_type 35047');
  if ('dl_vlan_pcp' in m) need('dl_vlan_pcp', m.dl_vlan !== undefined && m.dl_vlan !== 0, 'a dl_vlan other than 0');
}
