/**
 * Which dpids a switch's TLS client certificate may announce
 * (`openflow.tlsDpids`): `{"cn:<subject CN>" | "sha256:<fingerprint hex>": [dpid, ...] | ["*"]}`.
 * One Open vSwitch instance uses one certificate for all its bridges, so an
 * entry lists every dpid it may present. Pure.
 */

export interface PeerCertificateFacts {
  /** Subject common name, when the certificate has one. */
  cn?: string;
  /** SHA-256 fingerprint as Node prints it (`AB:CD:...`) or plain hex. */
  fingerprint256?: string;
}

/** dpid in Kytos' colon form, lower case, 16 hex digits (accepts plain hex and 0x). */
export function normaliseDpid(dpid: string): string {
  const hex = dpid.toLowerCase().replace(/^0x/, '').replace(/:/g, '');
  if (!/^[0-9a-f]{1,16}$/.test(hex)) return dpid.toLowerCase();
  return hex.padStart(16, '0').match(/../g)!.join(':');
}

export type DpidMap = Readonly<Record<string, readonly string[]>>;

/** The identities a certificate is known by in the map. */
export function certificateKeys(cert: PeerCertificateFacts): string[] {
  const keys: string[] = [];
  if (cert.fingerprint256) keys.push(`sha256:${cert.fingerprint256.replace(/:/g, '').toLowerCase()}`);
  if (cert.cn) keys.push(`cn:${cert.cn}`);
  return keys;
}

/**
 * Undefined when the dpid may connect; else why not. An empty map checks
 * nothing; a plaintext connection (`cert === null`) is checked by
 * `openflow.plaintext` instead.
 */
export function certificateRefusal(map: DpidMap, cert: PeerCertificateFacts | null | undefined, dpid: string): string | undefined {
  if (Object.keys(map).length === 0 || cert === null) return undefined;
  if (!cert || (!cert.cn && !cert.fingerprint256)) return 'no_client_certificate';
  const want = normaliseDpid(dpid);
  for (const key of certificateKeys(cert)) {
    const allowed = map[key];
    if (allowed && allowed.some((d) => d === '*' || normaliseDpid(d) === want)) return undefined;
  }
  return 'certificate_dpid_mismatch';
}
