/**
 * Southbound options from the `openflow.*` config section (structurally typed,
 * so src/southbound does not import src/config). For src/main.ts:
 *
 *   const southbound = new Southbound({ system, logic: switchConnectionMachine,
 *     options: southboundOptionsFromConfig(config.openflow) });
 */
import { readFileSync } from 'node:fs';
import type { SouthboundOptions } from './options.js';

export interface OpenflowConfigLike {
  host: string;
  port: number;
  tlsPort: number;
  tlsCert: string;
  tlsKey: string;
  tlsCa: string;
  tlsRequireClientCert: boolean;
  echoIntervalMs: number;
  echoMissedLimit: number;
  maxBufferBytes: number;
  handshakeTimeoutMs: number;
  switchMailbox: number;
  /** Optional keys this module would like in the config (defaults in options.ts). */
  duplicateProbeMs?: number;
  maxFrameBytes?: number;
  requestTimeoutMs?: number;
  plaintext?: boolean;
  tlsDpids?: Record<string, unknown>;
  malformedBudget?: number;
  malformedWindowMs?: number;
}

/** `openflow.tlsDpids`, checked: identity -> list of dpids. */
function dpidMap(value: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, dpids] of Object.entries(value)) {
    if (!/^(cn:.+|sha256:[0-9a-fA-F:]+)$/.test(key) || !Array.isArray(dpids) || dpids.some((d) => typeof d !== 'string')) {
      throw new Error(`openflow.tlsDpids: expected {"cn:<name>" or "sha256:<fingerprint>": [dpid, ...]}, got ${JSON.stringify(key)}`);
    }
    out[key.startsWith('sha256:') ? `sha256:${key.slice(7).replace(/:/g, '').toLowerCase()}` : key] = dpids as string[];
  }
  return out;
}

export function southboundOptionsFromConfig(c: OpenflowConfigLike, read: (path: string) => Buffer = readFileSync): Partial<SouthboundOptions> {
  const options: Partial<SouthboundOptions> = {
    host: c.host,
    port: c.port,
    echoIntervalMs: c.echoIntervalMs,
    echoMissedLimit: c.echoMissedLimit,
    maxBufferBytes: c.maxBufferBytes,
    handshakeTimeoutMs: c.handshakeTimeoutMs,
    switchMailbox: c.switchMailbox,
  };
  if (c.duplicateProbeMs !== undefined) options.duplicateProbeMs = c.duplicateProbeMs;
  if (c.maxFrameBytes !== undefined) options.maxFrameBytes = c.maxFrameBytes;
  if (c.requestTimeoutMs !== undefined) options.requestTimeoutMs = c.requestTimeoutMs;
  if (c.plaintext !== undefined) options.plaintext = c.plaintext;
  if (c.malformedBudget !== undefined) options.malformedBudget = c.malformedBudget;
  if (c.malformedWindowMs !== undefined) options.malformedWindowMs = c.malformedWindowMs;
  if (c.tlsPort > 0) {
    if (!c.tlsCert || !c.tlsKey) throw new Error('openflow.tlsPort is set but openflow.tlsCert / openflow.tlsKey are empty');
    options.tls = {
      port: c.tlsPort,
      cert: read(c.tlsCert),
      key: read(c.tlsKey),
      ca: c.tlsCa ? read(c.tlsCa) : undefined,
      requireClientCert: c.tlsRequireClientCert,
      dpidsByCertificate: dpidMap(c.tlsDpids ?? {}),
    };
  }
  return options;
}
