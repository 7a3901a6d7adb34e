/**
 * 7.3.4.2 struct ofp_bucket: len u16 (whole bucket, a multiple of 8),
 * weight u16, watch_port u32, watch_group u32, pad 4, actions.
 */
import { decodeActions, encodeActions, type Action } from './action.js';
import { readTlvList, type Reader, type Writer } from './wire.js';

export interface Bucket {
  weight: number;
  watchPort: number;
  watchGroup: number;
  actions: Action[];
}

function decodeOne(_len: number, r: Reader): Bucket {
  r.skip(2); // len
  const weight = r.u16('bucket.weight');
  const watchPort = r.u32('bucket.watch_port');
  const watchGroup = r.u32('bucket.watch_group');
  r.skip(4);
  return { weight, watchPort, watchGroup, actions: decodeActions(r) };
}

/** Buckets filling the reader. */
export function decodeBuckets(r: Reader): Bucket[] {
  return readTlvList(r, 16, 'bucket', 'BAD_LENGTH', decodeOne, 0);
}

export function encodeBuckets(w: Writer, buckets: readonly Bucket[]): void {
  for (const b of buckets) {
    const start = w.offset;
    w.u16(0).u16(b.weight, 'bucket.weight').u32(b.watchPort, 'bucket.watch_port').u32(b.watchGroup, 'bucket.watch_group').zeros(4);
    encodeActions(w, b.actions);
    w.patchU16(start, w.offset - start, 'bucket.len');
  }
}
