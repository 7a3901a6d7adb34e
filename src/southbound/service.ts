/**
 * What NApps (of_core first) need from the southbound: the switches that are
 * connected, and ways to talk to them. `src/main.ts` hands a Southbound (which
 * implements this) to the NApp context as the `switches` service.
 */
import type { MultipartReplyMessage, OfMessage } from '../openflow/index.js';

export interface SwitchConnectionInfo {
  /** Colon-form dpid. */
  dpid: string;
  connectionId: string;
  /** `ip:port` of the switch (Kytos' `connection`). */
  remote: string;
  /** Name of the SwitchConnection actor. */
  actor: string;
  /** When the handshake finished (clock ms). */
  readySince: number;
}

export interface RequestOptions {
  /** Default: the southbound's `requestTimeoutMs`. */
  timeoutMs?: number;
}

export interface SwitchService {
  /** Switches whose handshake is done, in connection order. */
  list(): SwitchConnectionInfo[];
  get(dpid: string): SwitchConnectionInfo | undefined;
  /**
   * Fire-and-forget: messages go out in this order (xids assigned by the
   * connection). False when the switch is not connected or its mailbox is full.
   */
  send(dpid: string, messages: OfMessage | OfMessage[]): boolean;
  /** One request; resolves with its reply, rejects with SwitchRequestError (OFPT_ERROR, timeout, disconnect). */
  request(dpid: string, message: OfMessage, opts?: RequestOptions): Promise<OfMessage>;
  /** A multipart request; resolves with every reply part, in order (more-flag reassembly). */
  requestMultipart(dpid: string, message: OfMessage, opts?: RequestOptions): Promise<MultipartReplyMessage[]>;
  /**
   * Sends the messages then a BARRIER_REQUEST; resolves at the BARRIER_REPLY,
   * rejects at the first OFPT_ERROR answering any of them (or timeout/disconnect).
   */
  sendWithBarrier(dpid: string, messages: OfMessage[], opts?: RequestOptions): Promise<void>;
  /** Closes a switch's connection (the switch will reconnect by itself). */
  disconnect(dpid: string, reason?: string): boolean;
}

/** SwitchService calls reject with these (and the runtime's own MailboxFull, AskTimeout); codes and statuses in src/errors. */
export { SwitchNotConnectedError, SwitchRequestError, type SwitchRequestErrorCode, type SwitchRequestDetails } from '../errors/index.js';
