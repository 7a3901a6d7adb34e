/**
 * 7.3.5.4 struct ofp_table_stats (24 bytes): table_id u8, pad 3,
 * active_count u32, lookup_count u64, matched_count u64.
 */
import { OfCodecError } from '../errors.js';
import type { Reader, Writer } from '../wire.js';

export const OFP_TABLE_STATS_LEN = 24;

export interface TableStats {
  tableId: number;
  activeCount: number;
  lookupCount: bigint;
  matchedCount: bigint;
}

export function decodeTableStatsList(r: Reader): TableStats[] {
  if (r.remaining % OFP_TABLE_STATS_LEN !== 0) throw new OfCodecError('BAD_LENGTH', 'table stats: not whole entries');
  const out: TableStats[] = [];
  while (r.remaining > 0) {
    const tableId = r.u8('table_id');
    r.skip(3);
    out.push({ tableId, activeCount: r.u32('active_count'), lookupCount: r.u64('lookup_count'), matchedCount: r.u64('matched_count') });
  }
  return out;
}

export function encodeTableStats(w: Writer, t: TableStats): void {
  w.u8(t.tableId, 'table_id').zeros(3).u32(t.activeCount, 'active_count').u64(t.lookupCount, 'lookup_count').u64(t.matchedCount, 'matched_count');
}
