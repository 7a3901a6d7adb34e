/**
 * of_lldp's machine: LLDP rounds spread over the polling interval, frames
 * judged (authentic, fresh, both directions) into `interface.is.nni`, the
 * punt flow per enabled switch, liveness and loops, and the v1 commands.
 * Side effects are named actions provided by index.ts; tests run it as data.
 */
import { assign, setup } from 'xstate';
import {
  emission,
  getLldpCounters,
  interfaceIsNni,
  livenessDown,
  livenessEnabled,
  livenessUp,
  lldpEnableTable,
  multiTableEnableTable,
  loopActionDisable,
  loopActionLog,
  loopDetected,
  loopStopped,
  lldpPacketOut,
  packetIn,
  reply,
  topologyInterfaceDeleted,
  topologySwitchDeleted,
  topologySwitchDisabled,
  topologySwitchEnabled,
  type Emission,
  type LldpCounters,
  type OfMessage,
  type Reply,
} from '#sdk';
import { checkLiveness, getLiveness, getPairs, listLldp, livenessDisabledEmission, setLldp } from './commands.js';
import type { CommandResult, OfLldpEvent } from './events.js';
import {
  consumeHello,
  ignoredLoopsOf,
  isLoop,
  judgeFrame,
  knownOf,
  loopKey,
  packetOut,
  reap,
  slotsOf,
  tableGroupFrom,
  targetsOf,
  windowMs,
  type Heard,
  type KnownInterface,
  type LivenessPair,
  type LivenessState,
  type LoopEntry,
  type Target,
} from './logic.js';
import { defaults, type OfLldpSettings } from './settings.js';

export interface OfLldpContext {
  settings: OfLldpSettings;
  now: () => number;
  /** Seconds between rounds (POST v1/polling_time changes it; not persisted). */
  pollingTime: number;
  /** The HMAC key; no frame goes out before it is known. */
  key: Buffer | null;
  round: number;
  /** The current round's slots not sent yet. */
  slots: ReadonlyMap<number, Target[]>;
  known: ReadonlyMap<string, KnownInterface>;
  ignoredLoops: ReadonlyMap<string, number[][]>;
  /** LLDP enabled/disabled through this NApp's API (applied over topology's flag). */
  overrides: ReadonlyMap<string, boolean>;
  /** Per receiving interface: the last authentic, fresh frame it got. */
  heard: ReadonlyMap<string, Heard>;
  /** Switches whose punt flow was asked for. */
  punted: ReadonlySet<string>;
  /** The table of each flow group (`base`: the punt flow's). */
  tableGroup: Readonly<Record<string, number>>;
  liveness: ReadonlySet<string>;
  pairs: ReadonlyMap<string, LivenessPair>;
  /** Interface id -> its pair's key. */
  pairOf: ReadonlyMap<string, string>;
  loops: ReadonlyMap<string, LoopEntry>;
  counters: LldpCounters;
}

export interface OfLldpInput {
  settings?: Partial<OfLldpSettings>;
  clock?: { now(): number };
}

const keyFromSetting = (k: string): Buffer | null => (k === '' ? null : /^([0-9a-f]{2}){16,}$/i.test(k) ? Buffer.from(k, 'hex') : Buffer.from(k, 'utf8'));

export const emptyCounters = (): LldpCounters => ({ sent: 0, accepted: 0, rejected: {}, one_way: 0 });

const base = setup({
  types: {
    context: {} as OfLldpContext,
    events: {} as OfLldpEvent,
    input: {} as OfLldpInput,
  },
  actions: {
    /** Effects, provided by index.ts. */
    emit: (_, _p: Emission) => undefined,
    send: (_, _p: { dpid: string; messages: OfMessage[] }) => undefined,
    fetchTopology: (_, _p: { round: number }) => undefined,
    startTimer: (_, _p: { key: string; ms: number }) => undefined,
    installPunt: (_, _p: { dpid: string; table: number }) => undefined,
    deletePunt: (_, _p: { dpid: string; table: number }) => undefined,
    storeLiveness: (_, _p: { enabled: boolean; ids: string[]; replyTo?: Reply<CommandResult> }) => undefined,
    log: (_, _p: { msg: string; data: Record<string, unknown> }) => undefined,
    /** A rejected frame, counted in `core/status` metrics. */
    countRejected: (_, _p: { reason: string }) => undefined,
    /** Puts the stored key and liveness in place before any message (index.ts provides it as an assign). */
    restore: assign({}),
    answer: (_, p: { to: { replyTo?: Reply<never> }; value: unknown }) => reply(p.to as { replyTo?: Reply<unknown> }, p.value),
  },
});

