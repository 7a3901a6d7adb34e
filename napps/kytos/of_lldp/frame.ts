/**
 * The LLDP frame, Kytos-ng's layout (dst 01:80:c2:00:00:0e, an 802.1Q tag,
 * ethertype 0x88cc; chassis id TLV subtype 7 = the dpid's 8 bytes, port id
 * TLV subtype 7 = the port number as u32, TTL 120, End) plus Lattice's
 * authentication TLV before End: an organisationally specific TLV (type 127)
 * with OUI 0a:4c:54 (a locally assigned CID), subtype 1, a u64 timestamp (ms)
 * and HMAC-SHA256(key, dpid 8 bytes | port u32 | timestamp u64).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const LLDP_DST = Buffer.from([0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e]);
export const ETH_TYPE_LLDP = 0x88cc;
const ETH_TYPE_VLAN = 0x8100;
export const AUTH_OUI = Buffer.from([0x0a, 0x4c, 0x54]);
export const AUTH_SUBTYPE = 1;
const MAC_LEN = 32;
const AUTH_LEN = 3 + 1 + 8 + MAC_LEN;

/** Colon dpid -> its 8 bytes (undefined when it is not 16 hex digits). */
export function dpidBytes(dpid: string): Buffer | undefined {
  const hex = dpid.replace(/:/g, '');
  return /^[0-9a-fA-F]{16}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

const dpidColon = (b: Buffer): string => b.toString('hex').match(/../g)!.join(':');

/** The MAC of one frame's claim. */
export function frameMac(key: Buffer, dpid: Buffer, port: number, timestamp: bigint): Buffer {
  const msg = Buffer.alloc(20);
  dpid.copy(msg, 0);
  msg.writeUInt32BE(port >>> 0, 8);
  msg.writeBigUInt64BE(timestamp, 12);
  return createHmac('sha256', key).update(msg).digest();
}

const tlv = (type: number, value: Buffer): Buffer => {
  const h = Buffer.alloc(2);
  h.writeUInt16BE(((type & 0x7f) << 9) | (value.length & 0x1ff));
  return Buffer.concat([h, value]);
};

export interface FrameSpec {
  dpid: string;
  port: number;
  /** Source MAC, colon form. */
  src: string;
  /** 802.1Q VLAN id, or null for an untagged frame. */
  vlan: number | null;
  /** Authentication: key and timestamp (ms); without it, a plain Kytos-ng frame. */
  auth?: { key: Buffer; timestamp: number };
}

/** A source MAC fit for a frame: the port's, or one derived from dpid and port when it is zero or multicast (as Kytos-ng). */
export function sourceMac(mac: string | undefined, dpid: string, port: number): string {
  const ok = mac && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac) && mac !== '00:00:00:00:00:00' && (parseInt(mac.slice(0, 2), 16) & 1) === 0;
  if (ok) return mac;
  const parts = dpid.split(':').slice(-5);
  const addr = [...parts, (port % 256).toString(16).padStart(2, '0')].join(':');
  return addr.slice(0, 1) + 'e' + addr.slice(2);
}

