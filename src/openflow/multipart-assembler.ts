/**
 * Reassembles multipart replies split with OFPMPF_REPLY_MORE (7.3.5): parts
 * with the same xid are merged, in arrival order, into one logical reply
 * whose flags have REPLY_MORE cleared. Bounded: at most `maxPending` xids in
 * flight and `maxParts` parts per xid; beyond that the xid is dropped and an
 * OfCodecError is thrown. The caller drops an xid on its own timeout with
 * `discard`.
 */
import { OFPBRC, OFPET, OFPMPF_REPLY_MORE } from './constants.js';
import { OfCodecError } from './errors.js';
import type { MultipartReplyBody, MultipartReplyMessage } from './messages/multipart-reply.js';

export interface MultipartAssemblerOptions {
  /** Concurrent xids being assembled (default 64). */
  maxPending?: number;
  /** Parts per xid (default 1024, i.e. at most ~64 MiB of bodies). */
  maxParts?: number;
}

interface Pending {
  first: MultipartReplyMessage;
  parts: MultipartReplyBody[];
}

const overflow = (msg: string): OfCodecError =>
  new OfCodecError('MULTIPART_MISMATCH', msg, { ofType: OFPET.BAD_REQUEST, ofCode: OFPBRC.MULTIPART_BUFFER_OVERFLOW });

function merge(parts: MultipartReplyBody[]): MultipartReplyBody {
  const first = parts[0];
  switch (first.mpType) {
    case 'flow':
      return { mpType: 'flow', flows: parts.flatMap((p) => (p as typeof first).flows) };
    case 'table':
      return { mpType: 'table', tables: parts.flatMap((p) => (p as typeof first).tables) };
    case 'port_stats':
      return { mpType: 'port_stats', ports: parts.flatMap((p) => (p as typeof first).ports) };
    case 'port_desc':
      return { mpType: 'port_desc', ports: parts.flatMap((p) => (p as typeof first).ports) };
    case 'raw':
      return { mpType: 'raw', code: first.code, body: Buffer.concat(parts.map((p) => (p as typeof first).body)) };
    case 'desc':
      // A DESC reply is one struct; a switch cannot split it.
      throw new OfCodecError('MULTIPART_MISMATCH', 'desc reply sent in several parts');
  }
}

function sameKind(a: MultipartReplyBody, b: MultipartReplyBody): boolean {
  return a.mpType === b.mpType && (a.mpType !== 'raw' || a.code === (b as typeof a).code);
}

export class MultipartAssembler {
  private readonly pending = new Map<number, Pending>();
  private readonly maxPending: number;
  private readonly maxParts: number;

  constructor(options: MultipartAssemblerOptions = {}) {
    this.maxPending = options.maxPending ?? 64;
    this.maxParts = options.maxParts ?? 1024;
  }

  /**
   * Feeds one part. Returns the whole reply when this part completes it
   * (a reply without REPLY_MORE completes at once), otherwise undefined.
   * Throws OfCodecError (and forgets the xid) when a part changes the
   * multipart type or a bound is exceeded.
   */
  push(part: MultipartReplyMessage): MultipartReplyMessage | undefined {
    const more = (part.flags & OFPMPF_REPLY_MORE) !== 0;
    const p = this.pending.get(part.xid);
    if (!p) {
      if (!more) return part;
      if (this.pending.size >= this.maxPending) throw overflow(`more than ${this.maxPending} multipart replies in flight`);
      this.pending.set(part.xid, { first: part, parts: [part.body] });
      return undefined;
    }
    if (!sameKind(p.parts[0], part.body)) {
      this.pending.delete(part.xid);
      throw new OfCodecError('MULTIPART_MISMATCH', `xid ${part.xid}: multipart type changed between parts`);
    }
    p.parts.push(part.body);
    if (p.parts.length > this.maxParts) {
      this.pending.delete(part.xid);
      throw overflow(`xid ${part.xid}: more than ${this.maxParts} parts`);
    }
    if (more) return undefined;
    this.pending.delete(part.xid);
    const body = merge(p.parts);
    return { ...p.first, flags: part.flags & ~OFPMPF_REPLY_MORE, body };
  }

  /** Forgets a partial reply (request timed out, connection closed). */
  discard(xid: number): boolean {
    return this.pending.delete(xid);
  }

  /** Xids with parts waiting. */
  get size(): number {
    return this.pending.size;
  }

  clear(): void {
    this.pending.clear();
  }
}
