/**
 * of_core's machine: keeps the switches (model values), turns southbound events
 * into Kytos events, and runs the periodic stats rounds. Side effects are named
 * actions (`emit`, `requestStats`, `startTimer`, `answer`) injected by index.ts;
 * tests run it as data with xstate's `transition`.
 */
import { setup } from 'xstate';
import type { Reply } from '#sdk';
import { ofp, switchToJson, type MultipartReplyMessage } from './deps.js';
import { OF_CORE_EVENTS as E, type OfCoreEvent, type StatsKind } from './events.js';
import { onLost, onPortStatus, onReady, staggerFor, type PortStatusContent, type ReadyContent, type SwitchEntry } from './logic.js';
import { defaults, type OfCoreSettings } from './settings.js';

export interface StatsState {
  pending: Partial<Record<StatsKind, boolean>>;
  skipped: Partial<Record<StatsKind, number>>;
}

export interface OfCoreContext {
  settings: OfCoreSettings;
  switches: ReadonlyMap<string, SwitchEntry>;
  stats: ReadonlyMap<string, StatsState>;
  /** Switches seen so far (for the stagger). */
  seen: number;
  /** Port updates ignored as stale (observability, tests). */
  staleIgnored: number;
}

export type RequestStatsParams = { dpid: string; kind: StatsKind; gen: number };
export type EmitParams = { name: string; content: Record<string, unknown> };

const statsKey = (dpid: string, gen: number) => `stats:${dpid}:${gen}`;

const base = setup({
  types: {
    context: {} as OfCoreContext,
    events: {} as OfCoreEvent,
    input: {} as { settings?: Partial<OfCoreSettings> },
  },
  actions: {
    emit: (_, _p: EmitParams) => undefined,
    requestStats: (_, _p: RequestStatsParams) => undefined,
    startTimer: (_, _p: { key: string; ms: number }) => undefined,
    answer: (_, p: { replyTo?: Reply<unknown>; value: unknown }) => {
      if (p.replyTo && !p.replyTo.settled) p.replyTo.resolve(p.value);
    },
  },
});

const busEvent = (ev: OfCoreEvent) => (ev as { event: { name: string; content: Record<string, unknown> } }).event;

