/**
 * of_core's machine: keeps the switches (model values), turns southbound events
 * into Kytos events, and runs the periodic stats rounds. Side effects are named
 * actions (`emit`, `requestStats`, `startTimer`, `answer`) injected by index.ts;
 * tests run it as data with xstate's `transition`.
 */
import { setup } from 'xstate';
import {
  connectionLost,
  flowStatsReceived,
  getSwitch,
  getSwitches,
  ofp,
  portStatsReceived,
  portStatusIn,
  reply,
  type Reply,
  switchReady,
  switchToJson,
  tableStatsReceived,
  emission,
  type Emission,
  type MultipartReplyMessage,
  type SwitchJson,
} from '#sdk';
import type { OfCoreEvent, StatsKind } from './events.js';
import { onLost, onPortStatus, onReady, staggerFor, type SwitchEntry } from './logic.js';
import { defaults, type OfCoreSettings } from './settings.js';

export interface StatsState {
  pending: Partial<Record<StatsKind, boolean>>;
  skipped: Partial<Record<StatsKind, number>>;
}

export interface OfCoreContext {
  settings: OfCoreSettings;
  /**
   * Per-switch state, by dpid. Owned by the actor and updated in place: with
   * 10,000 switches a copy per event (ready, port status, every stats round and
   * reply) made each event cost O(switches).
   */
  switches: Map<string, SwitchEntry>;
  stats: Map<string, StatsState>;
  /** Switches seen so far (for the stagger). */
  seen: number;
  /** Port updates ignored as stale (observability, tests). */
  staleIgnored: number;
}

export type RequestStatsParams = { dpid: string; kind: StatsKind; gen: number };

/** Timer keys: `stats:` for port (and table) stats every STATS_INTERVAL, `flowstats:` for flow stats every FLOW_STATS_INTERVAL. */
const statsKey = (dpid: string, gen: number) => `stats:${dpid}:${gen}`;
const flowStatsKey = (dpid: string, gen: number) => `flowstats:${dpid}:${gen}`;

const base = setup({
  types: {
    context: {} as OfCoreContext,
    events: {} as OfCoreEvent,
    input: {} as { settings?: Partial<OfCoreSettings> },
  },
  actions: {
    /** Effects, provided by index.ts. */
    emit: (_, _p: Emission) => undefined,
    requestStats: (_, _p: RequestStatsParams) => undefined,
    startTimer: (_, _p: { key: string; ms: number }) => undefined,
    /** Answers an ask (a no-op for a message that was told, not asked). */
    answer: (_, p: { to: { replyTo?: Reply<never> }; value: unknown }) => reply(p.to as { replyTo?: Reply<unknown> }, p.value),
  },
});

