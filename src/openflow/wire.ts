/**
 * Bounds-checked cursor over a Buffer (Reader) and a growable writer (Writer).
 * Every out-of-bounds read becomes OfCodecError('TRUNCATED'), so no RangeError
 * ever escapes the decoder; every out-of-range value on encode becomes
 * OfCodecError('BAD_FIELD').
 */
import { OfCodecError, ofErrorFor, type OfCodecErrorCode } from './errors.js';

const EMPTY = Buffer.alloc(0);

export class Reader {
  private buf: Buffer;
  private pos: number;
  private end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) {
      throw new OfCodecError('TRUNCATED', `${what}: need ${n} bytes, ${this.end - this.pos} left`);
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  u24(what = 'u24'): number {
    this.need(3, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 3;
    return (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  u64(what = 'u64'): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A copy of the next n bytes (callers may keep it after the frame buffer is reused). */
  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A copy of everything left. */
  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  skip(n: number, what = 'padding'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** A NUL-terminated string in a fixed-size field (latin1, up to the first NUL). */
  fixedString(n: number, what = 'string'): string {
    this.need(n, what);
    const start = this.pos;
    const end = start + n;
    let stop = start;
    while (stop < end && this.buf[stop] !== 0) stop++;
    this.pos = end;
    return stop === start ? '' : this.buf.toString('latin1', start, stop);
  }

  /**
   * Calls `read(buf, at)` on the next n bytes in place (no copy) and moves
   * past them: for fixed-size fields decoded straight to a value (MAC, IP).
   */
  view<T>(n: number, what: string, read: (buf: Buffer, at: number) => T): T {
    this.need(n, what);
    const at = this.pos;
    this.pos += n;
    return read(this.buf, at);
  }

  /** A sub-reader over the next n bytes; this reader moves past them. */
  sub(n: number, what = 'record'): Reader {
    this.need(n, what);
    const r = new Reader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /**
   * Like sub(), but re-points `into` (a reader the caller owns and no longer
   * needs) instead of allocating: list decoders walk thousands of records.
   */
  subInto(into: Reader, n: number, what = 'record'): Reader {
    this.need(n, what);
    into.buf = this.buf;
    into.pos = this.pos;
    into.end = this.pos + n;
    this.pos += n;
    return into;
  }

  /** Peek a big-endian u16 at `ahead` bytes from the cursor without moving. */
  peekU16(ahead = 0, what = 'u16'): number {
    this.need(ahead + 2, what);
    const p = this.pos + ahead;
    return (this.buf[p] << 8) | this.buf[p + 1];
  }
}

/**
 * Reads a list of length-prefixed records until the reader is empty. Each
 * record's u16 length (at `lengthOffset`: 2 after a u16 type for actions,
 * instructions and bands, 0 for buckets and flow stats) counts the whole
 * record and must be a multiple of 8. A length of 0, below `minLen` or past
 * the data is rejected, so a hostile length can never loop or overrun. Errors
 * answer with the OpenFlow error of `code` (BAD_ACTION -> OFPBAC_BAD_LEN ...).
 */
export function readTlvList<T>(
  r: Reader,
  minLen: number,
  what: string,
  code: OfCodecErrorCode,
  decodeOne: (type: number, body: Reader, len: number) => T,
  lengthOffset = 2,
): T[] {
  const out: T[] = [];
  const of = ofErrorFor(code);
  // One record reader for the whole list: decodeOne returns plain values and
  // keeps no reference to it, so it can be re-pointed at each record.
  const rec = new Reader(EMPTY);
  while (r.remaining > 0) {
    if (r.remaining < minLen) throw new OfCodecError(code, `${what}: ${r.remaining} trailing bytes`, of);
    const type = r.peekU16(0, what);
    const len = r.peekU16(lengthOffset, what);
    if (len === 0) throw new OfCodecError('ZERO_LENGTH_TLV', `${what}: zero length`, of);
    if (len < minLen || len % 8 !== 0) throw new OfCodecError(code, `${what}: bad length ${len}`, of);
    if (len > r.remaining) throw new OfCodecError('TRUNCATED', `${what}: length ${len} past the data`, of);
    out.push(decodeOne(type, r.subInto(rec, len, what), len));
  }
  return out;
}

/** Encode-side check that a record length (len field) is a multiple of 8, as the spec requires. */
export function requireMultipleOf8(len: number, what: string): void {
  if (len % 8 !== 0) throw new OfCodecError('BAD_FIELD', `${what}: length ${len} is not a multiple of 8`);
}

export class Writer {
  private buf: Buffer;
  private pos = 0;

  /**
   * Every byte below `offset` is written explicitly (values, zeros(),
   * padding), so the backing store may start uninitialised.
   */
  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get offset(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private check(v: number, max: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new OfCodecError('BAD_FIELD', `${what}: ${v} is not an integer in 0..${max}`);
    }
  }

  u8(v: number, what = 'u8'): this {
    this.check(v, 0xff, what);
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number, what = 'u16'): this {
    this.check(v, 0xffff, what);
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  u24(v: number, what = 'u24'): this {
    this.check(v, 0xffffff, what);
    this.ensure(3);
    this.buf.writeUIntBE(v, this.pos, 3);
    this.pos += 3;
    return this;
  }

  u32(v: number, what = 'u32'): this {
    this.check(v, 0xffffffff, what);
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  u64(v: bigint, what = 'u64'): this {
    if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) {
      throw new OfCodecError('BAD_FIELD', `${what}: ${String(v)} is not a u64 bigint`);
    }
    this.ensure(8);
    this.buf.writeBigUInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Lets `fill` write exactly n bytes in place at the cursor (addresses parsed without a copy). */
  put(n: number, fill: (buf: Buffer, at: number) => void): this {
    this.ensure(n);
    fill(this.buf, this.pos);
    this.pos += n;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Zero bytes up to the next multiple of `align` counted from `start`. */
  padTo(start: number, align = 8): this {
    const rem = (this.pos - start) % align;
    return rem === 0 ? this : this.zeros(align - rem);
  }

  /** A string in a fixed-size NUL-padded field (at most n-1 bytes, latin1). */
  fixedString(s: string, n: number, what = 'string'): this {
    const b = Buffer.from(s, 'latin1');
    if (b.length > n - 1) throw new OfCodecError('BAD_FIELD', `${what}: longer than ${n - 1} bytes`);
    this.bytes(b);
    return this.zeros(n - b.length);
  }

  /** Overwrite a u16 written earlier (a length field). */
  patchU16(at: number, v: number, what = 'length'): void {
    this.check(v, 0xffff, what);
    this.buf.writeUInt16BE(v, at);
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
