/**
 * topology's machine: owns the topology (one actor, so every change, tag
 * allocations included, is serialized), turns of_core / of_lldp /
 * maintenance events into the live model, and runs admin commands in order,
 * one durable write at a time: store -> state -> emit -> answer. Effects are
 * named actions (`persist`, `emit`, `answer`, `startTimer`, `publish`,
 * `restore`) provided by index.ts; tests step it as data.
 */
import { assign, setup } from 'xstate';
import {
  allocateLinkTags,
  allocateTags,
  ConflictError,
  releaseLinkTags,
  connectionLost,
  getInterfaceTags,
  getTopology,
  getTopologyLink,
  getTopologySwitch,
  handshakeCompleted,
  interfaceCreated,
  interfaceDeleted,
  interfaceIsNni,
  interfaceLinkDown,
  interfaceLinkUp,
  interfaceModified,
  interfacesCreated,
  interruptionEnd,
  interruptionStart,
  listInterruptions,
  livenessDisabled,
  livenessDown,
  livenessUp,
  lldpNetworkStatusUpdated,
  loopActionDisable,
  portCreated,
  releaseTags,
  switchNew,
  switchReconnected,
  type Emission,
  type Reply,
} from '#sdk';
import { runCommand as runCommandFn, type Command } from './commands.js';
import type { Write } from './docs.js';
import { runCommand, type TopologyEvent } from './events.js';
import { heldInterruptions } from './interruptions.js';
import { onLiveness, onLldpStatus } from './lldp.js';
import {
  onInterface,
  onInterfacesCreated,
  onInterruption,
  onClaims,
  onLinkTimer,
  onNni,
  onPortCreated,
  onResync,
  onSwitchLost,
  onSwitchUp,
  type Env,
  type InterfaceChange,
  type Step,
  type TimerRequest,
} from './logic.js';
import { defaults, type TopologySettings } from './settings.js';
import { emptyState, linkJson, splitInterfaceId, switchJson, tagsJson, TopologyJsonCache, type TopoState } from './state.js';

/** A command waiting for its turn (the head is the one being written). */
export interface Pending {
  command: Command;
  replyTo?: Reply<unknown>;
}

export interface TopologyContext {
  settings: TopologySettings;
  now: () => number;
  state: TopoState;
  queue: readonly Pending[];
  /** Ticket of the command write in flight, or null. */
  writing: number | null;
  /** How many commands (from the head of the queue) that write holds (tag commands are group-committed). */
  writingCount?: number;
  ticket: number;
  /** Live-model writes issued so far, and when the write in flight started. */
  liveWrites: number;
  liveAtStart: number;
  /** `getTopology`'s answers, kept per version (a cache, not state: nothing decides by it). */
  topologyJson: TopologyJsonCache;
}

export interface PersistParams {
  writes: Write[];
  /** Set for a command's write: its result comes back as `topology.persisted`. */
  ticket?: number;
  /** A command write: each command's writes (several tag commands share one durable write). */
  groups?: Write[][];
}

export interface AnswerParams {
  replyTo?: Reply<never>;
  value?: unknown;
  error?: unknown;
}

type Effect =
  | { type: 'persist'; params: PersistParams }
  | { type: 'emit'; params: Emission }
  | { type: 'answer'; params: AnswerParams }
  | { type: 'startTimer'; params: TimerRequest }
  | { type: 'publish'; params: { state: TopoState } }
  | { type: 'reloadClaims'; params: { interfaceId: string } };

const env = (c: TopologyContext): Env => ({ now: c.now(), settings: c.settings });

/** The effects of an applied step, in order: store, emit, timers, publish (the answer is the caller's). */
function applied(step: Step, persist: boolean): Effect[] {
  const out: Effect[] = [];
  if (persist && step.writes.length > 0) out.push({ type: 'persist', params: { writes: step.writes } });
  for (const e of step.emits) out.push({ type: 'emit', params: e });
  for (const t of step.timers) out.push({ type: 'startTimer', params: t });
  if (step.visible) out.push({ type: 'publish', params: { state: step.state } });
  return out;
}

