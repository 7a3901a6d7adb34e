/**
 * A private, fully userspace Open vSwitch for tests (DESIGN.md "Real components").
 *
 * Each call to `startOvs()` creates its own temporary run directory, database,
 * `ovsdb-server` and `ovs-vswitchd --enable-dummy --disable-system`, so several
 * instances run side by side and nothing touches the kernel or the system's own
 * OVS service. Bridges use `datapath_type=dummy`, `protocols=OpenFlow13`,
 * `fail-mode=secure` and a fixed `other-config:datapath-id`; host ports are dummy
 * ports and bridges are linked by patch ports. `stop()` kills both daemons by PID.
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OvsOptions {
  /** Controller address used by `addBridge` when none is given (default 127.0.0.1). */
  controllerHost?: string;
  /** Keep the run directory after stop (for debugging). */
  keepDir?: boolean;
  /** Extra `-v` spec for ovs-vswitchd (default `console:off`, file at `info`). */
  verbose?: string;
}

export interface BridgeOptions {
  /** Host (dummy) ports: names, or `{ name, ofport }` to fix the OpenFlow port number. */
  ports?: Array<string | { name: string; ofport?: number }>;
  /** TCP port of the controller; omit for no controller. */
  controllerPort?: number;
  /** Controller reconnect backoff cap in ms (OVS default 8000; we default to 1000 for tests). */
  maxBackoffMs?: number;
  /** Controller inactivity probe in ms (OVS default 5000; 0 disables). */
  inactivityProbeMs?: number;
}

export class OvsUnavailableError extends Error {
  override readonly name = 'OvsUnavailableError';
  readonly code = 'OVS_UNAVAILABLE';
}

/** `00:00:00:00:00:00:00:01` or `1` or `0000000000000001` -> 16 hex digits. */
export function dpidHex(dpid: string | number | bigint): string {
  if (typeof dpid === 'number' || typeof dpid === 'bigint') return BigInt(dpid).toString(16).padStart(16, '0');
  return dpid.replace(/:/g, '').toLowerCase().padStart(16, '0');
}

/** 16 hex digits -> Kytos colon form `00:00:00:00:00:00:00:01`. */
export function dpidColon(dpid: string | number | bigint): string {
  return dpidHex(dpid).match(/../g)!.join(':');
}

