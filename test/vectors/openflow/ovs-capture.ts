/**
 * Captures real OpenFlow 1.3 messages from a private userspace Open vSwitch:
 * ovsdb-server + ovs-vswitchd --enable-dummy on a temp run dir, one bridge
 * (datapath_type=dummy, OpenFlow13, fail-mode=secure, dpid 1) with dummy
 * ports, whose controller is a tiny TCP server here on 127.0.0.1. The
 * server drives a scripted conversation and records every frame each way.
 * Everything started is stopped by PID. Used by the live codec test and by
 * `npx tsx test/vectors/openflow/ovs-capture.ts` (prints the frames as hex).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { peekHeader, encodeMessage, versionBitmap, type OfMessage } from '../../../src/openflow/index.js';

export interface CapturedFrame {
  /** What provoked it, e.g. 'features_request' or 'port added'. */
  label: string;
  /** 'in' = sent by OVS, 'out' = sent by us. */
  dir: 'in' | 'out';
  bytes: Buffer;
}

export interface Capture {
  ovsVersion: string;
  frames: CapturedFrame[];
}

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
/** Flows installed so that OVS splits its FLOW stats reply (about 100 bytes each). */
export const BULK_FLOWS = 1500;

export function ovsAvailable(): boolean {
  for (const bin of ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-appctl']) {
    try {
      execFileSync('which', [bin], { stdio: 'ignore' });
    } catch {
      return false;
    }
  }
  return existsSync(SCHEMA);
}

/** Builds the frames of the scripted conversation; xids are fixed so vectors are stable. */
const script = {
  hello: (): OfMessage => ({ type: 'hello', version: 4, xid: 1, elements: [versionBitmap([4])] }),
};

