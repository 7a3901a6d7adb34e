/** Datapath ids in Kytos' colon form (`00:00:00:00:00:00:00:01`). */

/** A dpid (bigint, number, 16 hex digits or colon form) in Kytos' colon form. */
export function formatDpid(dpid: bigint | number | string): string {
  const hex =
    typeof dpid === 'string' ? dpid.replace(/:/g, '').toLowerCase() : BigInt(dpid).toString(16);
  if (!/^[0-9a-f]{1,16}$/.test(hex)) throw new RangeError(`not a datapath id: ${String(dpid)}`);
  return hex.padStart(16, '0').match(/../g)!.join(':');
}

/** Colon form (or bare hex) -> bigint. */
export function parseDpid(dpid: string): bigint {
  return BigInt(`0x${formatDpid(dpid).replace(/:/g, '')}`);
}

/** A MAC address from 6 bytes, lowercase colon form. */
export function formatMac(bytes: Uint8Array | string): string {
  if (typeof bytes === 'string') return bytes.toLowerCase();
  return Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}