export const ofCoreMachine = base
  .extend({
    actions: {
      handleBusEvent: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'bus.event') return;
        const { name, content } = busEvent(event);
        if (name === 'lattice/southbound.switch.ready') {
          const c = content as unknown as ReadyContent;
          const prev = context.switches.get(c.dpid);
          const seen = prev ? context.seen : context.seen + 1;
          const s = context.settings;
          const { entry, emits } = onReady(prev, c, staggerFor(seen, s.STATS_STAGGER_STEP, s.STATS_STAGGER_SPAN, s.STATS_INTERVAL));
          const switches = new Map(context.switches);
          switches.set(c.dpid, entry);
          const stats = new Map(context.stats);
          stats.set(c.dpid, { pending: {}, skipped: {} });
          enqueue.assign({ switches, stats, seen });
          for (const e of emits) enqueue({ type: 'emit', params: e });
          enqueue({ type: 'startTimer', params: { key: statsKey(c.dpid, entry.gen), ms: entry.staggerMs } });
          return;
        }
        if (name === 'kytos/core.openflow.connection.lost') {
          const dpid = content.dpid as string | null;
          const prev = dpid ? context.switches.get(dpid) : undefined;
          const next = prev && onLost(prev, String(content.connection_id));
          if (!next) return;
          const switches = new Map(context.switches);
          switches.set(dpid!, next);
          enqueue.assign({ switches });
          return;
        }
        if (name === 'kytos/of_core.v0x04.messages.in.ofpt_port_status') {
          const c = content as unknown as PortStatusContent;
          const prev = c.source.dpid ? context.switches.get(c.source.dpid) : undefined;
          if (!prev) return;
          const res = onPortStatus(prev, c, context.settings.SKIP_INTF_STATE_LATE_UPDATES);
          if (!res) {
            enqueue.assign({ staleIgnored: context.staleIgnored + 1 });
            return;
          }
          const switches = new Map(context.switches);
          switches.set(prev.sw.dpid, res.entry);
          enqueue.assign({ switches });
          for (const e of res.emits) enqueue({ type: 'emit', params: e });
        }
      }),
      pollStats: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'timer' || !event.key.startsWith('stats:')) return;
        const cut = event.key.lastIndexOf(':');
        const dpid = event.key.slice('stats:'.length, cut);
        const gen = Number(event.key.slice(cut + 1));
        const entry = context.switches.get(dpid);
        // A timer from before a reconnect or disconnect ends its chain.
        if (!entry || entry.gen !== gen || !entry.sw.active) return;
        const st = context.stats.get(dpid) ?? { pending: {}, skipped: {} };
        const pending = { ...st.pending };
        const skipped = { ...st.skipped };
        const kinds: StatsKind[] = ['flow', 'port_stats'];
        if (entry.sw.capabilities & ofp.OFPC.TABLE_STATS) kinds.push('table');
        for (const kind of kinds) {
          if (pending[kind] && (skipped[kind] ?? 0) < context.settings.STATS_REQ_SKIP) {
            skipped[kind] = (skipped[kind] ?? 0) + 1;
            continue;
          }
          pending[kind] = true;
          skipped[kind] = 0;
          enqueue({ type: 'requestStats', params: { dpid, kind, gen } });
        }
        const stats = new Map(context.stats);
        stats.set(dpid, { pending, skipped });
        enqueue.assign({ stats });
        enqueue({ type: 'startTimer', params: { key: statsKey(dpid, gen), ms: context.settings.STATS_INTERVAL * 1000 } });
      }),
      handleStats: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'stats.result') return;
        const st = context.stats.get(event.dpid);
        if (st) {
          const stats = new Map(context.stats);
          stats.set(event.dpid, { ...st, pending: { ...st.pending, [event.kind]: false } });
          enqueue.assign({ stats });
        }
        if (!event.parts) return;
        const bodies = event.parts.map((p: MultipartReplyMessage) => p.body);
        const switchId = event.dpid;
        if (event.kind === 'flow') {
          const flows = bodies.flatMap((b) => (b.mpType === 'flow' ? b.flows : []));
          enqueue({ type: 'emit', params: { name: E.flowStats, content: { switch: switchId, replies_flows: flows } } });
        } else if (event.kind === 'table') {
          const tables = bodies.flatMap((b) => (b.mpType === 'table' ? b.tables : []));
          enqueue({ type: 'emit', params: { name: E.tableStats, content: { switch: switchId, replies_tables: tables } } });
        } else {
          const ports = bodies.flatMap((b) => (b.mpType === 'port_stats' ? b.ports : []));
          enqueue({ type: 'emit', params: { name: E.portStats, content: { switch: switchId, port_stats: ports } } });
        }
      }),
    },
  })
  .createMachine({
    id: 'of_core',
    context: ({ input }) => ({
      settings: { ...defaults, ...input?.settings },
      switches: new Map(),
      stats: new Map(),
      seen: 0,
      staleIgnored: 0,
    }),
    initial: 'running',
    states: {
      running: {
        on: {
          'bus.event': { actions: 'handleBusEvent' },
          timer: { actions: 'pollStats' },
          'stats.result': { actions: 'handleStats' },
          'switches.get': {
            actions: {
              type: 'answer',
              params: ({ context, event }) => {
                const all: Record<string, unknown> = {};
                for (const [dpid, e] of context.switches) all[dpid] = switchToJson(e.sw);
                return { replyTo: (event as { replyTo?: Reply<unknown> }).replyTo, value: all };
              },
            },
          },
          'switch.get': {
            actions: {
              type: 'answer',
              params: ({ context, event }) => {
                const e = context.switches.get((event as { dpid: string }).dpid);
                return { replyTo: (event as { replyTo?: Reply<unknown> }).replyTo, value: e ? switchToJson(e.sw) : undefined };
              },
            },
          },
        },
      },
    },
  });