const reject = (c: LldpCounters, reason: string): LldpCounters => ({ ...c, rejected: { ...c.rejected, [reason]: (c.rejected[reason] ?? 0) + 1 } });

export const ofLldpMachine = base
  .extend({
    actions: {
      onTimer: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'lldp.timer') return;
        const now = context.now();
        if (event.key === 'round') {
          const round = context.round + 1;
          enqueue.assign({ round, slots: new Map() });
          enqueue({ type: 'fetchTopology', params: { round } });
          enqueue({ type: 'startTimer', params: { key: 'round', ms: context.pollingTime * 1000 } });
          // Liveness dead interval (fixed at start, as Kytos-ng) and stopped loops.
          const deadMs = context.settings.POLLING_TIME * context.settings.LIVENESS_DEAD_MULTIPLIER * 1000;
          const pairs = new Map(context.pairs);
          for (const [k, p] of context.pairs) {
            const r = reap(p, now, deadMs);
            pairs.set(k, r.pair);
            if (r.changed === 'down') enqueue({ type: 'emit', params: emission(livenessDown, { interface_a: { id: p.a }, interface_b: { id: p.b } }) });
          }
          const loopDeadMs = context.settings.POLLING_TIME * context.settings.LLDP_LOOP_DEAD_MULTIPLIER * 1000;
          const loops = new Map(context.loops);
          for (const [k, l] of context.loops) {
            if (l.state !== 'detected' || now - l.updatedAt <= loopDeadMs) continue;
            loops.set(k, { ...l, state: 'stopped', updatedAt: now });
            enqueue({ type: 'emit', params: emission(loopStopped, { interface_id: l.interfaceA, dpid: l.dpid, port_numbers: l.ports }) });
          }
          enqueue.assign({ pairs, loops });
          return;
        }
        const m = /^slot:(\d+):(\d+)$/.exec(event.key);
        if (!m || Number(m[1]) !== context.round) return;
        const k = Number(m[2]);
        const targets = context.slots.get(k);
        if (!targets || !context.key) return;
        const slots = new Map(context.slots);
        slots.delete(k);
        enqueue.assign({ slots, counters: { ...context.counters, sent: context.counters.sent + targets.length } });
        sendTargets(targets, context.settings.FLOW_VLAN_VID, context.key, now, (p) => enqueue({ type: 'send', params: p }));
        const byDpid = new Map<string, number[]>();
        for (const t of targets) byDpid.set(t.dpid, [...(byDpid.get(t.dpid) ?? []), t.port]);
        for (const [dpid, ports] of byDpid) enqueue({ type: 'emit', params: emission(lldpPacketOut, { dpid, port_numbers: ports }) });
      }),
      onTopology: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'lldp.topology' || event.round !== context.round || !event.topology) return;
        const t = event.topology;
        const known = knownOf(t, context.overrides);
        const punted = new Set(context.punted);
        for (const sw of Object.values(t.switches)) {
          if (sw.active && sw.enabled && !punted.has(sw.dpid)) {
            punted.add(sw.dpid);
            enqueue({ type: 'installPunt', params: { dpid: sw.dpid, table: context.tableGroup.base ?? 0 } });
          }
        }
        const slots = slotsOf(targetsOf(t, context.overrides), context.pollingTime * 1000, context.settings.MAX_SLOTS, context.settings.SLOT_FRAMES);
        enqueue.assign({ known, punted, ignoredLoops: ignoredLoopsOf(t, context.settings.LLDP_IGNORED_LOOPS), slots: new Map(slots.map((s, k) => [k, s.targets])) });
        slots.forEach((s, k) => enqueue({ type: 'startTimer', params: { key: `slot:${context.round}:${k}`, ms: s.offsetMs } }));
      }),
      onPacketIn: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== packetIn.type || !context.key) return;
        const { source, message } = event.content;
        const inPort = message.match.find((o) => o.field === 'in_port')?.value as number | undefined;
        if (!source.dpid || !Buffer.isBuffer(message.data)) {
          enqueue.assign({ counters: reject(context.counters, 'malformed') });
          enqueue({ type: 'countRejected', params: { reason: 'malformed' } });
          return;
        }
        const now = context.now();
        const window = windowMs(context.settings, context.pollingTime);
        const out = judgeFrame(message.data, source.dpid, inPort, context.known, context.heard, context.key, now, window);
        if (out.kind === 'ignore') return;
        if (out.kind === 'reject') {
          enqueue.assign({ counters: reject(context.counters, out.reason) });
          enqueue({ type: 'countRejected', params: { reason: out.reason } });
          enqueue({ type: 'log', params: { msg: 'LLDP frame rejected', data: { dpid: source.dpid, in_port: inPort, reason: out.reason } } });
          return;
        }
        const { rx, tx, confirmed } = out;
        // `heard` is owned by this actor and updated in place: one entry per interface, written on
        // every frame, and a copy per frame would cost O(interfaces) each (O(n^2) per round).
        (context.heard as Map<string, Heard>).set(rx.id, { peer: tx.id, at: now });
        const counters = { ...context.counters, accepted: context.counters.accepted + 1, one_way: context.counters.one_way + (confirmed ? 0 : 1) };
        enqueue.assign({ counters });
        if (!confirmed) return;
        // Loops first (as Kytos-ng), then liveness, then the link.
        if (isLoop(rx, tx, context.ignoredLoops)) {
          const key = loopKey(rx.dpid, rx.port, tx.port);
          const prev = context.loops.get(key);
          const loops = new Map(context.loops);
          const fresh = !prev || prev.state !== 'detected';
          loops.set(key, { dpid: rx.dpid, ports: [rx.port, tx.port], interfaceA: rx.id, interfaceB: tx.id, state: 'detected', detectedAt: fresh ? now : prev.detectedAt, updatedAt: now });
          enqueue.assign({ loops });
          if (fresh) {
            enqueue({ type: 'emit', params: emission(loopDetected, { interface_id: rx.id, dpid: rx.dpid, port_numbers: [rx.port, tx.port] }) });
            const pair = { interface_a: { id: rx.id }, interface_b: { id: tx.id } };
            for (const a of new Set(context.settings.LLDP_LOOP_ACTIONS)) {
              if (a === 'log') {
                enqueue({ type: 'log', params: { msg: 'LLDP loop detected', data: { dpid: rx.dpid, port_numbers: [rx.port, tx.port] } } });
                enqueue({ type: 'emit', params: emission(loopActionLog, pair) });
              } else if (a === 'disable') enqueue({ type: 'emit', params: emission(loopActionDisable, pair) });
            }
          }
        }
        if (context.liveness.has(rx.id) && context.liveness.has(tx.id)) {
          const key = rx.id < tx.id ? rx.id : tx.id;
          const r = consumeHello(context.pairs.get(key), rx.id, tx.id, now, context.settings.LIVENESS_MIN_HELLOS_UP);
          const pairs = new Map(context.pairs);
          pairs.set(key, r.pair);
          const pairOf = new Map(context.pairOf);
          pairOf.set(r.pair.a, key);
          pairOf.set(r.pair.b, key);
          enqueue.assign({ pairs, pairOf });
          const ev = livenessEvent(r.changed);
          if (ev) enqueue({ type: 'emit', params: emission(ev, { interface_a: { id: rx.id }, interface_b: { id: tx.id } }) });
        }
        // A link topology already has between these two (as of this round's read) is not announced again.
        if (!rx.link || rx.link !== tx.link) enqueue({ type: 'emit', params: emission(interfaceIsNni, { interface_a: { id: rx.id }, interface_b: { id: tx.id } }) });
      }),
      onSwitchAdmin: base.enqueueActions(({ context, event, enqueue }) => {
        const punted = new Set(context.punted);
        if (event.type === topologySwitchEnabled.type) {
          punted.add(event.content.dpid);
          enqueue({ type: 'installPunt', params: { dpid: event.content.dpid, table: context.tableGroup.base ?? 0 } });
        } else if (event.type === topologySwitchDisabled.type) {
          punted.delete(event.content.dpid);
          enqueue({ type: 'deletePunt', params: { dpid: event.content.dpid, table: context.tableGroup.base ?? 0 } });
        } else return;
        enqueue.assign({ punted });
      }),
      /**
       * of_multi_table's `enable_table`: the punt flow's table changes (a group other than `base`
       * is refused and logged, as Kytos-ng), the answer `kytos/of_lldp.enable_table` goes out, and,
       * Lattice having no of_multi_table to move flows, each punt flow already asked for is
       * installed in the new table before it is deleted from the old one.
       */
      onEnableTable: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== multiTableEnableTable.type) return;
        const r = tableGroupFrom(event.content, context.tableGroup);
        if (!r) return;
        if ('error' in r) {
          enqueue({ type: 'log', params: { msg: r.error, data: { content: event.content } } });
          return;
        }
        const before = context.tableGroup.base ?? 0;
        const after = r.group.base ?? 0;
        enqueue.assign({ tableGroup: r.group });
        if (after !== before) {
          for (const dpid of context.punted) {
            enqueue({ type: 'installPunt', params: { dpid, table: after } });
            enqueue({ type: 'deletePunt', params: { dpid, table: before } });
          }
        }
        enqueue({ type: 'emit', params: emission(lldpEnableTable, { group_table: r.group }) });
      }),
      /** A deleted switch or interface: its liveness goes (stored state included), as Kytos-ng. */
      onDeleted: base.enqueueActions(({ context, event, enqueue }) => {
        const ids =
          event.type === topologySwitchDeleted.type
            ? Object.keys(event.content.switch?.interfaces ?? {})
            : event.type === topologyInterfaceDeleted.type && event.content.interface?.id
              ? [event.content.interface.id]
              : [];
        const off = ids.filter((id) => context.liveness.has(id));
        if (off.length > 0) enqueue({ type: 'storeLiveness', params: { enabled: false, ids: off } });
      }),
      onCommand: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'of_lldp.command') return;
        const c = event.command;
        const answer = (value: CommandResult) => enqueue({ type: 'answer', params: { to: event as { replyTo?: Reply<never> }, value } });
        switch (c.op) {
          case 'polling.get':
            return answer({ status: 200, body: { polling_time: context.pollingTime } });
          case 'lldp.list':
            return answer(listLldp(c.topology, context.overrides));
          case 'lldp.set': {
            const out = setLldp(c.topology, context.overrides, c.ids, c.enabled);
            if (out.overrides) enqueue.assign({ overrides: out.overrides, known: knownOf(c.topology, out.overrides) });
            const off = !c.enabled ? out.changed.filter((id) => context.liveness.has(id)) : [];
            if (off.length > 0) enqueue({ type: 'storeLiveness', params: { enabled: false, ids: off } });
            for (const e of out.emits) enqueue({ type: 'emit', params: e });
            return answer(out.result);
          }
          case 'liveness.set': {
            const err = checkLiveness(c.topology, context.overrides, c.ids, c.enabled);
            if (err) return answer(err);
            enqueue({ type: 'storeLiveness', params: { enabled: c.enabled, ids: [...new Set(c.ids)], replyTo: event.replyTo } });
            return;
          }
          case 'liveness.get':
            return answer(getLiveness(context.liveness, context.pairs, context.pairOf, c.id));
          case 'liveness.pairs': {
            const links = new Map<string, string>();
            for (const [id, k] of context.known) if (k.link) links.set(id, k.link);
            return answer(getPairs(context.pairs, links));
          }
        }
      }),
      onLivenessStored: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'lldp.liveness.stored') return;
        const to = { replyTo: event.replyTo as Reply<never> | undefined };
        if (event.error !== undefined) {
          enqueue({ type: 'answer', params: { to, value: { status: 503, body: { description: `Liveness not stored: ${event.error}`, code: 503 } } } });
          return;
        }
        const liveness = new Set(context.liveness);
        const pairs = new Map(context.pairs);
        const pairOf = new Map(context.pairOf);
        for (const id of event.ids) {
          if (event.enabled) liveness.add(id);
          else {
            liveness.delete(id);
            const k = pairOf.get(id);
            if (k !== undefined) {
              const p = pairs.get(k);
              pairs.delete(k);
              if (p) pairOf.delete(p.a), pairOf.delete(p.b);
            }
          }
        }
        enqueue.assign({ liveness, pairs, pairOf });
        enqueue({ type: 'emit', params: event.enabled ? emission(livenessEnabled, { interfaces: event.ids.map((id) => ({ id })) }) : livenessDisabledEmission(event.ids) });
        enqueue({ type: 'answer', params: { to, value: { status: 200, body: {} } } });
      }),
    },
  })
  .createMachine({
    id: 'of_lldp',
    context: ({ input }) => {
      const settings = { ...defaults, ...input?.settings };
      return {
        settings,
        now: () => input?.clock?.now() ?? 0,
        pollingTime: settings.POLLING_TIME,
        key: keyFromSetting(settings.LLDP_HMAC_KEY),
        round: 0,
        slots: new Map(),
        known: new Map(),
        ignoredLoops: new Map(),
        overrides: new Map(),
        heard: new Map(),
        punted: new Set(),
        tableGroup: { ...settings.TABLE_GROUP },
        liveness: new Set(),
        pairs: new Map(),
        pairOf: new Map(),
        loops: new Map(),
        counters: emptyCounters(),
      };
    },
    entry: ['restore', { type: 'startTimer', params: { key: 'round', ms: 0 } }],
    initial: 'running',
    states: {
      running: {
        on: {
          'lldp.timer': { actions: 'onTimer' },
          'lldp.topology': { actions: 'onTopology' },
          [packetIn.type]: { actions: 'onPacketIn' },
          [topologySwitchEnabled.type]: { actions: 'onSwitchAdmin' },
          [topologySwitchDisabled.type]: { actions: 'onSwitchAdmin' },
          [topologySwitchDeleted.type]: { actions: 'onDeleted' },
          [topologyInterfaceDeleted.type]: { actions: 'onDeleted' },
          [multiTableEnableTable.type]: { actions: 'onEnableTable' },
          'of_lldp.command': { actions: 'onCommand' },
          'lldp.liveness.stored': { actions: 'onLivenessStored' },
          // The same polling time again changes nothing: no new context.
          'lldp.polling_time': {
            guard: ({ context, event }) => event.type === 'lldp.polling_time' && event.value !== context.pollingTime,
            actions: assign({ pollingTime: ({ context, event }) => (event.type === 'lldp.polling_time' ? event.value : context.pollingTime) }),
          },
          [getLldpCounters.type]: { actions: { type: 'answer', params: ({ context, event }) => ({ to: event as { replyTo?: Reply<never> }, value: context.counters }) } },
        },
      },
    },
  });

const livenessEvent = (s: LivenessState | null) => (s === 'up' ? livenessUp : s === 'down' ? livenessDown : undefined);

/** One PACKET_OUT per port, grouped per switch (one send each). */
function sendTargets(targets: readonly Target[], vlan: number, key: Buffer, now: number, send: (p: { dpid: string; messages: OfMessage[] }) => void): void {
  const byDpid = new Map<string, OfMessage[]>();
  for (const t of targets) byDpid.set(t.dpid, [...(byDpid.get(t.dpid) ?? []), packetOut(t, vlan, key, now)]);
  for (const [dpid, messages] of byDpid) send({ dpid, messages });
}

export { keyFromSetting };
