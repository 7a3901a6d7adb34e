/**
 * kytos/pathfinder: k shortest paths over the topology (kytos-api.md 2.5), by
 * POST v3/ and the `findPaths` ask. Starts cleanly without kytos/topology: the
 * graph is then empty until topology's events arrive.
 */
import { defineNApp, getTopology, getTopologySwitch, replyError, reply, type NAppContext, type Reply } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { SUBSCRIPTIONS, switchFetched, topologyFetched } from './events.js';
import { findPathsSteps } from './logic.js';
import { runSliced } from './search.js';
import { pathfinderMachine } from './machine.js';
import { routes } from './routes.js';
import { defaults, type PathfinderSettings } from './settings.js';

/** The machine with its effects bound to the NApp's context. */
export function pathfinderLogic(ctx: NAppContext<PathfinderSettings>) {
  return pathfinderMachine.provide({
    actions: {
      fetchTopology: () => {
        ctx.ask(getTopology, {}, ctx.settings.TOPOLOGY_ASK_TIMEOUT_MS).then(
          (topology) => ctx.tell(ctx.self, topologyFetched(topology)),
          (err: unknown) => {
            ctx.log.info({ err }, 'no topology snapshot at start; the graph follows topology events');
            ctx.tell(ctx.self, topologyFetched());
          },
        );
      },
      fetchSwitch: (_, p) => {
        ctx.ask(getTopologySwitch, { dpid: p.dpid }, ctx.settings.TOPOLOGY_ASK_TIMEOUT_MS).then(
          (sw) => ctx.tell(ctx.self, switchFetched(p.dpid, sw)),
          (err: unknown) => ctx.log.warn({ err, dpid: p.dpid }, 'switch not fetched from topology; the next updated will tell'),
        );
      },
      search: (_, p) => {
        const to = { replyTo: p.replyTo as Reply<unknown> | undefined };
        const env = {
          monotonic: () => ctx.clock.monotonic(),
          later: (fn: () => void) => void ctx.timers.setTimeout(fn, 0),
          sliceMs: ctx.settings.SEARCH_SLICE_MS,
          maxSteps: ctx.settings.MAX_SEARCH_STEPS,
        };
        // The graph is a value: the search reads the one it started on, whatever events come meanwhile.
        runSliced(findPathsSteps(p.graph, p.request), env, (r) => ('error' in r ? replyError(to, r.error) : reply(to, r.value)));
      },
    },
  });
}

export default defineNApp<PathfinderSettings>({
  manifest,
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: pathfinderLogic,
  routes,
  openapi: new URL('./openapi.yml', import.meta.url),
});
