/**
 * topology's decisions on the live model as pure functions (of_core's
 * switches and ports, of_lldp's links, timers, claims found), each through a
 * `Draft` (draft.ts); the admin commands are in commands.ts, interruptions in
 * interruptions.ts.
 */
import {
  emission,
  topologyInterfaceCreated,
  topologyPortCreated,
  topologySwitchEnabled,
  type Interface,
  type InterfaceJson,
  type PortCreatedContent,
  type Switch,
  type SwitchJson,
} from '#sdk';
import { Draft, type Env, type Step } from './draft.js';
import { applyHeld } from './interruptions.js';
import { DEFAULT_POOL, findInterface, interfaceJson, linkId, sortEndpoints, splitInterfaceId, type TopoState, type TopoView } from './state.js';
import { fromTags, union } from './tags.js';

export { Draft, linkTimerKey, type Env, type Step, type TimerRequest } from './draft.js';
export { onInterruption } from './interruptions.js';

/** An interface as of_core reports it, keeping what topology owns (admin state, metadata, link). */
export function mergeInterface(prev: Interface | undefined, j: InterfaceJson, enabledByDefault: boolean): Interface {
  return {
    id: j.id,
    name: j.name,
    portNumber: j.port_number,
    mac: j.mac,
    switch: j.switch,
    config: 0,
    state: j.active ? 4 : 1,
    speed: j.speed,
    nni: prev?.nni ?? false,
    lldp: prev?.lldp ?? j.lldp,
    active: j.active,
    enabled: prev?.enabled ?? enabledByDefault,
    extraReasons: prev?.extraReasons ?? [],
    link: prev?.link ?? '',
    metadata: prev?.metadata ?? {},
  };
}

/** The switch as of_core reports it, keeping what topology owns. */
function switchUp(d: Draft, j: SwitchJson): void {
  const prev = d.switches.get(j.dpid);
  const enabledByDefault = d.settings.ENABLE_NEW_ENTITIES;
  const interfaces = new Map(prev?.interfaces ?? []);
  for (const ij of Object.values(j.interfaces)) interfaces.set(ij.id, mergeInterface(interfaces.get(ij.id), ij, enabledByDefault));
  const sw: Switch = {
    dpid: j.dpid,
    name: j.name,
    connection: j.connection,
    ofpVersion: j.ofp_version,
    description: { manufacturer: j.manufacturer, hardware: j.hardware, software: j.software, serial: j.serial, dataPath: j.data_path },
    nBuffers: prev?.nBuffers ?? 0,
    nTables: prev?.nTables ?? 0,
    capabilities: prev?.capabilities ?? 0,
    interfaces,
    metadata: prev?.metadata ?? {},
    active: j.active,
    enabled: prev?.enabled ?? enabledByDefault,
    extraReasons: prev?.extraReasons ?? [],
  };
  d.putSwitch(sw);
  // A switch, or ports, first seen while an interruption naming them is held.
  if (!prev || interfaces.size !== prev.interfaces.size) applyHeld(d, { switches: [sw.dpid] });
  if (sw.enabled && sw.active) d.emit(emission(topologySwitchEnabled, { dpid: sw.dpid }));
}

/** `switch.new` / `switch.reconnected`: the switch is active, its interfaces as of_core sees them. */
export function onSwitchUp(state: TopoState, j: SwitchJson, env: Env): Step {
  const d = new Draft(state, env);
  switchUp(d, { ...j, active: true });
  d.settleLinks('link up');
  return d.finish();
}

/**
 * At start: the switches of_core already serves (they connected before topology listened, or
 * topology restarted). Only those topology does not already see active are taken.
 */
export function onResync(state: TopoState, switches: readonly SwitchJson[], env: Env): Step | undefined {
  const missed = switches.filter((j) => j.active && !state.switches.get(j.dpid)?.active);
  if (missed.length === 0) return undefined;
  const d = new Draft(state, env);
  for (const j of missed) switchUp(d, j);
  d.settleLinks('link up');
  return d.finish();
}

/** The switch's connection closed: it stays, inactive, and so do its interfaces and links. */
export function onSwitchLost(state: TopoState, dpid: string, env: Env): Step | undefined {
  const sw = state.switches.get(dpid);
  if (!sw || !sw.active) return undefined;
  const d = new Draft(state, env);
  d.putSwitch({ ...sw, active: false, connection: '' }, false);
  d.settleLinks('link down');
  return d.finish();
}

