/**
 * Where `lattice import-kytos` reads Kytos-ng's documents: its MongoDB
 * (`mongodb://...`, read-only, with `primaryPreferred` as Kytos-ng reads), or a
 * `mongodump` folder of `<collection>.bson` files. Either way each document's
 * BSON values are made plain (see KytosDocument).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BSON, MongoClient } from 'mongodb';
import type { KytosDocument } from '../sdk/kytos-import.js';

export interface KytosSource {
  /** What it reads, for messages (credentials masked). */
  readonly describe: string;
  /** Every document of a collection, in `_id` order; an absent collection is empty. */
  read(collection: string, progress?: (n: number) => void): Promise<KytosDocument[]>;
  close(): Promise<void>;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A Decimal128's text as a bigint when it is an integer (`123`, `1.23E+4`), else undefined. */
function decimalInteger(text: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]\d+))?$/i.exec(text);
  if (!m) return undefined;
  const [, sign, int, frac = '', exp = '0'] = m;
  const e = Number(exp);
  const digits = int! + frac;
  const scale = e - frac.length;
  if (scale >= 0) return BigInt(`${sign}${digits}${'0'.repeat(scale)}`);
  const cut = digits.slice(scale);
  if (!/^0*$/.test(cut)) return undefined;
  return BigInt(`${sign}${digits.slice(0, scale) || '0'}`);
}

/** BSON values as KytosDocument describes them. */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value >= -SAFE && value <= SAFE ? Number(value) : value;
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(plain);
  const type = (value as { _bsontype?: string })._bsontype;
  switch (type) {
    case undefined:
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
    case 'Decimal128': {
      const text = String(value);
      return decimalInteger(text) ?? text;
    }
    case 'Long':
      return plain((value as BSON.Long).toBigInt());
    case 'Int32':
    case 'Double':
      return (value as { valueOf(): number }).valueOf();
    case 'ObjectId':
      return (value as BSON.ObjectId).toHexString();
    case 'Binary':
      return Buffer.from((value as BSON.Binary).buffer);
    default:
      return String(value);
  }
}

const OPTIONS = { useBigInt64: true, promoteBuffers: true } as const;

export function mongoSource(uri: string, dbName: string): KytosSource {
  const client = new MongoClient(uri, { readPreference: 'primaryPreferred', serverSelectionTimeoutMS: 10_000, appName: 'lattice-import-kytos' });
  const masked = uri.replace(/\/\/[^@/]*@/, '//***@');
  return {
    describe: `${masked} database ${dbName}`,
    async read(collection, progress) {
      const out: KytosDocument[] = [];
      for await (const doc of client.db(dbName).collection(collection).find({}, { ...OPTIONS, sort: { _id: 1 } })) {
        out.push(plain(doc) as KytosDocument);
        if (out.length % 1000 === 0) progress?.(out.length);
      }
      return out;
    },
    close: () => client.close(),
  };
}

/** A `mongodump` output folder holding `<collection>.bson`, or `.bson.gz` (`mongodump --db napps [--gzip]` writes `dump/napps/`; not `--archive`). */
export function dumpSource(dir: string): KytosSource {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder (a mongodump output folder holding <collection>.bson files)`);
  return {
    describe: `mongodump folder ${dir}`,
    async read(collection, progress) {
      // `mongodump --gzip` writes <collection>.bson.gz.
      const plainFile = join(dir, `${collection}.bson`);
      const file = existsSync(plainFile) ? plainFile : `${plainFile}.gz`;
      if (!existsSync(file)) return [];
      const bytes = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
      const out: KytosDocument[] = [];
      for (let at = 0; at < bytes.length; ) {
        if (at + 4 > bytes.length) throw new Error(`${file}: truncated at byte ${at}`);
        const size = bytes.readInt32LE(at);
        if (size < 5 || at + size > bytes.length) throw new Error(`${file}: a document of ${size} bytes at byte ${at} overruns the file`);
        out.push(plain(BSON.deserialize(bytes.subarray(at, at + size), OPTIONS)) as KytosDocument);
        at += size;
        if (out.length % 1000 === 0) progress?.(out.length);
      }
      return out;
    },
    close: async () => undefined,
  };
}