/** Tag commands: consecutive ones are written together (group commit). */
const GROUPABLE: ReadonlySet<Command['op']> = new Set(['tags.allocate', 'tags.release', 'link_tags.allocate', 'link_tags.release']);
/** At most this many commands share one write. */
export const MAX_GROUP = 256;
const isAllocate = (cmd: Command): cmd is Extract<Command, { op: 'tags.allocate' | 'link_tags.allocate' }> => cmd.op === 'tags.allocate' || cmd.op === 'link_tags.allocate';
const claimKeys = (writes: readonly Write[]): string[] => writes.flatMap((w) => (w.coll !== 'claims' ? [] : 'create' in w ? [w.create.id] : [w.delete]));

/** The tags picked now are the tags claimed: the commit runs the command again with exactly them. */
function fixed(p: Pending, value: unknown): Pending {
  const cmd = p.command;
  return (cmd.op === 'tags.allocate' || cmd.op === 'link_tags.allocate') && !cmd.tags ? { ...p, command: { op: cmd.op, id: cmd.id, tags: value as number[] } } : p;
}

/**
 * Starts the next commands: those that fail validation or write nothing are
 * answered at once; the first that writes is persisted and waits. A tag
 * command takes the tag commands queued behind it into the same write (each
 * computed on the state the ones before it leave), up to MAX_GROUP, stopping
 * at one that touches a claim an earlier one touches: many allocations, one
 * durable write, each answered once it is durable.
 */
export function drain(c: TopologyContext): { patch: Partial<TopologyContext>; effects: Effect[] } {
  const effects: Effect[] = [];
  let state = c.state;
  const queue = [...c.queue];
  let ticket = c.ticket;
  while (queue.length > 0) {
    const head = queue[0]!;
    let step: Step;
    try {
      step = runCommandFn(state, head.command, env(c));
    } catch (error) {
      effects.push({ type: 'answer', params: { replyTo: head.replyTo as Reply<never>, error } });
      queue.shift();
      continue;
    }
    if (step.writes.length === 0) {
      state = step.state;
      effects.push(...applied(step, false), { type: 'answer', params: { replyTo: head.replyTo as Reply<never>, value: step.value } });
      queue.shift();
      continue;
    }
    queue[0] = fixed(head, step.value);
    const groups: Write[][] = [step.writes];
    if (GROUPABLE.has(head.command.op)) {
      const touched = new Set(claimKeys(step.writes));
      let after = step.state;
      while (groups.length < MAX_GROUP && groups.length < queue.length) {
        const p = queue[groups.length]!;
        if (!GROUPABLE.has(p.command.op)) break;
        let s: Step;
        try {
          s = runCommandFn(after, p.command, env(c));
        } catch {
          break; // answered when it reaches the head
        }
        const keys = claimKeys(s.writes);
        if (s.writes.length === 0 || keys.some((k) => touched.has(k))) break;
        for (const k of keys) touched.add(k);
        queue[groups.length] = fixed(p, s.value);
        groups.push(s.writes);
        after = s.state;
      }
    }
    ticket++;
    effects.push({ type: 'persist', params: { writes: groups.flat(), ticket, groups } });
    return { patch: { state, queue, ticket, writing: ticket, writingCount: groups.length, liveAtStart: c.liveWrites }, effects };
  }
  return { patch: { state, queue, ticket, writing: null, writingCount: 0 }, effects };
}

/**
 * The write of the commands at the head is durable (or failed): apply them in
 * order on the state as it is now, answer each, go on. `failed` names the
 * commands (by position) whose claims another holder had: nothing of the
 * write was kept, those are refused and the others are written again.
 */