export type InterfaceChange = 'created' | 'modified' | 'link_up' | 'link_down' | 'deleted';

/** True when nothing but the live port refers to the interface (no link, admin state, metadata or tags of its own). */
function unused(d: Draft, intf: Interface): boolean {
  const pool = d.tags.get(intf.id);
  return !intf.link && Object.keys(intf.metadata).length === 0 && intf.enabled === d.settings.ENABLE_NEW_ENTITIES && !pool;
}

/** A port update from of_core. A deleted port goes when unused, else stays inactive. */
export function onInterface(state: TopoState, j: InterfaceJson, change: InterfaceChange, env: Env): Step | undefined {
  const sw = state.switches.get(j.switch);
  if (!sw) return undefined;
  const d = new Draft(state, env);
  const prev = sw.interfaces.get(j.id);
  const intf = mergeInterface(prev, change === 'deleted' ? { ...j, active: false } : j, env.settings.ENABLE_NEW_ENTITIES);
  if (change === 'deleted' && unused(d, intf)) d.removeInterface(sw, intf.id);
  else {
    d.putInterface(sw, intf, !prev || change === 'deleted');
    if (!prev) applyHeld(d, { interfaces: [intf.id] });
  }
  d.settleLinks(change === 'link_down' || change === 'deleted' ? 'link down' : 'link up');
  return d.finish();
}

/** `interfaces.created`: one `switch.interface.created` per interface, as topology has it. */
export function onInterfacesCreated(state: TopoState, dpid: string, ids: string[], env: Env): Step {
  const d = new Draft(state, env);
  const sw = state.switches.get(dpid);
  for (const id of ids) {
    const intf = sw?.interfaces.get(id);
    if (sw && intf) d.emit(emission(topologyInterfaceCreated, { interface: interfaceJson(sw, intf) }));
  }
  return d.finish();
}

export function onPortCreated(state: TopoState, c: PortCreatedContent, env: Env): Step {
  const d = new Draft(state, env);
  d.emit(emission(topologyPortCreated, c));
  return d.finish();
}

/** of_lldp saw two interfaces connected: the link between them (new ones enabled by default), UP after LINK_UP_TIMER. */
export function onNni(state: TopoState, x: string, y: string, env: Env): Step | undefined {
  if (x === y) return undefined;
  const ex = findInterface(state, x);
  const ey = findInterface(state, y);
  if (!ex || !ey) return undefined;
  const id = linkId(x, y);
  const d = new Draft(state, env);
  if (!d.links.has(id)) {
    const [a, b] = sortEndpoints(x, y);
    d.putLink({ id, a, b, enabled: env.settings.ENABLE_NEW_ENTITIES, metadata: {}, extraReasons: [], activeSince: null, settled: false });
  }
  for (const iid of [x, y]) {
    const e = findInterface(d, iid)!;
    if (e.intf.link !== id || !e.intf.nni) d.putInterface(e.sw, { ...e.intf, nni: true, link: id });
  }
  d.settleLinks('link up');
  return d.finish();
}

/** LINK_UP_TIMER ran out for a link activated at `since`. */
export function onLinkTimer(state: TopoState, id: string, since: number, env: Env): Step | undefined {
  const link = state.links.get(id);
  if (!link || link.activeSince !== since || link.settled) return undefined;
  const d = new Draft(state, env);
  d.putLink({ ...link, settled: true }, false);
  d.settleLinks('link up');
  return d.finish();
}

/** Claims found in the store (another holder took tags): the pool counts them as used. */
export function onClaims(state: TopoState, interfaceId: string, held: number[], env: Env): Step | undefined {
  if (!findInterface(state, interfaceId)) return undefined;
  const d = new Draft(state, env);
  const pool = d.tags.get(interfaceId) ?? DEFAULT_POOL;
  d.putTags(interfaceId, { ...pool, used: union(pool.used, fromTags(held)) });
  d.visible = true;
  return d.finish();
}

/** Helper for commands and asks: the switch of an interface id, or undefined. */
export const switchOf = (view: TopoView, interfaceId: string): Switch | undefined => {
  const split = splitInterfaceId(interfaceId);
  return split ? view.switches.get(split[0]) : undefined;
};

