/**
 * The Interface value type (one switch port) and its Kytos-compatible JSON
 * (kytos-api.md section 3: same keys, same order).
 */
import { formatMac } from './dpid.js';

/** OFPP_LOCAL: the bridge's own port. */
export const PORT_LOCAL = 0xfffffffe;
/** OFPPS_LINK_DOWN / OFPPS_LIVE bits of ofp_port.state. */
export const PORT_STATE_LINK_DOWN = 1 << 0;
export const PORT_STATE_LIVE = 1 << 2;
/** OFPPC_PORT_DOWN bit of ofp_port.config. */
export const PORT_CONFIG_DOWN = 1 << 0;

/** The ofp_port fields the model needs (a structural subset of the codec's port). */
export interface PortInfo {
  portNo: number;
  hwAddr: string | Uint8Array;
  name: string;
  config: number;
  state: number;
  /** ofp_port_features bitmap of the current features. */
  curr: number;
  /** Current speed in kbps (OpenFlow 1.3). */
  currSpeed: number;
}

export type EntityStatus = 'UP' | 'DOWN' | 'DISABLED';

export interface Interface {
  /** `<dpid>:<port_number>`. */
  readonly id: string;
  readonly name: string;
  readonly portNumber: number;
  readonly mac: string;
  /** Owning switch dpid (colon form). */
  readonly switch: string;
  readonly config: number;
  readonly state: number;
  /** Bytes per second, or null when unknown. */
  readonly speed: number | null;
  readonly nni: boolean;
  readonly lldp: boolean;
  readonly active: boolean;
  readonly enabled: boolean;
  /** Reasons beyond disabled/deactivated (e.g. `maintenance`). */
  readonly extraReasons: readonly string[];
  /** Link id or ''. */
  readonly link: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly stats?: Readonly<Record<string, unknown>>;
}

/**
 * Speed in bytes/s as Kytos reports it: from the `curr` feature bits, else from
 * `curr_speed` (kbps); 0 for the LOCAL port without a speed; null when unknown.
 */
export function portSpeed(port: Pick<PortInfo, 'portNo' | 'curr' | 'currSpeed'>): number | null {
  // ofp_port_features: 10MB_HD=1<<0, 10MB_FD=1<<1, 100MB_HD=1<<2, 100MB_FD=1<<3, 1GB_HD=1<<4,
  // 1GB_FD=1<<5, 10GB_FD=1<<6, 40GB_FD=1<<7, 100GB_FD=1<<8, 1TB_FD=1<<9.
  const bits: ReadonlyArray<readonly [number, number]> = [
    [1 << 9, 125_000_000_000],
    [1 << 8, 12_500_000_000],
    [1 << 7, 5_000_000_000],
    [1 << 6, 1_250_000_000],
    [1 << 5, 125_000_000],
    [1 << 4, 125_000_000],
    [1 << 3, 12_500_000],
    [1 << 2, 12_500_000],
    [1 << 1, 1_250_000],
    [1 << 0, 1_250_000],
  ];
  for (const [bit, speed] of bits) if (port.curr & bit) return speed;
  if (port.currSpeed > 0) return port.currSpeed * 125;
  if (port.portNo === PORT_LOCAL) return 0;
  return null;
}

/** Kytos' rule: a port is active when it is LIVE, or when it is the LOCAL port. */
export function portIsActive(port: Pick<PortInfo, 'portNo' | 'state'>): boolean {
  return (port.state & PORT_STATE_LIVE) !== 0 || port.portNo === PORT_LOCAL;
}

export function interfaceId(dpid: string, portNumber: number): string {
  return `${dpid}:${portNumber}`;
}

/** A new Interface from a port description (or an update of an existing one, keeping its admin fields). */
export function interfaceFromPort(dpid: string, port: PortInfo, previous?: Interface): Interface {
  return {
    id: interfaceId(dpid, port.portNo),
    name: port.name,
    portNumber: port.portNo,
    mac: formatMac(port.hwAddr),
    switch: dpid,
    config: port.config,
    state: port.state,
    speed: portSpeed(port),
    nni: previous?.nni ?? false,
    lldp: previous?.lldp ?? true,
    active: portIsActive(port),
    enabled: previous?.enabled ?? true,
    extraReasons: previous?.extraReasons ?? [],
    link: previous?.link ?? '',
    metadata: previous?.metadata ?? {},
    ...(previous?.stats ? { stats: previous.stats } : {}),
  };
}

/** Whether the link is down (OFPPS_LINK_DOWN). */
export function linkDown(intf: Pick<Interface, 'state'>): boolean {
  return (intf.state & PORT_STATE_LINK_DOWN) !== 0;
}

export function entityStatus(e: { enabled: boolean; active: boolean; extraReasons: readonly string[] }): EntityStatus {
  if (!e.enabled) return 'DISABLED';
  if (!e.active || e.extraReasons.length > 0) return 'DOWN';
  return 'UP';
}

export function statusReason(e: { enabled: boolean; active: boolean; extraReasons: readonly string[] }): string[] {
  const r: string[] = [];
  if (!e.enabled) r.push('disabled');
  if (!e.active) r.push('deactivated');
  for (const x of e.extraReasons) if (!r.includes(x)) r.push(x);
  return r;
}

export interface InterfaceJson {
  id: string;
  name: string;
  port_number: number;
  mac: string;
  switch: string;
  type: 'interface';
  nni: boolean;
  uni: boolean;
  speed: number | null;
  metadata: Record<string, unknown>;
  lldp: boolean;
  active: boolean;
  enabled: boolean;
  status: EntityStatus;
  status_reason: string[];
  link: string;
  stats?: Record<string, unknown>;
}

/** Kytos `Interface.as_dict()`, keys in the order the API emits them. */
export function interfaceToJson(i: Interface): InterfaceJson {
  const json: InterfaceJson = {
    id: i.id,
    name: i.name,
    port_number: i.portNumber,
    mac: i.mac,
    switch: i.switch,
    type: 'interface',
    nni: i.nni,
    uni: !i.nni,
    speed: i.speed,
    metadata: { ...i.metadata },
    lldp: i.lldp,
    active: i.active,
    enabled: i.enabled,
    status: entityStatus(i),
    status_reason: statusReason(i),
    link: i.link,
  };
  if (i.stats) json.stats = { ...i.stats };
  return json;
}
