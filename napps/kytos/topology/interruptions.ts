/**
 * Interruptions as topology holds them (pure). A `topology.interruption.start`
 * is held, stored, under its type and id (maintenance: the window's id) until
 * the `end` with that id; an entity has the interruption type among its status
 * reasons exactly while a held interruption of that type names it (a switch:
 * it and its interfaces; an interface: it, and so its link; a link). Two
 * windows naming one entity keep it DOWN until both ended. A restart begins
 * with the stored interruptions already on the entities, before any switch
 * reconnects: their links never look UP, so no `link_up` is announced for them
 * and mef_eline has nothing to move.
 */
import { createHash } from 'node:crypto';
import { emission, topologyInterfaceDown, topologyInterfaceUp, type HeldInterruption, type InterruptionContent } from '#sdk';
import { Draft, type Env, type Step } from './draft.js';
import { findInterface, interfaceJson, type TopoState } from './state.js';

/** The reason of an interruption whose type is empty. */
const DEFAULT_TYPE = 'maintenance';

type ItemLists = Pick<HeldInterruption, 'switches' | 'interfaces' | 'links'>;
interface Items {
  switches: Set<string>;
  interfaces: Set<string>;
  links: Set<string>;
}

const itemsOf = (...xs: Partial<ItemLists>[]): Items => ({
  switches: new Set(xs.flatMap((x) => x.switches ?? [])),
  interfaces: new Set(xs.flatMap((x) => x.interfaces ?? [])),
  links: new Set(xs.flatMap((x) => x.links ?? [])),
});

/** Where an interruption is held: `type:id`, or, without an id, `type:#` and a digest of its items. */
export function interruptionKey(type: string, c: Pick<InterruptionContent, 'id' | 'switches' | 'interfaces' | 'links'>): string {
  if (c.id) return `${type}:${c.id}`;
  const lists = [c.switches, c.interfaces, c.links].map((l) => [...(l ?? [])].sort());
  return `${type}:#${createHash('sha256').update(JSON.stringify(lists)).digest('hex').slice(0, 32)}`;
}

const withReason = (reasons: readonly string[], r: string, on: boolean): readonly string[] =>
  on ? (reasons.includes(r) ? reasons : [...reasons, r]) : reasons.filter((x) => x !== r);

/**
 * Puts `type` among the reasons of the `touched` entities (a switch's
 * interfaces with it) exactly when a held interruption of that type names
 * them; `announce`: each interface that changes fires `interface.down|up`.
 */
function reconcile(d: Draft, type: string, touched: Items, announce: boolean): void {
  const cover = itemsOf(...[...d.interruptions.values()].filter((h) => h.type === type));
  const interfaces = new Set(touched.interfaces);
  for (const dpid of touched.switches) {
    const sw = d.switches.get(dpid);
    if (!sw) continue;
    for (const id of sw.interfaces.keys()) interfaces.add(id);
    const on = cover.switches.has(dpid);
    if (sw.extraReasons.includes(type) !== on) d.putSwitch({ ...sw, extraReasons: withReason(sw.extraReasons, type, on) }, false);
  }
  for (const id of interfaces) {
    const e = findInterface(d, id);
    if (!e) continue;
    const on = cover.interfaces.has(id) || cover.switches.has(e.sw.dpid);
    if (e.intf.extraReasons.includes(type) === on) continue;
    const intf = { ...e.intf, extraReasons: withReason(e.intf.extraReasons, type, on) };
    const sw = d.putInterface(e.sw, intf, false);
    if (announce) d.emit(emission(on ? topologyInterfaceDown : topologyInterfaceUp, { interface: interfaceJson(sw, intf), reason: type }));
  }
  for (const id of touched.links) {
    const link = d.links.get(id);
    if (!link) continue;
    const on = cover.links.has(id);
    if (link.extraReasons.includes(type) !== on) d.putLink({ ...link, extraReasons: withReason(link.extraReasons, type, on) }, false);
  }
}

const sameHeld = (a: HeldInterruption | undefined, b: HeldInterruption) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/**
 * `topology.interruption.start|end`. A start is held (and stored) under its
 * key, replacing what that key held; an end with an id releases what its start
 * held, whatever items the end names; an end without one releases the items it
 * names from every held interruption of its type. The entities whose reasons
 * changed go DOWN or come back, with `interface.down|up` and `link_down|up`.
 */
export function onInterruption(state: TopoState, c: InterruptionContent, start: boolean, env: Env): Step {
  const d = new Draft(state, env);
  const type = c.type || DEFAULT_TYPE;
  const named: ItemLists = { switches: [...(c.switches ?? [])], interfaces: [...(c.interfaces ?? [])], links: [...(c.links ?? [])] };
  let touched: Items;
  if (start || c.id) {
    const key = interruptionKey(type, c);
    const prev = d.interruptions.get(key);
    if (start) {
      const held: HeldInterruption = { type, id: c.id ?? null, ...named };
      if (!sameHeld(prev, held)) d.holdInterruption(key, held);
    } else d.releaseInterruption(key);
    touched = itemsOf(named, ...(prev ? [prev] : []));
  } else {
    for (const [key, h] of [...d.interruptions]) {
      if (h.type !== type) continue;
      const rest: HeldInterruption = {
        ...h,
        switches: h.switches.filter((x) => !named.switches.includes(x)),
        interfaces: h.interfaces.filter((x) => !named.interfaces.includes(x)),
        links: h.links.filter((x) => !named.links.includes(x)),
      };
      if (rest.switches.length + rest.interfaces.length + rest.links.length === 0) d.releaseInterruption(key);
      else if (!sameHeld(h, rest)) d.holdInterruption(key, rest);
    }
    touched = itemsOf(named);
  }
  reconcile(d, type, touched, true);
  d.settleLinks(type);
  return d.finish();
}

/**
 * Entities that appear while interruptions are held (a switch or port first
 * seen during a window that named it) take their reasons, as Kytos-ng's
 * status functions give them by id; nothing is announced.
 */
export function applyHeld(d: Draft, touched: Partial<ItemLists>): void {
  if (d.interruptions.size === 0) return;
  for (const type of new Set([...d.interruptions.values()].map((h) => h.type))) reconcile(d, type, itemsOf(touched), false);
}

/** The restored state with the reasons of the interruptions it holds (at start-up, before any switch event). */
export function withHeldReasons(state: TopoState, env: Env): TopoState {
  if (state.interruptions.size === 0) return state;
  const d = new Draft(state, env);
  for (const type of new Set([...state.interruptions.values()].map((h) => h.type))) {
    reconcile(d, type, itemsOf(...[...state.interruptions.values()].filter((h) => h.type === type)), false);
  }
  return d.finish().state;
}

/** What `listInterruptions` answers. */
export const heldInterruptions = (state: TopoState): HeldInterruption[] => [...state.interruptions.values()].map((h) => ({ ...h }));