export function committed(c: TopologyContext, ticket: number, error: unknown, failed?: readonly number[]): { patch: Partial<TopologyContext>; effects: Effect[] } {
  if (ticket !== c.writing || c.queue.length === 0) return { patch: {}, effects: [] };
  const n = Math.max(1, Math.min(c.writingCount ?? 1, c.queue.length));
  const batch = c.queue.slice(0, n);
  const retry: Pending[] = [];
  const effects: Effect[] = [];
  let state = c.state;
  if (error !== undefined) {
    batch.forEach((head, i) => {
      const cmd = head.command;
      if (failed && !failed.includes(i)) retry.push(head);
      else if (isAllocate(cmd) && (error as { code?: string }).code === 'CONFLICT') {
        // Another holder took a tag this instance thought free: learn what is held, and say so.
        const link = cmd.op === 'link_tags.allocate' ? c.state.links.get(cmd.id) : undefined;
        for (const interfaceId of link ? [link.a, link.b] : [cmd.id]) effects.push({ type: 'reloadClaims', params: { interfaceId } });
        effects.push({ type: 'answer', params: { replyTo: head.replyTo as Reply<never>, error: new ConflictError(`Tags are not available on ${cmd.id}: held elsewhere.`) } });
      } else effects.push({ type: 'answer', params: { replyTo: head.replyTo as Reply<never>, error } });
    });
  } else {
    // Live writes went out meanwhile (computed without these commands): write the final documents
    // again, after them (claims are already made: not twice).
    const again = c.liveWrites !== c.liveAtStart;
    const rewrites: Write[] = [];
    const after: Effect[] = [];
    const answers: Effect[] = [];
    let visible = false;
    for (const head of batch) {
      try {
        const step = runCommandFn(state, head.command, env(c));
        state = step.state;
        if (again) rewrites.push(...step.writes.filter((w) => w.coll !== 'claims'));
        after.push(...applied({ ...step, writes: [], visible: false }, false));
        visible ||= step.visible;
        answers.push({ type: 'answer', params: { replyTo: head.replyTo as Reply<never>, value: step.value } });
      } catch (e) {
        answers.push({ type: 'answer', params: { replyTo: head.replyTo as Reply<never>, error: e } });
      }
    }
    if (rewrites.length > 0) effects.push({ type: 'persist', params: { writes: rewrites } });
    effects.push(...after);
    if (visible) effects.push({ type: 'publish', params: { state } });
    effects.push(...answers);
  }
  const next = drain({ ...c, state, queue: [...retry, ...c.queue.slice(n)], writing: null });
  return { patch: next.patch, effects: [...effects, ...next.effects] };
}

const base = setup({
  types: {
    context: {} as TopologyContext,
    events: {} as TopologyEvent,
    input: {} as { settings?: Partial<TopologySettings>; clock?: { now(): number } },
  },
  actions: {
    /** Effects, provided by index.ts. */
    persist: (_, _p: PersistParams) => undefined,
    emit: (_, _p: Emission) => undefined,
    answer: (_, _p: AnswerParams) => undefined,
    startTimer: (_, _p: TimerRequest) => undefined,
    publish: (_, _p: { state: TopoState }) => undefined,
    reloadClaims: (_, _p: { interfaceId: string }) => undefined,
    /** Puts the stored topology in place before any message (index.ts provides it as an assign). */
    restore: assign({}),
    /** Sends the machine the switches of_core already served at start (as `topology.resync`). */
    resync: () => undefined,
  },
});

type Live = (c: TopologyContext, e: TopologyEvent) => Step | undefined;

const interfaceChange = (change: InterfaceChange): Live => (c, e) => ('content' in e && 'interface' in e.content ? onInterface(c.state, e.content.interface, change, env(c)) : undefined);

