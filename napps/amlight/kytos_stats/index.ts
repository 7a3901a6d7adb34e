/**
 * amlight/kytos_stats: flow, table and port counters from of_core's periodic
 * stats polls, kept in memory (the next poll rebuilds them), served over
 * Kytos-ng's kytos_stats v1 API.
 */
import { defineNApp, describeFlowStats, type NAppContext } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { flowsDescribed, SUBSCRIPTIONS } from './events.js';
import { kytosStatsMachine } from './machine.js';
import { routes } from './routes.js';
import { defaults, type KytosStatsSettings } from './settings.js';

/** The machine with its effects bound to the NApp's context. */
export function kytosStatsLogic(ctx: NAppContext<KytosStatsSettings>) {
  return kytosStatsMachine.provide({
    actions: {
      describe: (_, p) => {
        ctx.ask(describeFlowStats, { dpid: p.dpid, flows: p.flows }, ctx.settings.DESCRIBE_TIMEOUT_MS).then(
          (flows) => ctx.tell(ctx.self, flowsDescribed(p.dpid, p.seq, flows)),
          (err: unknown) => {
            // The switch keeps its previous flows until the next poll.
            ctx.log.info({ err, dpid: p.dpid }, 'flow stats not described by flow_manager');
            ctx.tell(ctx.self, flowsDescribed(p.dpid, p.seq));
          },
        );
      },
    },
  });
}

export default defineNApp<KytosStatsSettings>({
  manifest,
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: kytosStatsLogic,
  routes,
  openapi: new URL('./openapi.yml', import.meta.url),
});