export async function captureFromOvs(opts: { timeoutMs?: number } = {}): Promise<Capture> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'lattice-ofcap-'));
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir, OVS_SYSCONFDIR: dir };
  const db = `unix:${join(dir, 'db.sock')}`;
  const children: ChildProcess[] = [];
  const vsctl = (...args: string[]): string =>
    execFileSync('ovs-vsctl', [`--db=${db}`, '--timeout=10', ...args], { env, encoding: 'utf8' });
  const appctl = (...args: string[]): string =>
    execFileSync('ovs-appctl', [`--target=${join(dir, 'ovs-vswitchd.ctl')}`, '--timeout=10', ...args], { env, encoding: 'utf8' });
  const start = (cmd: string, args: string[]): ChildProcess => {
    const c = spawn(cmd, args, { env, stdio: 'ignore' });
    children.push(c);
    return c;
  };
  const frames: CapturedFrame[] = [];
  let server: net.Server | undefined;
  let sock: net.Socket | undefined;
  try {
    const ovsVersion = /\d+\.\d+\.\d+/.exec(execFileSync('ovs-vswitchd', ['--version'], { encoding: 'utf8' }))?.[0] ?? 'unknown';
    execFileSync('ovsdb-tool', ['create', join(dir, 'conf.db'), SCHEMA], { env });
    start('ovsdb-server', [
      join(dir, 'conf.db'),
      `--remote=punix:${join(dir, 'db.sock')}`,
      `--unixctl=${join(dir, 'ovsdb-server.ctl')}`,
      `--pidfile=${join(dir, 'ovsdb-server.pid')}`,
      `--log-file=${join(dir, 'ovsdb-server.log')}`,
      '--no-chdir',
    ]);
    for (let i = 0; i < 100 && !existsSync(join(dir, 'db.sock')); i++) await sleep(50);
    vsctl('--no-wait', 'init');
    start('ovs-vswitchd', [
      db,
      '--enable-dummy',
      '--disable-system',
      '--disable-system-route',
      `--unixctl=${join(dir, 'ovs-vswitchd.ctl')}`,
      `--pidfile=${join(dir, 'ovs-vswitchd.pid')}`,
      `--log-file=${join(dir, 'ovs-vswitchd.log')}`,
      '--no-chdir',
    ]);
    for (let i = 0; i < 100 && !existsSync(join(dir, 'ovs-vswitchd.ctl')); i++) await sleep(50);

    // The controller: records frames, and lets the script wait for a given reply.
    let rx = Buffer.alloc(0);
    let label = 'connect';
    const waiters: Array<{ match: (b: Buffer) => boolean; resolve: (b: Buffer) => void }> = [];
    const onFrame = (b: Buffer): void => {
      frames.push({ label, dir: 'in', bytes: b });
      const i = waiters.findIndex((w) => w.match(b));
      if (i !== -1) waiters.splice(i, 1)[0].resolve(b);
    };
    const connected = new Promise<net.Socket>((resolve) => {
      server = net.createServer((s) => {
        sock = s;
        s.on('data', (d) => {
          rx = Buffer.concat([rx, d]);
          for (;;) {
            const h = peekHeader(rx);
            if (!h || h.length < 8 || rx.length < h.length) break;
            onFrame(Buffer.from(rx.subarray(0, h.length)));
            rx = rx.subarray(h.length);
          }
        });
        s.on('error', () => undefined);
        resolve(s);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server!.address() as net.AddressInfo).port;
    const deadline = Date.now() + timeoutMs;
    const waitFor = (what: string, match: (b: Buffer) => boolean): Promise<Buffer> => {
      const seen = frames.find((f) => f.dir === 'in' && match(f.bytes));
      if (seen) return Promise.resolve(seen.bytes);
      return new Promise<Buffer>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), Math.max(1, deadline - Date.now()));
        waiters.push({ match, resolve: (b) => (clearTimeout(t), resolve(b)) });
      });
    };
    const send = (l: string, msg: OfMessage | Buffer): void => {
      label = l;
      const b = Buffer.isBuffer(msg) ? msg : encodeMessage(msg);
      frames.push({ label: l, dir: 'out', bytes: b });
      sock!.write(b);
    };
    const reply = (xid: number, type: number) => (b: Buffer) => b[1] === type && b.readUInt32BE(4) === xid;

    vsctl(
      'add-br', 'br0',
      '--', 'set', 'bridge', 'br0', 'datapath_type=dummy', 'protocols=OpenFlow13', 'fail-mode=secure',
      'other-config:datapath-id=0000000000000001',
      '--', 'add-port', 'br0', 'p1', '--', 'set', 'interface', 'p1', 'type=dummy', 'ofport_request=1',
      '--', 'add-port', 'br0', 'p2', '--', 'set', 'interface', 'p2', 'type=dummy', 'ofport_request=2',
      '--', 'set-controller', 'br0', `tcp:127.0.0.1:${port}`,
      '--', 'set', 'controller', 'br0', 'inactivity_probe=1000',
    );
    let connectTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      connected,
      new Promise((_, reject) => {
        connectTimer = setTimeout(() => reject(new Error('Open vSwitch did not connect to the controller')), Math.max(1, deadline - Date.now()));
      }),
    ]).finally(() => clearTimeout(connectTimer));
    await waitFor('hello', (b) => b[1] === 0);
    send('hello', script.hello());
    send('features_request', { type: 'features_request', version: 4, xid: 2 });
    await waitFor('features_reply', reply(2, 6));
    send('port_desc request', { type: 'multipart_request', version: 4, xid: 3, flags: 0, body: { mpType: 'port_desc' } });
    await waitFor('port_desc reply', reply(3, 19));
    send('desc request', { type: 'multipart_request', version: 4, xid: 4, flags: 0, body: { mpType: 'desc' } });
    await waitFor('desc reply', reply(4, 19));
    send('set_config', { type: 'set_config', version: 4, xid: 5, flags: 0, missSendLen: 0xffff });
    send('get_config_request', { type: 'get_config_request', version: 4, xid: 6 });
    await waitFor('get_config_reply', reply(6, 8));
    send('echo_request', { type: 'echo_request', version: 4, xid: 7, data: Buffer.from('lattice') });
    await waitFor('echo_reply', reply(7, 3));
    send('role_request', { type: 'role_request', version: 4, xid: 8, role: 0, generationId: 0n });
    await waitFor('role_reply', reply(8, 25));
    // A flow that sends misses to us, and one with SEND_FLOW_REM that we delete later.
    send('flow_mod table-miss', {
      type: 'flow_mod', version: 4, xid: 9, cookie: 0n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0,
      priority: 0, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0, match: [],
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 0xfffffffd, maxLen: 0xffff }] }],
    });
    send('flow_mod with send_flow_rem', {
      type: 'flow_mod', version: 4, xid: 10, cookie: 0xabcn, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0,
      priority: 100, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 1,
      match: [{ field: 'in_port', value: 2 }, { field: 'eth_type', value: 0x0800 }, { field: 'ipv4_dst', value: '10.0.0.0', mask: '255.255.255.0' }],
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
    });
    send('barrier_request', { type: 'barrier_request', version: 4, xid: 11 });
    await waitFor('barrier_reply', reply(11, 21));
    send('flow stats request', {
      type: 'multipart_request', version: 4, xid: 12, flags: 0,
      body: { mpType: 'flow', tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n, match: [] },
    });
    await waitFor('flow stats reply', reply(12, 19));
    send('port stats request', { type: 'multipart_request', version: 4, xid: 13, flags: 0, body: { mpType: 'port_stats', portNo: 1 } });
    await waitFor('port stats reply', reply(13, 19));
    send('table stats request', { type: 'multipart_request', version: 4, xid: 14, flags: 0, body: { mpType: 'table' } });
    await waitFor('table stats reply', (b) => b[1] === 19 && b.readUInt32BE(4) === 14 && (b.readUInt16BE(10) & 1) === 0);
    // An ARP request into p1 misses and comes to us as a PACKET_IN.
    label = 'packet into p1';
    appctl('netdev-dummy/receive', 'p1', 'ffffffffffff00000000000108060001080006040001000000000001c0a80001000000000000c0a80002');
    await waitFor('packet_in', (b) => b[1] === 10);
    send('packet_out', {
      type: 'packet_out', version: 4, xid: 15, bufferId: 0xffffffff, inPort: 0xfffffffd,
      actions: [{ type: 'output', port: 2, maxLen: 0 }], data: Buffer.from('ffffffffffff000000000001080600010800060400010000000000010a0000010000000000000a000002', 'hex'),
    });
    send('flow_mod delete', {
      type: 'flow_mod', version: 4, xid: 16, cookie: 0xabcn, cookieMask: 0xffffffffffffffffn, tableId: 0xff, command: 3, idleTimeout: 0,
      hardTimeout: 0, priority: 0, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0, match: [], instructions: [],
    });
    await waitFor('flow_removed', (b) => b[1] === 11);
    label = 'port p3 added';
    vsctl('add-port', 'br0', 'p3', '--', 'set', 'interface', 'p3', 'type=dummy', 'ofport_request=3');
    await waitFor('port_status add', (b) => b[1] === 12 && b[8] === 0);
    label = 'port p3 deleted';
    vsctl('del-port', 'br0', 'p3');
    await waitFor('port_status delete', (b) => b[1] === 12 && b[8] === 1);
    // Errors: an unknown message type, and a FLOW_MOD with a bad table id.
    send('unknown type 200', Buffer.from('04c8000800000011', 'hex'));
    await waitFor('error bad type', reply(17, 1));
    send('group_mod', {
      type: 'group_mod', version: 4, xid: 18, command: 0, groupType: 0, groupId: 1,
      buckets: [{ weight: 0, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
    });
    send('meter_mod', { type: 'meter_mod', version: 4, xid: 19, command: 0, flags: 1, meterId: 1, bands: [{ type: 'drop', rate: 1000, burstSize: 0 }] });
    send('barrier after group/meter', { type: 'barrier_request', version: 4, xid: 20 });
    await waitFor('barrier_reply', reply(20, 21));
    // Enough flows that OVS must split the FLOW stats reply with REPLY_MORE.
    label = 'bulk flow_mod';
    const bulk = Buffer.concat(
      Array.from({ length: BULK_FLOWS }, (_, i) =>
        encodeMessage({
          type: 'flow_mod', version: 4, xid: 1000 + i, cookie: 0xb0000n + BigInt(i), cookieMask: 0n, tableId: 0, command: 0,
          idleTimeout: 0, hardTimeout: 0, priority: 1000, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
          match: [{ field: 'in_port', value: 1 }, { field: 'eth_type', value: 0x0800 }, { field: 'ipv4_dst', value: `10.1.${i >> 8}.${i & 0xff}` }],
          instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }],
        }),
      ),
    );
    sock!.write(bulk);
    send('barrier after bulk', { type: 'barrier_request', version: 4, xid: 21 });
    await waitFor('barrier_reply', reply(21, 21));
    send('flow stats request (bulk)', {
      type: 'multipart_request', version: 4, xid: 22, flags: 0,
      body: { mpType: 'flow', tableId: 0, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0xb0000n, cookieMask: 0xffffffffffff0000n, match: [] },
    });
    await waitFor('last flow stats part', (b) => b[1] === 19 && b.readUInt32BE(4) === 22 && (b.readUInt16BE(10) & 1) === 0);
    // Stay idle past the inactivity probe (1 s): OVS sends an ECHO_REQUEST.
    label = 'idle';
    const echo = await waitFor('echo_request from OVS', (b) => b[1] === 2);
    send('echo_reply', Buffer.concat([Buffer.from([4, 3]), echo.subarray(2)]));
    return { ovsVersion, frames };
  } finally {
    sock?.destroy();
    server?.close();
    for (const c of children.reverse()) {
      if (c.pid !== undefined && c.exitCode === null) c.kill('SIGTERM');
    }
    await Promise.all(
      children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cap = await captureFromOvs();
  console.log(`# captured from Open vSwitch ${cap.ovsVersion}`);
  for (const f of cap.frames) {
    if (f.label === 'bulk flow_mod' && f.bytes[1] === 19) continue; // the split FLOW stats reply: long
    console.log(`${f.dir} ${f.label.padEnd(28)} ${f.bytes.toString('hex')}`);
  }
}
