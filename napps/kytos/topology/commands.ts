/**
 * The admin commands (REST writes and tag-pool asks) as pure functions over
 * the state: each validates with Kytos-ng's status codes and messages (typed
 * errors: 400 / 404 / 409), then returns the new state, the documents to
 * store first, and the events to publish after.
 */
import {
  BadRequestError,
  ConflictError,
  emission,
  interfaceMetadataAdded,
  interfaceMetadataRemoved,
  linkMetadataAdded,
  linkMetadataRemoved,
  NotFoundError,
  switchMetadataAdded,
  switchMetadataRemoved,
  topologyInterfaceDeleted,
  topologyInterfaceDisabled,
  topologyInterfaceEnabled,
  topologyLinkDeleted,
  topologyLinkDisabled,
  topologyLinkEnabled,
  topologySwitchDeleted,
  topologySwitchDisabled,
  topologySwitchEnabled,
  type Interface,
  type StoredFlowDoc,
  type Switch,
  type TagRanges,
} from '#sdk';
import { Draft, type Env, type Step } from './logic.js';
import { availableTags, DEFAULT_POOL, findInterface, interfaceActive, interfaceJson, linkJson, linkStatus, reservedVlan, splitInterfaceId, switchJson, type TopoState } from './state.js';
import { contains, count, DEFAULT_VLAN_RANGES, difference, firstTags, fromTags, intersection, union } from './tags.js';

export type EntityKind = 'switch' | 'interface' | 'link';

/** Flows of a switch from flow_manager, or why they could not be read. */
export type FlowsCheck = { flows: StoredFlowDoc[] } | { error: string };

export type Command =
  | { op: 'switch.enable' | 'switch.disable'; dpid: string }
  | { op: 'switch.delete'; dpid: string; flows: FlowsCheck }
  | { op: 'interface.enable' | 'interface.disable'; dpid: string; port?: number }
  | { op: 'interface.delete'; id: string; flows: FlowsCheck }
  | { op: 'link.enable' | 'link.disable' | 'link.delete'; id: string }
  | { op: 'metadata.add'; kind: EntityKind; id: string; metadata: Record<string, unknown> }
  | { op: 'metadata.delete'; kind: EntityKind; id: string; key: string }
  | { op: 'tags.set'; id: string; ranges: TagRanges }
  | { op: 'tags.reset'; id: string }
  | { op: 'special_tags.set'; id: string; special: string[] }
  | { op: 'tags.allocate'; id: string; tags?: number[]; count?: number }
  | { op: 'tags.release'; id: string; tags: number[] }
  | { op: 'link_tags.allocate'; id: string; tags?: number[]; count?: number }
  | { op: 'link_tags.release'; id: string; tags: number[] };

const OK = 'Operation successful';
const OK_CAPITAL = 'Operation Successful';

function getSwitch(d: Draft, dpid: string, message = 'Switch not found'): Switch {
  const sw = d.switches.get(dpid);
  if (!sw) throw new NotFoundError(message);
  return sw;
}

/** An interface by id, Kytos' way: its switch first, then the port. */
function getInterface(d: Draft, id: string): { sw: Switch; intf: Interface } {
  const split = splitInterfaceId(id);
  if (!split) throw new BadRequestError(`Invalid interface_id ${id}`);
  const sw = getSwitch(d, split[0]);
  const intf = sw.interfaces.get(id);
  if (!intf) throw new NotFoundError('Interface not found');
  return { sw, intf };
}

/** For tag routes and asks: Kytos answers one 404 whatever is missing. */
function getTagInterface(d: Draft, id: string): { sw: Switch; intf: Interface } {
  const e = findInterface(d, id);
  if (!e) throw new NotFoundError('Interface not found');
  return e;
}

function getLink(d: Draft, id: string, message = 'Link not found') {
  const link = d.links.get(id);
  if (!link) throw new NotFoundError(message);
  return link;
}

/** A link's own enabled flag goes off (with its event) when it was on. */
function disableLink(d: Draft, id: string): void {
  const link = d.links.get(id);
  if (!link || !link.enabled) return;
  const next = { ...link, enabled: false };
  d.putLink(next);
  d.emit(emission(topologyLinkDisabled, { link: linkJson(d, next) }));
}