function which(bin: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const p = join(dir, bin);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function aptRunning(): boolean {
  try {
    const out = execFileSync('ps', ['-eo', 'comm'], { encoding: 'utf8' });
    return /^(apt|apt-get|dpkg)$/m.test(out);
  } catch {
    return false;
  }
}

/**
 * Make sure the OVS binaries are present; install `openvswitch-switch` with apt when
 * missing and we are root. Throws OvsUnavailableError when that is impossible.
 */
export async function ensureOvsInstalled(): Promise<void> {
  if (which('ovs-vswitchd') && which('ovsdb-server') && which('ovs-vsctl')) return;
  if (process.getuid?.() !== 0) throw new OvsUnavailableError('Open vSwitch is not installed and we are not root');
  for (let i = 0; i < 600 && aptRunning(); i++) await new Promise((r) => setTimeout(r, 1000));
  if (!which('ovs-vswitchd')) {
    try {
      await run('apt-get', ['install', '-y', '--no-install-recommends', 'openvswitch-switch'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        timeout: 600_000,
      });
    } catch (err) {
      throw new OvsUnavailableError(`apt-get install openvswitch-switch failed: ${(err as Error).message}`);
    }
  }
  if (!which('ovs-vswitchd')) throw new OvsUnavailableError('ovs-vswitchd still missing after install');
}

/** True when OVS can be used here; in CI a missing OVS throws instead. */
export async function ovsAvailable(): Promise<boolean> {
  try {
    await ensureOvsInstalled();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    return false;
  }
}

function schemaPath(): string {
  for (const p of ['/usr/share/openvswitch/vswitch.ovsschema', '/usr/local/share/openvswitch/vswitch.ovsschema']) {
    if (existsSync(p)) return p;
  }
  throw new OvsUnavailableError('vswitch.ovsschema not found');
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class Ovs {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  private dbProc?: ChildProcess;
  private swProc?: ChildProcess;
  private stopped = false;
  /** Bridges created through this instance, name -> dpid (16 hex). */
  readonly bridges = new Map<string, string>();

  constructor(private readonly opts: OvsOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'ovs-'));
    this.env = {
      ...process.env,
      OVS_RUNDIR: this.dir,
      OVS_DBDIR: this.dir,
      OVS_LOGDIR: this.dir,
      OVS_SYSCONFDIR: this.dir,
      OVS_PKGDATADIR: '/usr/share/openvswitch',
    };
  }

  get dbSocket(): string {
    return join(this.dir, 'db.sock');
  }

  get ctlSocket(): string {
    return join(this.dir, 'ovs-vswitchd.ctl');
  }

  mgmtSocket(bridge: string): string {
    return join(this.dir, `${bridge}.mgmt`);
  }

  /** PIDs of the two daemons (for the caller's own bookkeeping). */
  get pids(): { ovsdb?: number; vswitchd?: number } {
    return { ovsdb: this.dbProc?.pid, vswitchd: this.swProc?.pid };
  }

  async start(): Promise<this> {
    await ensureOvsInstalled();
    const db = join(this.dir, 'conf.db');
    await run('ovsdb-tool', ['create', db, schemaPath()], { env: this.env });
    this.dbProc = spawn(
      'ovsdb-server',
      [
        db,
        `--remote=punix:${this.dbSocket}`,
        `--unixctl=${join(this.dir, 'ovsdb-server.ctl')}`,
        `--log-file=${join(this.dir, 'ovsdb-server.log')}`,
        '-vconsole:off',
        '--no-chdir',
      ],
      { env: this.env, stdio: 'ignore' },
    );
    this.dbProc.on('error', () => undefined);
    await waitFor(() => existsSync(this.dbSocket), 10_000, 'ovsdb-server socket');
    await this.vsctl(['--no-wait', 'init']);
    this.swProc = spawn(
      'ovs-vswitchd',
      [
        `unix:${this.dbSocket}`,
        '--enable-dummy',
        '--disable-system',
        '--disable-system-route',
        `--unixctl=${this.ctlSocket}`,
        `--log-file=${join(this.dir, 'ovs-vswitchd.log')}`,
        '-vconsole:off',
        ...(this.opts.verbose ? [`-v${this.opts.verbose}`] : []),
        '--no-chdir',
      ],
      { env: this.env, stdio: 'ignore' },
    );
    this.swProc.on('error', () => undefined);
    await waitFor(() => existsSync(this.ctlSocket), 10_000, 'ovs-vswitchd control socket');
    // One round trip through vswitchd so that later vsctl calls can wait on it.
    await this.vsctl(['set', 'Open_vSwitch', '.', 'other_config:vlan-limit=0']);
    return this;
  }

  /** Run ovs-vsctl against this instance's database. */
  async vsctl(args: string[], timeoutS = 30): Promise<string> {
    const { stdout } = await run('ovs-vsctl', [`--db=unix:${this.dbSocket}`, `--timeout=${timeoutS}`, ...args], {
      env: this.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  async appctl(args: string[]): Promise<string> {
    const { stdout } = await run('ovs-appctl', ['-t', this.ctlSocket, ...args], { env: this.env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  async ofctl(args: string[]): Promise<string> {
    const { stdout } = await run('ovs-ofctl', ['-O', 'OpenFlow13', ...args], { env: this.env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  private controllerTarget(port: number): string {
    return `tcp:${this.opts.controllerHost ?? '127.0.0.1'}:${port}`;
  }

  /** The ovs-vsctl argument list (a `--` separated batch) that creates one bridge. */
  bridgeArgs(name: string, dpid: string | number | bigint, o: BridgeOptions = {}): string[] {
    const hex = dpidHex(dpid);
    const args = [
      '--', 'add-br', name,
      '--', 'set', 'bridge', name, 'datapath_type=dummy', 'protocols=OpenFlow13', 'fail-mode=secure',
      `other-config:datapath-id=${hex}`, 'other-config:disable-in-band=true',
    ];
    for (const p of o.ports ?? []) {
      const port = typeof p === 'string' ? { name: p } : p;
      args.push('--', 'add-port', name, port.name, '--', 'set', 'interface', port.name, 'type=dummy');
      if (port.ofport !== undefined) args.push(`ofport_request=${port.ofport}`);
    }
    if (o.controllerPort !== undefined) args.push(...this.controllerArgs(name, o.controllerPort, o));
    return args;
  }

  private controllerArgs(bridge: string, port: number, o: BridgeOptions = {}): string[] {
    const id = `@c_${bridge.replace(/[^A-Za-z0-9_]/g, '_')}`;
    return [
      '--', `--id=${id}`, 'create', 'Controller', `target="${this.controllerTarget(port)}"`,
      `max_backoff=${o.maxBackoffMs ?? 1000}`, `inactivity_probe=${o.inactivityProbeMs ?? 0}`,
      '--', 'set', 'bridge', bridge, `controller=${id}`,
    ];
  }

  async addBridge(name: string, dpid: string | number | bigint, o: BridgeOptions = {}): Promise<void> {
    await this.vsctl(this.bridgeArgs(name, dpid, o));
    this.bridges.set(name, dpidHex(dpid));
  }

  /** Create many bridges in one ovs-vsctl transaction (fast for 100 bridges). */
  async addBridges(list: Array<{ name: string; dpid: string | number | bigint } & BridgeOptions>): Promise<void> {
    const args: string[] = [];
    for (const b of list) args.push(...this.bridgeArgs(b.name, b.dpid, b));
    await this.vsctl(args, 120);
    for (const b of list) this.bridges.set(b.name, dpidHex(b.dpid));
  }

  async delBridge(name: string): Promise<void> {
    await this.vsctl(['--if-exists', 'del-br', name]);
    this.bridges.delete(name);
  }

  async addPort(bridge: string, port: string, ofport?: number): Promise<void> {
    const args = ['--', 'add-port', bridge, port, '--', 'set', 'interface', port, 'type=dummy'];
    if (ofport !== undefined) args.push(`ofport_request=${ofport}`);
    await this.vsctl(args);
  }

  async delPort(bridge: string, port: string): Promise<void> {
    await this.vsctl(['--if-exists', 'del-port', bridge, port]);
  }

  /** Link two bridges with a pair of patch ports `<a>-<b>` / `<b>-<a>` (or given names). */
  async link(a: string, b: string, names?: { a?: string; b?: string; aOfport?: number; bOfport?: number }): Promise<void> {
    const pa = names?.a ?? `${a}-${b}`;
    const pb = names?.b ?? `${b}-${a}`;
    const args = [
      '--', 'add-port', a, pa, '--', 'set', 'interface', pa, 'type=patch', `options:peer=${pb}`,
      ...(names?.aOfport !== undefined ? [`ofport_request=${names.aOfport}`] : []),
      '--', 'add-port', b, pb, '--', 'set', 'interface', pb, 'type=patch', `options:peer=${pa}`,
      ...(names?.bOfport !== undefined ? [`ofport_request=${names.bOfport}`] : []),
    ];
    await this.vsctl(args);
  }

  /**
   * Point a bridge's controller at `port` (a live controller) or, with `null`, at a
   * dead port: the switch disconnects but keeps its flows (del-controller would wipe them).
   */
  async setController(bridge: string, port: number | null, o: BridgeOptions = {}): Promise<void> {
    const target = port ?? 1; // tcp:127.0.0.1:1 — nothing listens there
    await this.vsctl(this.controllerArgs(bridge, target, o));
  }

  /** Point many bridges at one controller port in a single transaction. */
  async setControllers(bridges: string[], port: number | null, o: BridgeOptions = {}): Promise<void> {
    const args: string[] = [];
    for (const b of bridges) args.push(...this.controllerArgs(b, port ?? 1, o));
    await this.vsctl(args, 120);
  }

  /** Set a dummy port's link state (gives OFPT_PORT_STATUS with LINK_DOWN toggled). */
  async setLink(port: string, up: boolean): Promise<void> {
    await this.appctl(['netdev-dummy/set-admin-state', port, up ? 'up' : 'down']);
  }

  /** Flows of a bridge as `ovs-ofctl -O OpenFlow13 dump-flows` prints them (one per line). */
  async dumpFlows(bridge: string, extra: string[] = []): Promise<string[]> {
    const out = await this.ofctl(['dump-flows', `unix:${this.mgmtSocket(bridge)}`, ...extra]);
    return out.split('\n').filter((l) => l.trim() !== '' && !l.includes('OFPST_FLOW reply'));
  }

  /** `ovs-appctl ofproto/trace <bridge> <flow>`; returns the whole text. */
  async trace(bridge: string, flow: string, extra: string[] = []): Promise<string> {
    return this.appctl(['ofproto/trace', bridge, flow, ...extra]);
  }

  /** OpenFlow port numbers of a bridge's ports, name -> ofport. */
  async ofports(bridge: string): Promise<Map<string, number>> {
    const names = (await this.vsctl(['list-ports', bridge])).split('\n').filter(Boolean);
    const m = new Map<string, number>();
    for (const n of names) m.set(n, Number((await this.vsctl(['get', 'interface', n, 'ofport'])).trim()));
    return m;
  }

  /**
   * What OVS itself saw of each bridge's controller connection, from ovs-vswitchd's
   * log (the Controller table's is_connected is refreshed only every few seconds):
   * bridge -> { connects, drops, connected (last state) }.
   */
  controllerLog(): Map<string, { connects: number; drops: number; connected: boolean }> {
    const res = new Map<string, { connects: number; drops: number; connected: boolean }>();
    let text = '';
    try {
      text = readFileSync(join(this.dir, 'ovs-vswitchd.log'), 'utf8');
    } catch {
      return res;
    }
    const re = /\|rconn\|\w+\|([^<|]+)<->tcp:[^:]+:\d+: (connected|connection closed by peer|connection dropped|connection timed out|disconnected)/g;
    for (const m of text.matchAll(re)) {
      const e = res.get(m[1]) ?? { connects: 0, drops: 0, connected: false };
      if (m[2] === 'connected') {
        e.connects++;
        e.connected = true;
      } else {
        e.drops++;
        e.connected = false;
      }
      res.set(m[1], e);
    }
    return res;
  }

  /** Tail of ovs-vswitchd's log, for failure messages. */
  log(lines = 40): string {
    try {
      return readFileSync(join(this.dir, 'ovs-vswitchd.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const p of [this.swProc, this.dbProc]) {
      if (!p || p.exitCode !== null || p.pid === undefined) continue;
      const exited = new Promise<void>((r) => p.once('exit', () => r()));
      try {
        process.kill(p.pid, 'SIGTERM');
      } catch {
        continue;
      }
      const t = setTimeout(() => {
        try {
          if (p.pid !== undefined && p.exitCode === null) process.kill(p.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 3000);
      await exited;
      clearTimeout(t);
    }
    if (!this.opts.keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Start a private userspace OVS. Throws OvsUnavailableError when OVS cannot be had. */
export async function startOvs(opts: OvsOptions = {}): Promise<Ovs> {
  const ovs = new Ovs(opts);
  try {
    return await ovs.start();
  } catch (err) {
    await ovs.stop().catch(() => undefined);
    throw err;
  }
}

/** Skips the calling suite or test when Open vSwitch is missing (never in CI: there `ovsAvailable` throws). */
export async function skipWithoutOvs(context: Mocha.Context): Promise<void> {
  if (await ovsAvailable()) return;
  console.log('    (skipped: Open vSwitch not installed; CI=true makes this a failure)');
  context.skip();
}
