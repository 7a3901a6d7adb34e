/**
 * 7.3.5.6 Port statistics.
 * Request (struct ofp_port_stats_request): port_no u32 (OFPP_ANY for all), pad 4.
 * Reply entry (struct ofp_port_stats, 112 bytes): port_no u32, pad 4, then
 * u64 rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped, tx_dropped,
 * rx_errors, tx_errors, rx_frame_err, rx_over_err, rx_crc_err, collisions,
 * then duration_sec u32, duration_nsec u32.
 */
import { OfCodecError } from '../errors.js';
import type { Reader, Writer } from '../wire.js';

export const OFP_PORT_STATS_LEN = 112;

export interface PortStats {
  portNo: number;
  rxPackets: bigint;
  txPackets: bigint;
  rxBytes: bigint;
  txBytes: bigint;
  rxDropped: bigint;
  txDropped: bigint;
  rxErrors: bigint;
  txErrors: bigint;
  rxFrameErr: bigint;
  rxOverErr: bigint;
  rxCrcErr: bigint;
  collisions: bigint;
  durationSec: number;
  durationNsec: number;
}

const COUNTERS = [
  'rxPackets',
  'txPackets',
  'rxBytes',
  'txBytes',
  'rxDropped',
  'txDropped',
  'rxErrors',
  'txErrors',
  'rxFrameErr',
  'rxOverErr',
  'rxCrcErr',
  'collisions',
] as const;

export function decodePortStatsRequest(r: Reader): { portNo: number } {
  if (r.remaining !== 8) throw new OfCodecError('BAD_LENGTH', `port stats request: body ${r.remaining} != 8`);
  const portNo = r.u32('port_no');
  r.skip(4);
  return { portNo };
}

export function encodePortStatsRequest(w: Writer, q: { portNo: number }): void {
  w.u32(q.portNo, 'port_no').zeros(4);
}

export function decodePortStatsList(r: Reader): PortStats[] {
  if (r.remaining % OFP_PORT_STATS_LEN !== 0) throw new OfCodecError('BAD_LENGTH', 'port stats: not whole entries');
  const out: PortStats[] = [];
  while (r.remaining > 0) {
    const portNo = r.u32('port_no');
    r.skip(4);
    const s = { portNo } as PortStats;
    for (const k of COUNTERS) s[k] = r.u64(k);
    s.durationSec = r.u32('duration_sec');
    s.durationNsec = r.u32('duration_nsec');
    out.push(s);
  }
  return out;
}

export function encodePortStats(w: Writer, s: PortStats): void {
  w.u32(s.portNo, 'port_no').zeros(4);
  for (const k of COUNTERS) w.u64(s[k], k);
  w.u32(s.durationSec, 'duration_sec').u32(s.durationNsec, 'duration_nsec');
}