export const ofCoreMachine = base
  .extend({
    actions: {
      onSwitchReady: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== switchReady.type) return;
        const c = event.content;
        const prev = context.switches.get(c.dpid);
        const seen = prev ? context.seen : context.seen + 1;
        const s = context.settings;
        const { entry, emits } = onReady(prev, c, staggerFor(seen, s.STATS_STAGGER_STEP, s.STATS_STAGGER_SPAN, s.STATS_INTERVAL));
        context.switches.set(c.dpid, entry);
        context.stats.set(c.dpid, { pending: {}, skipped: {} });
        if (seen !== context.seen) enqueue.assign({ seen });
        for (const e of emits) enqueue({ type: 'emit', params: e });
        enqueue({ type: 'startTimer', params: { key: statsKey(c.dpid, entry.gen), ms: entry.staggerMs } });
        // Flow stats on their own (shorter) interval, with the stagger capped at it.
        const flowStagger = Math.min(entry.staggerMs, s.FLOW_STATS_INTERVAL * 1000);
        enqueue({ type: 'startTimer', params: { key: flowStatsKey(c.dpid, entry.gen), ms: flowStagger } });
      }),
      onConnectionLost: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== connectionLost.type) return;
        const { dpid, connection_id } = event.content;
        const prev = dpid ? context.switches.get(dpid) : undefined;
        const next = prev && onLost(prev, connection_id);
        if (!dpid || !next) return;
        context.switches.set(dpid, next);
      }),
      onPortStatus: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== portStatusIn.type) return;
        const c = event.content;
        const prev = c.source.dpid ? context.switches.get(c.source.dpid) : undefined;
        if (!prev) return;
        const res = onPortStatus(prev, c, context.settings.SKIP_INTF_STATE_LATE_UPDATES);
        if (!res) {
          enqueue.assign({ staleIgnored: context.staleIgnored + 1 });
          return;
        }
        context.switches.set(prev.sw.dpid, res.entry);
        for (const e of res.emits) enqueue({ type: 'emit', params: e });
      }),
      pollStats: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'timer') return;
        const flowsOnly = event.key.startsWith('flowstats:');
        if (!flowsOnly && !event.key.startsWith('stats:')) return;
        const cut = event.key.lastIndexOf(':');
        const dpid = event.key.slice(event.key.indexOf(':') + 1, cut);
        const gen = Number(event.key.slice(cut + 1));
        const entry = context.switches.get(dpid);
        // A timer from before a reconnect or disconnect ends its chain.
        if (!entry || entry.gen !== gen || !entry.sw.active) return;
        const st = context.stats.get(dpid) ?? { pending: {}, skipped: {} };
        const pending = { ...st.pending };
        const skipped = { ...st.skipped };
        const kinds: StatsKind[] = flowsOnly ? ['flow'] : ['port_stats'];
        if (!flowsOnly && entry.sw.capabilities & ofp.OFPC.TABLE_STATS) kinds.push('table');
        for (const kind of kinds) {
          if (pending[kind] && (skipped[kind] ?? 0) < context.settings.STATS_REQ_SKIP) {
            skipped[kind] = (skipped[kind] ?? 0) + 1;
            continue;
          }
          pending[kind] = true;
          skipped[kind] = 0;
          enqueue({ type: 'requestStats', params: { dpid, kind, gen } });
        }
        context.stats.set(dpid, { pending, skipped });
        const next = flowsOnly ? { key: flowStatsKey(dpid, gen), ms: context.settings.FLOW_STATS_INTERVAL * 1000 } : { key: statsKey(dpid, gen), ms: context.settings.STATS_INTERVAL * 1000 };
        enqueue({ type: 'startTimer', params: next });
      }),
      handleStats: base.enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'stats.result') return;
        const st = context.stats.get(event.dpid);
        if (st) context.stats.set(event.dpid, { ...st, pending: { ...st.pending, [event.kind]: false } });
        if (!event.parts) return;
        const bodies = event.parts.map((p: MultipartReplyMessage) => p.body);
        const switchId = event.dpid;
        if (event.kind === 'flow') {
          const flows = bodies.flatMap((b) => (b.mpType === 'flow' ? b.flows : []));
          const at = event.requestedAt === undefined ? {} : { requested_at: event.requestedAt };
          enqueue({ type: 'emit', params: emission(flowStatsReceived, { switch: switchId, replies_flows: flows, ...at }) });
        } else if (event.kind === 'table') {
          const tables = bodies.flatMap((b) => (b.mpType === 'table' ? b.tables : []));
          enqueue({ type: 'emit', params: emission(tableStatsReceived, { switch: switchId, replies_tables: tables }) });
        } else {
          const ports = bodies.flatMap((b) => (b.mpType === 'port_stats' ? b.ports : []));
          enqueue({ type: 'emit', params: emission(portStatsReceived, { switch: switchId, port_stats: ports }) });
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
          [switchReady.type]: { actions: 'onSwitchReady' },
          [connectionLost.type]: { actions: 'onConnectionLost' },
          [portStatusIn.type]: { actions: 'onPortStatus' },
          timer: { actions: 'pollStats' },
          'stats.result': { actions: 'handleStats' },
          [getSwitches.type]: {
            actions: {
              type: 'answer',
              params: ({ context, event }) => {
                const all: Record<string, SwitchJson> = {};
                for (const [dpid, e] of context.switches) all[dpid] = switchToJson(e.sw);
                return { to: event, value: all };
              },
            },
          },
          [getSwitch.type]: {
            actions: {
              type: 'answer',
              params: ({ context, event }) => {
                const e = event.type === getSwitch.type ? context.switches.get(event.dpid) : undefined;
                return { to: event, value: e ? switchToJson(e.sw) : undefined };
              },
            },
          },
        },
      },
    },
  });