/** Live inputs: applied at once; their writes follow (the world already changed). */
const LIVE: Record<string, Live> = {
  [switchNew.type]: (c, e) => (e.type === switchNew.type ? onSwitchUp(c.state, e.content.switch, env(c)) : undefined),
  [switchReconnected.type]: (c, e) => (e.type === switchReconnected.type ? onSwitchUp(c.state, e.content.switch, env(c)) : undefined),
  [handshakeCompleted.type]: (c, e) => {
    if (e.type !== handshakeCompleted.type) return undefined;
    const known = c.state.switches.get(e.content.switch.dpid);
    return known?.active ? undefined : onSwitchUp(c.state, e.content.switch, env(c));
  },
  [connectionLost.type]: (c, e) => (e.type === connectionLost.type && e.content.dpid ? onSwitchLost(c.state, e.content.dpid, env(c)) : undefined),
  [interfaceCreated.type]: interfaceChange('created'),
  [interfaceModified.type]: interfaceChange('modified'),
  [interfaceLinkUp.type]: interfaceChange('link_up'),
  [interfaceLinkDown.type]: interfaceChange('link_down'),
  [interfaceDeleted.type]: interfaceChange('deleted'),
  [interfacesCreated.type]: (c, e) =>
    e.type === interfacesCreated.type ? onInterfacesCreated(c.state, e.content.dpid, e.content.interfaces.map((i) => i.id), env(c)) : undefined,
  [portCreated.type]: (c, e) => (e.type === portCreated.type ? onPortCreated(c.state, e.content, env(c)) : undefined),
  [interfaceIsNni.type]: (c, e) =>
    e.type === interfaceIsNni.type ? onNni(c.state, e.content.interface_a?.id, e.content.interface_b?.id, env(c)) : undefined,
  [interruptionStart.type]: (c, e) => (e.type === interruptionStart.type ? onInterruption(c.state, e.content, true, env(c)) : undefined),
  [interruptionEnd.type]: (c, e) => (e.type === interruptionEnd.type ? onInterruption(c.state, e.content, false, env(c)) : undefined),
  [lldpNetworkStatusUpdated.type]: (c, e) =>
    e.type === lldpNetworkStatusUpdated.type ? onLldpStatus(c.state, e.content.interface_ids ?? [], e.content.state === 'enabled', env(c)) : undefined,
  [livenessUp.type]: (c, e) => (e.type === livenessUp.type ? onLiveness(c.state, [e.content.interface_a.id, e.content.interface_b.id], 'up', env(c)) : undefined),
  [livenessDown.type]: (c, e) => (e.type === livenessDown.type ? onLiveness(c.state, [e.content.interface_a.id, e.content.interface_b.id], 'down', env(c)) : undefined),
  [livenessDisabled.type]: (c, e) => (e.type === livenessDisabled.type ? onLiveness(c.state, e.content.interfaces.map((i) => i.id), null, env(c)) : undefined),
  'topology.resync': (c, e) => (e.type === 'topology.resync' ? onResync(c.state, e.switches, env(c)) : undefined),
  'topology.claims': (c, e) => (e.type === 'topology.claims' ? onClaims(c.state, e.interfaceId, e.tags, env(c)) : undefined),
  'topology.timer': (c, e) => {
    if (e.type !== 'topology.timer' || !e.key.startsWith('linkup:')) return undefined;
    const cut = e.key.lastIndexOf(':');
    return onLinkTimer(c.state, e.key.slice('linkup:'.length, cut), Number(e.key.slice(cut + 1)), env(c));
  },
};