export function buildFrame(f: FrameSpec): Buffer {
  const dpid = dpidBytes(f.dpid);
  if (!dpid) throw new RangeError(`bad dpid ${f.dpid}`);
  const eth = Buffer.alloc(f.vlan === null ? 14 : 18);
  LLDP_DST.copy(eth, 0);
  Buffer.from(f.src.replace(/:/g, ''), 'hex').copy(eth, 6);
  if (f.vlan === null) eth.writeUInt16BE(ETH_TYPE_LLDP, 12);
  else {
    eth.writeUInt16BE(ETH_TYPE_VLAN, 12);
    eth.writeUInt16BE(f.vlan & 0xfff, 14);
    eth.writeUInt16BE(ETH_TYPE_LLDP, 16);
  }
  const port = Buffer.alloc(4);
  port.writeUInt32BE(f.port >>> 0);
  const ttl = Buffer.alloc(2);
  ttl.writeUInt16BE(120);
  const parts = [eth, tlv(1, Buffer.concat([Buffer.from([7]), dpid])), tlv(2, Buffer.concat([Buffer.from([7]), port])), tlv(3, ttl)];
  if (f.auth) {
    const ts = BigInt(Math.floor(f.auth.timestamp));
    const body = Buffer.alloc(AUTH_LEN);
    AUTH_OUI.copy(body, 0);
    body[3] = AUTH_SUBTYPE;
    body.writeBigUInt64BE(ts, 4);
    frameMac(f.auth.key, dpid, f.port, ts).copy(body, 12);
    parts.push(tlv(127, body));
  }
  parts.push(tlv(0, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export type ParsedFrame =
  | { kind: 'not_lldp' }
  | { kind: 'malformed'; why: string }
  | { kind: 'lldp'; dpid: string; port: number; vlan: number | null; auth?: { timestamp: bigint; mac: Buffer }; dpidRaw: Buffer };

/** Reads a frame as a PACKET_IN carries it. Never throws. */
export function parseFrame(data: Buffer): ParsedFrame {
  if (data.length < 14) return { kind: 'not_lldp' };
  let off = 12;
  let type = data.readUInt16BE(off);
  let vlan: number | null = null;
  while (type === ETH_TYPE_VLAN || type === 0x88a8) {
    if (data.length < off + 6) return { kind: 'not_lldp' };
    if (vlan === null) vlan = data.readUInt16BE(off + 2) & 0xfff;
    off += 4;
    type = data.readUInt16BE(off);
  }
  if (type !== ETH_TYPE_LLDP) return { kind: 'not_lldp' };
  off += 2;
  let dpidRaw: Buffer | undefined;
  let port: number | undefined;
  let auth: { timestamp: bigint; mac: Buffer } | undefined;
  for (;;) {
    if (off + 2 > data.length) return { kind: 'malformed', why: 'truncated TLV header' };
    const h = data.readUInt16BE(off);
    const t = h >> 9;
    const len = h & 0x1ff;
    off += 2;
    if (off + len > data.length) return { kind: 'malformed', why: `TLV ${t} past the frame` };
    const v = data.subarray(off, off + len);
    off += len;
    if (t === 0) break;
    if (t === 1) {
      if (len !== 9 || v[0] !== 7) return { kind: 'malformed', why: 'chassis id is not a dpid' };
      dpidRaw = Buffer.from(v.subarray(1));
    } else if (t === 2) {
      if (len !== 5 || v[0] !== 7) return { kind: 'malformed', why: 'port id is not a port number' };
      port = v.readUInt32BE(1);
    } else if (t === 127 && len >= 4 && v.subarray(0, 3).equals(AUTH_OUI) && v[3] === AUTH_SUBTYPE) {
      if (len !== AUTH_LEN) return { kind: 'malformed', why: 'authentication TLV of the wrong length' };
      auth = { timestamp: v.readBigUInt64BE(4), mac: Buffer.from(v.subarray(12)) };
    }
  }
  if (!dpidRaw || port === undefined) return { kind: 'malformed', why: 'no chassis id or port id' };
  return { kind: 'lldp', dpid: dpidColon(dpidRaw), port, vlan, dpidRaw, ...(auth ? { auth } : {}) };
}

export type Verdict = { ok: true } | { ok: false; reason: 'no_tlv' | 'bad_mac' | 'stale' };

/** Whether a parsed frame is ours and fresh at `now` (ms): its MAC checks and its timestamp is within `windowMs` (and not ahead by more). */
export function verifyFrame(f: Extract<ParsedFrame, { kind: 'lldp' }>, key: Buffer, now: number, windowMs: number): Verdict {
  if (!f.auth) return { ok: false, reason: 'no_tlv' };
  const want = frameMac(key, f.dpidRaw, f.port, f.auth.timestamp);
  if (!timingSafeEqual(want, f.auth.mac)) return { ok: false, reason: 'bad_mac' };
  const age = now - Number(f.auth.timestamp);
  if (age > windowMs || age < -windowMs) return { ok: false, reason: 'stale' };
  return { ok: true };
}
