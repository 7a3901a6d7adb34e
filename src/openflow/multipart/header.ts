import { OFPMP } from '../constants.js';
import type { Writer } from '../wire.js';

/** The multipart types Lattice decodes, by their body's `mpType` name (spec 7.3.5). */
export const MULTIPART_CODE = {
  desc: OFPMP.DESC,
  flow: OFPMP.FLOW,
  table: OFPMP.TABLE,
  port_stats: OFPMP.PORT_STATS,
  port_desc: OFPMP.PORT_DESC,
} as const;

/** Writes the multipart header shared by requests and replies: type, flags, 4 pad bytes. */
export function encodeMultipartHeader(
  w: Writer,
  body: { mpType: keyof typeof MULTIPART_CODE } | { mpType: 'raw'; code: number },
  flags: number,
): void {
  const code = body.mpType === 'raw' ? body.code : MULTIPART_CODE[body.mpType];
  w.u16(code, 'multipart type').u16(flags, 'multipart flags').zeros(4);
}
