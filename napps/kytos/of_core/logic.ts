/**
 * of_core's decisions as pure functions: given the current switches and an
 * input (handshake done, connection lost, port status), return the new state
 * and the bus events to publish. The machine only wires them up.
 */
import {
  emission,
  handshakeCompleted,
  interfaceCreated,
  interfaceDeleted,
  interfaceFromPort,
  interfaceLinkDown,
  interfaceLinkUp,
  interfaceModified,
  interfacesCreated,
  interfaceToJson,
  linkDown,
  newSwitch,
  ofp,
  portCreated,
  switchNew,
  switchReconnected,
  switchToJson,
  withInterface,
  type Emission,
  type EventContract,
  type Interface,
  type InterfaceContent,
  type MessageInContent,
  type PortStatusMessage,
  type Switch,
  type SwitchReadyContent,
} from '#sdk';

/** What of_core knows of one switch. */
export interface SwitchEntry {
  sw: Switch;
  /** Connection currently serving it (null while disconnected). */
  connectionId: string | null;
  /** Per port: sequence number of the last update applied (same connection only). */
  portSeq: ReadonlyMap<number, number>;
  /** Sequence number of the PORT_DESC snapshot of the current connection. */
  snapshotSeq: number;
  /** Stats chain generation: bumped at every (re)connect and disconnect. */
  gen: number;
  /** Delay before the first stats round (ms), assigned once per switch. */
  staggerMs: number;
}

const intfEvent = (event: EventContract<string, InterfaceContent>, intf: Interface): Emission =>
  emission(event, { interface: interfaceToJson(intf) });

/** Interface events for one port update: created / modified (+ link_up / link_down). */
function portChange(prev: Interface | undefined, next: Interface): Emission[] {
  if (!prev) return [intfEvent(interfaceCreated, next)];
  const out: Emission[] = [];
  const changed =
    prev.state !== next.state || prev.config !== next.config || prev.name !== next.name || prev.mac !== next.mac || prev.speed !== next.speed || prev.active !== next.active;
  if (changed) out.push(intfEvent(interfaceModified, next));
  if (linkDown(prev) && !linkDown(next)) out.push(intfEvent(interfaceLinkUp, next));
  if (!linkDown(prev) && linkDown(next)) out.push(intfEvent(interfaceLinkDown, next));
  return out;
}

/** The handshake finished on a connection: create or update the switch and its interfaces. */
export function onReady(entry: SwitchEntry | undefined, c: SwitchReadyContent, staggerMs: number): { entry: SwitchEntry; emits: Emission[] } {
  const dpid = c.dpid;
  const d = c.desc;
  let sw: Switch = {
    ...(entry?.sw ?? newSwitch(dpid)),
    connection: c.connection,
    ofpVersion: '0x04',
    description: d
      ? { manufacturer: d.mfrDesc, hardware: d.hwDesc, software: d.swDesc || null, serial: d.serialNum, dataPath: d.dpDesc }
      : (entry?.sw.description ?? newSwitch(dpid).description),
    nBuffers: c.features.nBuffers,
    nTables: c.features.nTables,
    capabilities: c.features.capabilities,
    active: true,
  };
  const emits: Emission[] = [];
  const portSeq = new Map<number, number>();
  const seen = new Set<string>();
  const created: Interface[] = [];
  for (const port of c.ports) {
    const prev = sw.interfaces.get(`${dpid}:${port.portNo}`);
    const next = interfaceFromPort(dpid, port, prev);
    seen.add(next.id);
    sw = withInterface(sw, next);
    portSeq.set(port.portNo, c.portsSeq);
    emits.push(...portChange(prev, next));
    emits.push(emission(portCreated, { switch: dpid, port: port.portNo, port_description: { alias: port.name, mac: next.mac, state: port.state } }));
    created.push(next);
  }
  // Ports that disappeared while the switch was away.
  for (const intf of sw.interfaces.values()) {
    if (seen.has(intf.id) || !intf.active) continue;
    const gone = { ...intf, active: false };
    sw = withInterface(sw, gone);
    emits.push(intfEvent(interfaceDeleted, gone));
  }
  emits.push(emission(interfacesCreated, { interfaces: created.map(interfaceToJson), dpid }));
  const json = switchToJson(sw);
  // switch.new / reconnected goes first and carries the switch as it is after the handshake.
  emits.unshift(emission(entry ? switchReconnected : switchNew, { switch: json }));
  emits.push(emission(handshakeCompleted, { switch: json }));
  return {
    entry: {
      sw,
      connectionId: c.connection_id,
      portSeq,
      snapshotSeq: c.portsSeq,
      gen: (entry?.gen ?? 0) + 1,
      staggerMs: entry?.staggerMs ?? staggerMs,
    },
    emits,
  };
}

/** The switch's connection closed: it stays known, inactive, with an empty connection. */
export function onLost(entry: SwitchEntry, connectionId: string): SwitchEntry | undefined {
  if (entry.connectionId !== connectionId) return undefined; // an older connection; the current one stands
  return { ...entry, sw: { ...entry.sw, active: false, connection: '' }, connectionId: null, gen: entry.gen + 1 };
}

/**
 * A PORT_STATUS from the switch's current connection. Stale ones (older than
 * the state applied for that port, or than the PORT_DESC snapshot) are ignored
 * when `skipLate` is set.
 */
export function onPortStatus(
  entry: SwitchEntry,
  c: MessageInContent<PortStatusMessage>,
  skipLate: boolean,
): { entry: SwitchEntry; emits: Emission[] } | undefined {
  if (c.source.connection_id !== entry.connectionId) return undefined;
  const m = c.message;
  const dpid = entry.sw.dpid;
  const last = Math.max(entry.portSeq.get(m.port.portNo) ?? 0, entry.snapshotSeq);
  if (skipLate && c.seq < last) return undefined;
  const portSeq = new Map(entry.portSeq);
  portSeq.set(m.port.portNo, c.seq);
  const id = `${dpid}:${m.port.portNo}`;
  const prev = entry.sw.interfaces.get(id);
  if (m.reason === ofp.OFPPR.DELETE) {
    const base = prev ?? interfaceFromPort(dpid, m.port);
    const gone: Interface = { ...base, active: false, state: m.port.state };
    return { entry: { ...entry, portSeq, sw: withInterface(entry.sw, gone) }, emits: [intfEvent(interfaceDeleted, gone)] };
  }
  // ADD or MODIFY. A port re-added after a delete counts as created again.
  const next = interfaceFromPort(dpid, m.port, prev);
  const emits = portChange(prev && (prev.active || m.reason !== ofp.OFPPR.ADD) ? prev : undefined, next);
  return { entry: { ...entry, portSeq, sw: withInterface(entry.sw, next) }, emits };
}

/** Stagger for the n-th switch: (n x step) mod span, span capped at the interval (ms). */
export function staggerFor(n: number, stepS: number, spanS: number, intervalS: number): number {
  const span = Math.max(0, Math.min(spanS, intervalS)) * 1000;
  if (span === 0) return 0;
  return Math.round((n * stepS * 1000) % span);
}
