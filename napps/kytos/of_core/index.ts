/**
 * kytos/of_core: switches and interfaces from the OpenFlow handshake and port
 * updates, the Kytos events of kytos-api.md 2.1, and periodic stats. The
 * southbound reaches it through the `switches` service.
 */
import { defineNApp, LatticeError, ofp, switchesService, type NAppContext, type OfMessage } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { statsResult, SUBSCRIPTIONS, timerEvent, type StatsKind } from './events.js';
import { ofCoreMachine } from './machine.js';
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
  const switches = ctx.service(switchesService);
  return ofCoreMachine.provide({
    actions: {
      emit: (_, p) => {
        ctx.emit(p.event, p.content);
      },
      startTimer: (_, p) => {
        // ctx.timers: cancelled by the SDK when the NApp stops or restarts.
        ctx.timers.setTimeout(() => ctx.tell(ctx.self, timerEvent(p.key)), p.ms);
      },
      requestStats: (_, p) => {
        const requestedAt = ctx.clock.now();
        switches.requestMultipart(p.dpid, statsRequest(p.kind), { timeoutMs: ctx.settings.STATS_TIMEOUT * 1000 }).then(
          (parts) => ctx.tell(ctx.self, statsResult({ ...p, requestedAt, parts })),
          (err: unknown) => {
            const code = err instanceof LatticeError ? err.code : 'ERROR';
            ctx.log.debug({ dpid: p.dpid, kind: p.kind, err }, 'stats request failed');
            ctx.tell(ctx.self, statsResult({ ...p, error: code }));
          },
        );
      },
    },
  });
}

export default defineNApp<OfCoreSettings>({
  manifest,
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: (ctx) => ofCoreLogic(ctx),
});
