/** Southbound options; names match the `openflow.*` config keys where one exists. */
export interface SouthboundTlsOptions {
  port: number;
  /** PEM strings or Buffers (main.ts reads the files named by the config). */
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
  /** Ask for a client certificate and refuse switches without a valid one. */
  requireClientCert?: boolean;
  /**
   * Which dpids each client certificate may announce (`cn:<CN>` or
   * `sha256:<fingerprint>` -> dpids or `*`); empty: no check. A switch whose
   * certificate does not cover its dpid is disconnected and reported.
   */
  dpidsByCertificate?: Record<string, string[]>;
}

export interface SouthboundOptions {
  /** Bind address (config `openflow.host`; tests use 127.0.0.1). */
  host: string;
  /** Listen on the plaintext TCP port too (config `openflow.plaintext`). */
  plaintext: boolean;
  /** TCP port (config `openflow.port`, default 6653; 0 picks a free one). */
  port: number;
  tls?: SouthboundTlsOptions;
  /** Keepalive interval (config `openflow.echoIntervalMs`). */
  echoIntervalMs: number;
  /** Unanswered echoes before close (config `openflow.echoMissedLimit`). */
  echoMissedLimit: number;
  /** Handshake deadline (config `openflow.handshakeTimeoutMs`). */
  handshakeTimeoutMs: number;
  /**
   * Per-connection buffer cap (config `openflow.maxBufferBytes`): bytes queued
   * for writing to a switch that does not read, plus frames held back while its
   * mailbox is full. Over it the connection is closed.
   */
  maxBufferBytes: number;
  /** Largest OpenFlow message accepted (<= 65535). */
  maxFrameBytes: number;
  /** Mailbox of each switch actor (config `openflow.switchMailbox`). */
  switchMailbox: number;
  /** How long the echo probe of an old connection waits when a dpid connects twice. */
  duplicateProbeMs: number;
  /** Default timeout of SwitchService requests. */
  requestTimeoutMs: number;
  /** Malformed messages a peer may send per window before it is closed (config `openflow.malformedBudget`; 0: no limit). */
  malformedBudget: number;
  /** The budget's window (config `openflow.malformedWindowMs`). */
  malformedWindowMs: number;
}

export const DEFAULT_SOUTHBOUND_OPTIONS: SouthboundOptions = {
  host: '0.0.0.0',
  plaintext: true,
  port: 6653,
  echoIntervalMs: 5000,
  echoMissedLimit: 3,
  handshakeTimeoutMs: 10_000,
  maxBufferBytes: 1_048_576,
  maxFrameBytes: 65_535,
  switchMailbox: 4096,
  duplicateProbeMs: 2000,
  requestTimeoutMs: 10_000,
  malformedBudget: 100,
  malformedWindowMs: 10_000,
};
