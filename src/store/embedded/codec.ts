/**
 * Value encoding for the embedded adapter: msgpackr with the record
 * extension OFF (`useRecords: false`). Records would make every stored value
 * depend on a structure table kept elsewhere (lmdb's `sharedStructuresKey`);
 * a table out of step with the data after a crash or a reopen decodes
 * documents with the wrong field names. Plain MessagePack maps are
 * self-describing: each value decodes on its own, in any process, forever.
 * Dates use the standard MessagePack timestamp extension (type -1) and decode
 * as Date. A bigint is always written as a 64-bit MessagePack integer and
 * read back as a bigint; msgpackr writes numbers beyond 32 bits as float64,
 * never as 64-bit integers, so a number always reads back as a number.
 * Arrays nest as they are (MessagePack has no restriction).
 */
import { Packr } from 'msgpackr';

export function createCodec(): { encode(v: unknown): Buffer; decode<T>(b: Uint8Array): T } {
  // skipValues exists at runtime (msgpackr >= 1.10) but is missing from its typings.
  const packr = new Packr({
    useRecords: false,
    mapsAsObjects: true,
    moreTypes: false,
    structuredClone: false,
    int64AsType: 'bigint',
    skipValues: [undefined],
  } as ConstructorParameters<typeof Packr>[0]);
  return {
    encode: (v) => packr.pack(v),
    decode: <T>(b: Uint8Array) => packr.unpack(b) as T,
  };
}
