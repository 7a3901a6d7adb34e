/**
 * The Switch value type and its Kytos-compatible JSON (kytos-api.md section 3).
 */
import { entityStatus, interfaceToJson, statusReason, type EntityStatus, type Interface, type InterfaceJson } from './interface.js';

/** What the OFPMP_DESC reply says about a switch. */
export interface SwitchDescription {
  manufacturer: string;
  hardware: string;
  software: string | null;
  serial: string;
  dataPath: string;
}

export interface Switch {
  /** Colon-form dpid; also the id and default name. */
  readonly dpid: string;
  readonly name: string;
  /** `ip:port` of the live connection, or '' when disconnected. */
  readonly connection: string;
  /** `0x04` while connected, null otherwise. */
  readonly ofpVersion: string | null;
  readonly description: SwitchDescription;
  /** From FEATURES_REPLY. */
  readonly nBuffers: number;
  readonly nTables: number;
  readonly capabilities: number;
  /** Interfaces by id, in insertion order. */
  readonly interfaces: ReadonlyMap<string, Interface>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly active: boolean;
  readonly enabled: boolean;
  readonly extraReasons: readonly string[];
}

export const EMPTY_DESCRIPTION: SwitchDescription = {
  manufacturer: '',
  hardware: '',
  software: null,
  serial: '',
  dataPath: '',
};

export function newSwitch(dpid: string, init: Partial<Omit<Switch, 'dpid'>> = {}): Switch {
  return {
    dpid,
    name: init.name ?? dpid,
    connection: init.connection ?? '',
    ofpVersion: init.ofpVersion ?? null,
    description: init.description ?? EMPTY_DESCRIPTION,
    nBuffers: init.nBuffers ?? 0,
    nTables: init.nTables ?? 0,
    capabilities: init.capabilities ?? 0,
    interfaces: init.interfaces ?? new Map(),
    metadata: init.metadata ?? {},
    active: init.active ?? false,
    enabled: init.enabled ?? true,
    extraReasons: init.extraReasons ?? [],
  };
}

/** A copy with one interface added or replaced (insertion order kept). */
export function withInterface(sw: Switch, intf: Interface): Switch {
  const m = new Map(sw.interfaces);
  m.set(intf.id, intf);
  return { ...sw, interfaces: m };
}

export interface SwitchJson {
  id: string;
  name: string;
  dpid: string;
  connection: string;
  ofp_version: string | null;
  type: 'switch';
  manufacturer: string;
  serial: string;
  hardware: string;
  software: string | null;
  data_path: string;
  interfaces: Record<string, InterfaceJson>;
  metadata: Record<string, unknown>;
  active: boolean;
  enabled: boolean;
  status: EntityStatus;
  status_reason: string[];
}

/**
 * Kytos `Switch.as_dict()`, keys in the order the API emits them; each interface rendered by
 * `intfJson` (topology's view adds what only it knows).
 */
export function switchToJson(sw: Switch, intfJson: (intf: Interface) => InterfaceJson = interfaceToJson): SwitchJson {
  const interfaces: Record<string, InterfaceJson> = {};
  for (const [id, intf] of sw.interfaces) interfaces[id] = intfJson(intf);
  return {
    id: sw.dpid,
    name: sw.name,
    dpid: sw.dpid,
    connection: sw.connection,
    ofp_version: sw.connection ? sw.ofpVersion : null,
    type: 'switch',
    manufacturer: sw.description.manufacturer,
    serial: sw.description.serial,
    hardware: sw.description.hardware,
    software: sw.description.software,
    data_path: sw.description.dataPath,
    interfaces,
    metadata: { ...sw.metadata },
    active: sw.active,
    enabled: sw.enabled,
    status: entityStatus(sw),
    status_reason: statusReason(sw),
  };
}