function setSwitchEnabled(d: Draft, dpid: string, on: boolean): void {
  let sw = getSwitch(d, dpid);
  if (on) {
    d.putSwitch({ ...sw, enabled: true });
    d.emit(emission(topologySwitchEnabled, { dpid }));
    d.settleLinks('link enabled');
    return;
  }
  // Kytos-ng's cascade: the switch's links and interfaces are disabled too (enabling it re-enables neither).
  for (const intf of sw.interfaces.values()) if (intf.link) disableLink(d, intf.link);
  const m = new Map<string, Interface>();
  for (const [id, intf] of sw.interfaces) m.set(id, intf.enabled ? { ...intf, enabled: false } : intf);
  sw = { ...sw, enabled: false, interfaces: m };
  d.putSwitch(sw);
  d.emit(emission(topologySwitchDisabled, { dpid }));
  d.settleLinks('link disabled');
}

function setInterfacesEnabled(d: Draft, dpid: string, port: number | undefined, on: boolean): void {
  let sw = getSwitch(d, dpid);
  if (on && !sw.enabled) throw new ConflictError('Enable Switch first');
  const ids = port === undefined ? [...sw.interfaces.keys()] : [`${dpid}:${port}`];
  if (port !== undefined && !sw.interfaces.has(ids[0]!)) throw new NotFoundError(`Switch ${dpid} interface ${port} not found`);
  if (!on) for (const id of ids) if (sw.interfaces.get(id)!.link) disableLink(d, sw.interfaces.get(id)!.link);
  const reason = on ? 'interface enabled' : 'interface disabled';
  for (const id of ids) {
    const intf = { ...sw.interfaces.get(id)!, enabled: on };
    sw = d.putInterface(sw, intf);
    d.emit(emission(on ? topologyInterfaceEnabled : topologyInterfaceDisabled, { interface: interfaceJson(sw, intf), reason }));
  }
  d.settleLinks(on ? 'link enabled' : 'link disabled');
}

function flowsUsing(flows: StoredFlowDoc[], port: number): string | undefined {
  const outputs = (actions: unknown) =>
    Array.isArray(actions) && actions.some((a: { action_type?: string; port?: unknown }) => a?.action_type === 'output' && a.port === port);
  for (const f of flows) {
    if (f.flow?.match?.in_port === port) return f.flow_id;
    const instructions = (f.flow?.instructions ?? []) as { instruction_type?: string; actions?: unknown }[];
    if (instructions.some((i) => i.instruction_type === 'apply_actions' && outputs(i.actions))) return f.flow_id;
    if (outputs(f.flow?.actions)) return f.flow_id;
  }
  return undefined;
}

function deleteSwitch(d: Draft, dpid: string, check: FlowsCheck): void {
  const sw = getSwitch(d, dpid, 'Switch not found.');
  if (sw.enabled) throw new ConflictError('Switch should be disabled.');
  for (const [id, intf] of sw.interfaces) {
    const pool = d.tags.get(id);
    if (pool && (pool.used.length > 0 || pool.specialUsed.length > 0)) {
      throw new ConflictError(`Interface ${id} vlans are being used. Delete any service using vlans.`);
    }
    if (intf.link) throw new ConflictError(`Switch should not have links. Link found ${intf.link}.`);
  }
  if ('error' in check) throw new ConflictError(`Error while getting flows: ${check.error}.`);
  if (check.flows.length > 0) throw new ConflictError('Switch has flows. Verify if a switch is used.');
  const json = switchJson(sw);
  d.removeSwitch(dpid);
  d.emit(emission(topologySwitchDeleted, { switch: json }));
}

function deleteInterface(d: Draft, id: string, check: FlowsCheck): void {
  const split = splitInterfaceId(id);
  if (!split) throw new BadRequestError('Invalid interface id.');
  const sw = getSwitch(d, split[0], 'Switch not found.');
  const intf = sw.interfaces.get(id);
  if (!intf) throw new NotFoundError('Interface not found.');
  const usage =
    intf.enabled || interfaceActive(sw, intf)
      ? 'It is enabled or active.'
      : intf.link
        ? `It has a link, ${intf.link}.`
        : 'error' in check
          ? `Error while getting flows: ${check.error}.`
          : (() => {
              const flow = flowsUsing(check.flows, split[1]);
              return flow ? `There is a flow installed, ${flow}.` : undefined;
            })();
  if (usage) throw new ConflictError(`Interface could not be deleted. Reason: ${usage}`);
  const json = interfaceJson(sw, intf);
  d.removeInterface(sw, id);
  d.emit(emission(topologyInterfaceDeleted, { interface: json }));
}

