/**
 * OpenFlow byte-stream framing: turns TCP chunks of any size into whole
 * messages, using the 16-bit length at offset 2 of the 8-byte header.
 *
 * Survives 1-byte writes and hundreds of coalesced messages in one chunk.
 * Holds at most one partial frame, so its buffer never exceeds `maxFrameBytes`.
 * A length below 8 or above `maxFrameBytes` cannot be resynchronised: the
 * decoder reports a FramingError carrying the offending bytes, and the caller
 * answers with OFPT_ERROR and closes.
 */

import { ErrorCode, LatticeError } from '../errors/index.js';

export const OFP_HEADER_LEN = 8;
/** The largest length a 16-bit OpenFlow header can state. */
export const OFP_MAX_FRAME = 0xffff;

export type FramingErrorCode = typeof ErrorCode.FrameTooShort | typeof ErrorCode.FrameTooLong;

export class FramingError extends LatticeError {
  declare readonly code: FramingErrorCode;
  constructor(
    code: FramingErrorCode,
    /** The header length field that was rejected. */
    readonly length: number,
    /** The bytes seen so far of the offending frame (at most 64). */
    readonly bytes: Buffer,
    /** Its xid, when the header was complete (0 otherwise). */
    readonly xid: number,
  ) {
    super(code, code === ErrorCode.FrameTooShort ? `OpenFlow length ${length} < 8` : `OpenFlow length ${length} over the limit`, {
      length,
      xid,
    });
  }
}

export interface FrameDecoderOptions {
  /** Largest accepted message, header included (default and maximum 65535). */
  maxFrameBytes?: number;
}

export class FrameDecoder {
  private readonly max: number;
  /** Bytes of the frame being assembled (only ever one partial frame). */
  private partial: Buffer | undefined;
  /** How many bytes of `partial` are filled, and how many are wanted. */
  private filled = 0;
  private target = 0;
  private failed: FramingError | undefined;
  /** Counters, for metrics and tests. */
  framesOut = 0;
  bytesIn = 0;

  constructor(opts: FrameDecoderOptions = {}) {
    this.max = Math.min(OFP_MAX_FRAME, Math.max(OFP_HEADER_LEN, opts.maxFrameBytes ?? OFP_MAX_FRAME));
  }

  /** Bytes currently held (bounded by maxFrameBytes). */
  get buffered(): number {
    return this.partial ? this.filled : 0;
  }

  /** Once an error was reported, the stream is dead: every later push throws it again. */
  get error(): FramingError | undefined {
    return this.failed;
  }

  /**
   * Feed one chunk; calls `onFrame` (as a method of `thisArg`, so a caller needs
   * no closure per chunk) with each complete frame in order (each a
   * Buffer of exactly its header length, safe to keep). Throws FramingError on an
   * impossible length (after delivering the frames that preceded it).
   * Cost is linear in the bytes fed, whatever the chunking.
   */
  push<T = undefined>(chunk: Buffer, onFrame: (this: T, frame: Buffer) => void, thisArg?: T): void {
    if (this.failed) throw this.failed;
    this.bytesIn += chunk.length;
    let off = 0;
    // 1. Finish a frame (or a header) left over from earlier chunks.
    while (this.partial && off < chunk.length) {
      const take = Math.min(this.target - this.filled, chunk.length - off);
      chunk.copy(this.partial, this.filled, off, off + take);
      this.filled += take;
      off += take;
      if (this.filled < this.target) return;
      if (this.target === 4 && this.partial.length === 4) {
        const len = this.partial.readUInt16BE(2);
        this.check(len, this.partial, this.partial.length);
        const frame = Buffer.allocUnsafe(len);
        this.partial.copy(frame, 0, 0, 4);
        this.partial = frame;
        this.target = len;
        continue;
      }
      const frame = this.partial;
      this.partial = undefined;
      this.filled = 0;
      this.framesOut++;
      onFrame.call(thisArg as T, frame);
    }
    // 2. Whole frames straight out of the chunk.
    while (chunk.length - off >= 4) {
      const len = chunk.readUInt16BE(off + 2);
      this.check(len, chunk.subarray(off), chunk.length - off);
      if (chunk.length - off < len) break;
      // Copy so that a retained frame does not pin the whole coalesced chunk.
      const frame = Buffer.allocUnsafe(len);
      chunk.copy(frame, 0, off, off + len);
      off += len;
      this.framesOut++;
      onFrame.call(thisArg as T, frame);
    }
    // 3. Keep the tail: a whole-frame buffer when the length is known, else a 4-byte header buffer.
    const rest = chunk.length - off;
    if (rest === 0) return;
    if (rest >= 4) {
      const len = chunk.readUInt16BE(off + 2);
      this.partial = Buffer.allocUnsafe(len);
      this.target = len;
    } else {
      this.partial = Buffer.allocUnsafe(4);
      this.target = 4;
    }
    chunk.copy(this.partial, 0, off);
    this.filled = rest;
  }

  private check(len: number, bytes: Buffer, available: number): void {
    if (len >= OFP_HEADER_LEN && len <= this.max) return;
    const seen = Buffer.from(bytes.subarray(0, Math.min(64, available)));
    const xid = available >= 8 ? bytes.readUInt32BE(4) : 0;
    this.failed = new FramingError(len < OFP_HEADER_LEN ? ErrorCode.FrameTooShort : ErrorCode.FrameTooLong, len, seen, xid);
    this.partial = undefined;
    throw this.failed;
  }

  /** Convenience for tests: push and collect. */
  pushAll(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.push(chunk, (f) => out.push(f));
    return out;
  }
}