export const topologyMachine = base
  .extend({
    actions: {
      live: base.enqueueActions(({ context, event, enqueue }) => {
        const step = LIVE[event.type]?.(context, event);
        if (!step) return;
        const writes = step.writes.length > 0;
        enqueue.assign({ state: step.state, liveWrites: context.liveWrites + (writes ? 1 : 0) });
        for (const effect of applied(step, true)) enqueue(effect);
      }),
      command: base.enqueueActions(({ context, event, enqueue }) => {
        let pending: Pending;
        if (event.type === runCommand.type) pending = { command: event.command, replyTo: event.replyTo };
        else if (event.type === allocateTags.type)
          pending = { command: { op: 'tags.allocate', id: event.interface_id, tags: event.tags, count: event.count }, replyTo: event.replyTo as Reply<unknown> };
        else if (event.type === releaseTags.type)
          pending = { command: { op: 'tags.release', id: event.interface_id, tags: event.tags }, replyTo: event.replyTo as Reply<unknown> };
        else if (event.type === allocateLinkTags.type)
          pending = { command: { op: 'link_tags.allocate', id: event.link_id, tags: event.tags, count: event.count }, replyTo: event.replyTo as Reply<unknown> };
        else if (event.type === releaseLinkTags.type)
          pending = { command: { op: 'link_tags.release', id: event.link_id, tags: event.tags }, replyTo: event.replyTo as Reply<unknown> };
        else if (event.type === loopActionDisable.type) {
          // of_lldp's loop `disable` action: the receiving port is disabled, as through the API.
          const split = splitInterfaceId(event.content.interface_a?.id ?? '');
          if (!split) return;
          pending = { command: { op: 'interface.disable', dpid: split[0], port: split[1] }, replyTo: undefined };
        } else return;
        const queue = [...context.queue, pending];
        if (context.writing !== null) {
          enqueue.assign({ queue });
          return;
        }
        const { patch, effects } = drain({ ...context, queue });
        enqueue.assign(patch);
        for (const effect of effects) enqueue(effect);
      }),
      persisted: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'topology.persisted') return;
        const { patch, effects } = committed(context, event.ticket, event.error, event.failed);
        enqueue.assign(patch);
        for (const effect of effects) enqueue(effect);
      }),
      read: base.enqueueActions(({ context, event, enqueue }) => {
        const s = context.state;
        let value: unknown;
        if (event.type === getTopologySwitch.type) {
          const sw = s.switches.get(event.dpid);
          value = sw ? switchJson(sw) : undefined;
        } else if (event.type === getTopology.type) value = context.topologyJson.of(s);
        else if (event.type === getTopologyLink.type) {
          const link = s.links.get(event.link_id);
          value = link ? linkJson(s, link) : undefined;
        } else if (event.type === getInterfaceTags.type) value = tagsJson(s, event.interface_id, context.settings.LLDP_VLAN);
        else if (event.type === listInterruptions.type) value = heldInterruptions(s);
        else return;
        enqueue({ type: 'answer', params: { replyTo: (event as { replyTo?: Reply<never> }).replyTo, value } });
      }),
    },
  })
  .createMachine({
    id: 'topology',
    context: ({ input }) => ({
      settings: { ...defaults, ...input?.settings },
      now: () => input?.clock?.now() ?? 0,
      state: emptyState(),
      queue: [],
      writing: null,
      writingCount: 0,
      ticket: 0,
      liveWrites: 0,
      liveAtStart: 0,
      topologyJson: new TopologyJsonCache(),
    }),
    entry: ['restore', { type: 'publish', params: ({ context }) => ({ state: context.state }) }, 'resync'],
    initial: 'running',
    states: {
      running: {
        on: {
          ...Object.fromEntries(Object.keys(LIVE).map((type) => [type, { actions: 'live' as const }])),
          [runCommand.type]: { actions: 'command' },
          [allocateTags.type]: { actions: 'command' },
          [releaseTags.type]: { actions: 'command' },
          [allocateLinkTags.type]: { actions: 'command' },
          [releaseLinkTags.type]: { actions: 'command' },
          [loopActionDisable.type]: { actions: 'command' },
          'topology.persisted': { actions: 'persisted' },
          [getTopologySwitch.type]: { actions: 'read' },
          [getTopology.type]: { actions: 'read' },
          [getTopologyLink.type]: { actions: 'read' },
          [getInterfaceTags.type]: { actions: 'read' },
          [listInterruptions.type]: { actions: 'read' },
        },
      },
    },
  });