function setLinkEnabled(d: Draft, id: string, on: boolean): void {
  const link = getLink(d, id);
  if (on) {
    for (const eid of [link.a, link.b]) {
      const e = findInterface(d, eid);
      if (!e || !e.intf.enabled || !e.sw.enabled) throw new ConflictError(`${eid} needs enabling.`);
    }
    if (!link.enabled) {
      const next = { ...link, enabled: true };
      d.putLink(next);
      d.emit(emission(topologyLinkEnabled, { link: linkJson(d, next) }));
    }
    d.settleLinks('link enabled');
    return;
  }
  disableLink(d, id);
  d.settleLinks('link disabled');
}

function deleteLink(d: Draft, id: string): void {
  const link = getLink(d, id, 'Link not found.');
  if (linkStatus(d, link).status !== 'DISABLED') throw new ConflictError('Link is not disabled.');
  const json = linkJson(d, link);
  for (const eid of [link.a, link.b]) {
    const e = findInterface(d, eid);
    if (e && e.intf.link === id) d.putInterface(e.sw, { ...e.intf, link: '', nni: false });
  }
  d.removeLink(id);
  d.emit(emission(topologyLinkDeleted, { link: json }));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function changeMetadata(d: Draft, kind: EntityKind, id: string, change: { add: Record<string, unknown> } | { remove: string }): void {
  const apply = (m: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    if ('add' in change) return { ...m, ...change.add };
    if (!(change.remove in m)) throw new NotFoundError('Metadata not found');
    const next = { ...m };
    delete next[change.remove];
    return next;
  };
  const added = 'add' in change;
  if (kind === 'switch') {
    const sw = getSwitch(d, id);
    const next = { ...sw, metadata: apply(sw.metadata) };
    d.putSwitch(next);
    const content = { switch: switchJson(next), metadata: { ...next.metadata } };
    d.emit(added ? emission(switchMetadataAdded, content) : emission(switchMetadataRemoved, content));
  } else if (kind === 'interface') {
    const e = getInterface(d, id);
    const intf = { ...e.intf, metadata: apply(e.intf.metadata) };
    const sw = d.putInterface(e.sw, intf);
    const content = { interface: interfaceJson(sw, intf), metadata: { ...intf.metadata } };
    d.emit(added ? emission(interfaceMetadataAdded, content) : emission(interfaceMetadataRemoved, content));
  } else {
    const link = getLink(d, id);
    const next = { ...link, metadata: apply(link.metadata) };
    d.putLink(next);
    const content = { link: linkJson(d, next), metadata: { ...next.metadata } };
    d.emit(added ? emission(linkMetadataAdded, content) : emission(linkMetadataRemoved, content));
  }
}

const show = (r: TagRanges) => JSON.stringify(r);

function setTagRanges(d: Draft, id: string, ranges: TagRanges): void {
  getTagInterface(d, id);
  const pool = d.tags.get(id) ?? DEFAULT_POOL;
  const outside = difference(pool.used, ranges);
  if (outside.length > 0) throw new BadRequestError(`The new tag_ranges cannot be applied ${show(outside)} are already used.`);
  d.putTags(id, { ...pool, tagRanges: ranges });
  d.visible = true;
}

function setSpecialTags(d: Draft, id: string, special: string[]): void {
  getTagInterface(d, id);
  const pool = d.tags.get(id) ?? DEFAULT_POOL;
  const missing = pool.specialUsed.filter((t) => !special.includes(t));
  if (missing.length > 0) throw new BadRequestError(`The new special_tags cannot be applied ${JSON.stringify(missing)} are already used.`);
  d.putTags(id, { ...pool, specialTags: special });
  d.visible = true;
}

/** Tags free on every one of the interfaces (the LLDP VLAN held on an enabled switch's). */
function freeOn(d: Draft, ids: readonly string[]): TagRanges {
  let free: TagRanges | undefined;
  for (const id of ids) {
    const { sw } = getTagInterface(d, id);
    const mine = availableTags(d.tags.get(id) ?? DEFAULT_POOL, reservedVlan(sw, d.settings.LLDP_VLAN));
    free = free === undefined ? mine : intersection(free, mine);
  }
  return free ?? [];
}

/** Takes the named tags, or the first `n` free, on every one of the interfaces at once. */
function allocate(d: Draft, ids: readonly string[], tags: number[] | undefined, n: number | undefined): number[] {
  const free = freeOn(d, ids);
  const where = ids.join(' and ');
  let taken: number[];
  if (tags) {
    const missing = difference(fromTags(tags), free);
    if (missing.length > 0) throw new ConflictError(`Tags ${show(missing)} are not available on ${where}.`);
    taken = [...tags];
  } else {
    const want = n ?? 1;
    if (!Number.isInteger(want) || want < 1) throw new BadRequestError('count must be a positive integer.');
    if (count(free) < want) throw new ConflictError(`${want} tags are not available on ${where}.`);
    taken = firstTags(free, want);
  }
  for (const id of ids) {
    const pool = d.tags.get(id) ?? DEFAULT_POOL;
    d.putTags(id, { ...pool, used: union(pool.used, fromTags(taken)) });
    d.claim(id, taken);
  }
  d.visible = true;
  return taken;
}

/** Gives tags back on every one of the interfaces; answers those that were held on all. */
function release(d: Draft, ids: readonly string[], tags: number[]): number[] {
  for (const id of ids) getTagInterface(d, id);
  let held = fromTags(tags);
  for (const id of ids) held = intersection(held, (d.tags.get(id) ?? DEFAULT_POOL).used);
  const released = tags.filter((t) => contains(held, t));
  if (released.length === 0) return released;
  for (const id of ids) {
    const pool = d.tags.get(id) ?? DEFAULT_POOL;
    d.putTags(id, { ...pool, used: difference(pool.used, held) });
    d.unclaim(id, released);
  }
  d.visible = true;
  return released;
}

const endpointsOf = (d: Draft, linkId: string): string[] => {
  const link = getLink(d, linkId);
  return [link.a, link.b];
};

/** Runs a command: the new state, the writes, the events and the answer; throws a typed 400/404/409. */
export function runCommand(state: TopoState, cmd: Command, env: Env): Step {
  const d = new Draft(state, env);
  switch (cmd.op) {
    case 'switch.enable':
    case 'switch.disable':
      setSwitchEnabled(d, cmd.dpid, cmd.op === 'switch.enable');
      return d.finish(OK);
    case 'switch.delete':
      deleteSwitch(d, cmd.dpid, cmd.flows);
      return d.finish(OK);
    case 'interface.enable':
    case 'interface.disable':
      setInterfacesEnabled(d, cmd.dpid, cmd.port, cmd.op === 'interface.enable');
      return d.finish(OK);
    case 'interface.delete':
      deleteInterface(d, cmd.id, cmd.flows);
      return d.finish(OK_CAPITAL);
    case 'link.enable':
    case 'link.disable':
      setLinkEnabled(d, cmd.id, cmd.op === 'link.enable');
      return d.finish(OK);
    case 'link.delete':
      deleteLink(d, cmd.id);
      return d.finish(OK);
    case 'metadata.add':
      if (!isObject(cmd.metadata)) throw new BadRequestError('Invalid metadata: it must be a JSON object.');
      changeMetadata(d, cmd.kind, cmd.id, { add: cmd.metadata });
      return d.finish(OK);
    case 'metadata.delete':
      changeMetadata(d, cmd.kind, cmd.id, { remove: cmd.key });
      return d.finish(OK);
    case 'tags.set':
      setTagRanges(d, cmd.id, cmd.ranges);
      return d.finish(OK_CAPITAL);
    case 'tags.reset':
      setTagRanges(d, cmd.id, DEFAULT_VLAN_RANGES);
      return d.finish(OK_CAPITAL);
    case 'special_tags.set':
      setSpecialTags(d, cmd.id, cmd.special);
      return d.finish(OK_CAPITAL);
    case 'tags.allocate':
      return d.finish(allocate(d, [cmd.id], cmd.tags, cmd.count));
    case 'tags.release':
      return d.finish(release(d, [cmd.id], cmd.tags));
    case 'link_tags.allocate':
      return d.finish(allocate(d, endpointsOf(d, cmd.id), cmd.tags, cmd.count));
    case 'link_tags.release':
      return d.finish(release(d, endpointsOf(d, cmd.id), cmd.tags));
  }
}

