/**
 * A minimal OpenFlow 1.3 switch for tests and benchmarks: connects to the
 * controller, says HELLO, answers FEATURES / PORT_DESC / DESC / ECHO / BARRIER
 * and the stats of_core polls (FLOW: no flows; PORT_STATS: its ports; TABLE: table 0),
 * records what it receives, and can send raw bytes. Loopback only.
 */
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { FrameDecoder } from '../../src/southbound/framing.js';
import { decodeMessage, encodeMessage, ofp, versionBitmap, type OfMessage, type OfPort } from '../../src/openflow/index.js';

export interface EmulatorOptions {
  host?: string;
  port: number;
  dpid: bigint;
  /** Data ports (1..n); a LOCAL port is always added. */
  ports?: number;
  /** Answer echo requests (false = a silent peer once the handshake is done). */
  answerEchoes?: boolean;
  /** Send our HELLO on connect (default true). */
  sendHello?: boolean;
  /** Replace the HELLO we send. */
  hello?: OfMessage;
}

export function emulatedPort(portNo: number, name: string): OfPort {
  return {
    portNo,
    hwAddr: `02:00:00:00:${((portNo >> 8) & 0xff).toString(16).padStart(2, '0')}:${(portNo & 0xff).toString(16).padStart(2, '0')}`,
    name,
    config: 0,
    state: ofp.OFPPS.LIVE,
    curr: ofp.OFPPF['10GB_FD'],
    advertised: 0,
    supported: 0,
    peer: 0,
    currSpeed: 10_000_000,
    maxSpeed: 10_000_000,
  };
}

export class EmulatedSwitch extends EventEmitter {
  readonly socket: net.Socket;
  readonly received: OfMessage[] = [];
  /** Raw frames received (including ones we could not decode). */
  readonly frames: Buffer[] = [];
  answerEchoes: boolean;
  ready = false;
  closed = false;
  private readonly decoder = new FrameDecoder();
  private readonly ports: OfPort[];

  constructor(private readonly opts: EmulatorOptions) {
    super();
    this.answerEchoes = opts.answerEchoes ?? true;
    const n = opts.ports ?? 2;
    this.ports = [...Array.from({ length: n }, (_, i) => emulatedPort(i + 1, `eth${i + 1}`)), { ...emulatedPort(0xfffffffe, 'br'), currSpeed: 0, curr: 0 }];
    this.socket = net.connect({ host: opts.host ?? '127.0.0.1', port: opts.port });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      if (opts.sendHello ?? true) this.send(opts.hello ?? { type: 'hello', version: 4, xid: 1, elements: [versionBitmap([4])] });
      this.emit('connect');
    });
    this.socket.on('data', (chunk) => {
      try {
        this.decoder.push(chunk, (f) => this.onFrame(f));
      } catch (err) {
        this.emit('framing_error', err);
      }
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
      this.emit('close');
    });
  }

  send(m: OfMessage): void {
    if (!this.socket.destroyed) this.socket.write(encodeMessage(m));
  }

  sendRaw(b: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(b);
  }

  private onFrame(frame: Buffer): void {
    this.frames.push(frame);
    let m: OfMessage;
    try {
      m = decodeMessage(frame);
    } catch {
      return;
    }
    this.received.push(m);
    this.emit('message', m);
    switch (m.type) {
      case 'features_request':
        this.send({ type: 'features_reply', version: 4, xid: m.xid, datapathId: this.opts.dpid, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 });
        break;
      case 'multipart_request':
        if (m.body.mpType === 'port_desc') {
          this.send({ type: 'multipart_reply', version: 4, xid: m.xid, flags: 0, body: { mpType: 'port_desc', ports: this.ports } });
        } else if (m.body.mpType === 'desc') {
          this.send({
            type: 'multipart_reply',
            version: 4,
            xid: m.xid,
            flags: 0,
            body: { mpType: 'desc', desc: { mfrDesc: 'Lattice test', hwDesc: 'emulator', swDesc: '0', serialNum: 'None', dpDesc: `emu-${this.opts.dpid}` } },
          });
        } else if (m.body.mpType === 'flow') {
          this.send({ type: 'multipart_reply', version: 4, xid: m.xid, flags: 0, body: { mpType: 'flow', flows: [] } });
        } else if (m.body.mpType === 'port_stats') {
          const ports = this.ports.map((p) => ({
            portNo: p.portNo, rxPackets: 0n, txPackets: 0n, rxBytes: 0n, txBytes: 0n, rxDropped: 0n, txDropped: 0n,
            rxErrors: 0n, txErrors: 0n, rxFrameErr: 0n, rxOverErr: 0n, rxCrcErr: 0n, collisions: 0n, durationSec: 0, durationNsec: 0,
          }));
          this.send({ type: 'multipart_reply', version: 4, xid: m.xid, flags: 0, body: { mpType: 'port_stats', ports } });
        } else if (m.body.mpType === 'table') {
          const tables = [{ tableId: 0, activeCount: 0, lookupCount: 0n, matchedCount: 0n }];
          this.send({ type: 'multipart_reply', version: 4, xid: m.xid, flags: 0, body: { mpType: 'table', tables } });
        }
        break;
      case 'echo_request':
        if (this.answerEchoes) this.send({ type: 'echo_reply', version: 4, xid: m.xid, data: m.data });
        break;
      case 'barrier_request':
        this.send({ type: 'barrier_reply', version: 4, xid: m.xid });
        break;
      case 'set_config':
        this.ready = true;
        this.emit('ready');
        break;
      default:
        break;
    }
  }

  /** Resolves with the first received message matching `pred` (already received ones count). */
  waitFor(pred: (m: OfMessage) => boolean, timeoutMs = 5000): Promise<OfMessage> {
    const found = this.received.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.off('message', on);
        reject(new Error('timeout waiting for a message'));
      }, timeoutMs);
      const on = (m: OfMessage) => {
        if (!pred(m)) return;
        clearTimeout(t);
        this.off('message', on);
        resolve(m);
      };
      this.on('message', on);
    });
  }

  waitReady(timeoutMs = 5000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return waitEvent(this, 'ready', timeoutMs);
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return waitEvent(this, 'close', timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}

function waitEvent(e: EventEmitter, name: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout waiting for ${name}`)), timeoutMs);
    e.once(name, () => {
      clearTimeout(t);
      resolve();
    });
  });
}
