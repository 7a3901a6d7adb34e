/**
 * kytos/of_core: switches and interfaces from the OpenFlow handshake and port
 * updates, the Kytos events of kytos-api.md 2.1, and periodic stats. The
 * southbound reaches it through the `switches` service (SwitchService).
 */
import { defineNApp, type NAppContext } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { ofp, type OfMessage, type SwitchService } from './deps.js';
import { SUBSCRIPTIONS, type StatsKind } from './events.js';
import { ofCoreMachine, type EmitParams, type RequestStatsParams } from './machine.js';
import { defaults, type OfCoreSettings } from './settings.js';

/** The multipart request of each stats kind. */
export function statsRequest(kind: StatsKind): OfMessage {
  const body =
    kind === 'flow'
      ? { mpType: 'flow' as const, tableId: ofp.OFPTT.ALL, outPort: ofp.OFPP.ANY, outGroup: ofp.OFPG.ANY, cookie: 0n, cookieMask: 0n, match: [] }
      : kind === 'port_stats'
        ? { mpType: 'port_stats' as const, portNo: ofp.OFPP.ANY }
        : { mpType: 'table' as const };
  return { type: 'multipart_request', version: 4, xid: 0, flags: 0, body };
}

/** The machine with its side effects bound to a NApp context. */
export function ofCoreLogic(ctx: NAppContext<OfCoreSettings>) {
  const switches = () => ctx.service<SwitchService>('switches');
  return ofCoreMachine.provide({
    actions: {
      emit: (_: unknown, p: EmitParams) => {
        ctx.emit(p.name, p.content);
      },
      startTimer: (_: unknown, p: { key: string; ms: number }) => {
        // ctx.timers: cancelled by the SDK when the NApp stops or restarts.
        ctx.timers.setTimeout(() => ctx.tell(ctx.self, { type: 'timer', key: p.key }), p.ms);
      },
      requestStats: (_: unknown, p: RequestStatsParams) => {
        switches()
          .requestMultipart(p.dpid, statsRequest(p.kind), { timeoutMs: ctx.settings.STATS_TIMEOUT * 1000 })
          .then(
            (parts) => ctx.tell(ctx.self, { type: 'stats.result', ...p, parts }),
            (err: { code?: string }) => {
              ctx.log.debug({ dpid: p.dpid, kind: p.kind, err }, 'stats request failed');
              ctx.tell(ctx.self, { type: 'stats.result', ...p, error: err?.code ?? 'ERROR' });
            },
          );
      },
    } as never,
  });
}

export default defineNApp<OfCoreSettings>({
  manifest,
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: (ctx) => ofCoreLogic(ctx),
});
