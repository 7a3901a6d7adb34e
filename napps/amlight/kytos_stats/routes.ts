/** Kytos-ng's kytos_stats v1 routes, mounted at /api/amlight/kytos_stats/... */
import { BadRequestError, NotFoundError, type HttpRequest, type NAppContext, type NAppRoute } from '#sdk';
import { queryFlow, queryFlowStats, queryPortStats, querySwitchFlows, queryTableStats } from './events.js';
import { bytesCounter, packetCounter } from './logic.js';
import type { KytosStatsSettings } from './settings.js';

/** Repeated query parameters (`?dpid=a&dpid=b`), as Starlette's getlist. */
const list = (req: HttpRequest, name: string): string[] => new URLSearchParams(req.queryString).getAll(name);

/** Integers, or 400 with Kytos-ng's text for `port` ("'port' value is supposed to be an integer"). */
function integers(req: HttpRequest, name: string): number[] {
  return list(req, name).map((v) => {
    const t = v.trim();
    if (!/^[+-]?\d+$/.test(t)) throw new BadRequestError(`'${name}' value is supposed to be an integer`);
    return Number(t);
  });
}

export const routes = (ctx: NAppContext<KytosStatsSettings>): NAppRoute[] => [
  {
    method: 'GET', access: 'read',
    path: 'v1/flow/stats',
    handler: async (req) => ({ body: await ctx.ask(queryFlowStats, { dpids: list(req, 'dpid') }) }),
  },
  {
    method: 'GET', access: 'read',
    path: 'v1/table/stats',
    handler: async (req) => ({ body: await ctx.ask(queryTableStats, { dpids: list(req, 'dpid'), tables: integers(req, 'table') }) }),
  },
  {
    method: 'GET', access: 'read',
    path: 'v1/port/stats',
    handler: async (req) => ({ body: await ctx.ask(queryPortStats, { dpids: list(req, 'dpid'), ports: integers(req, 'port') }) }),
  },
  {
    method: 'GET', access: 'read',
    path: 'v1/packet_count/{flow_id}',
    handler: async (req) => {
      const flowId = req.params.flow_id!;
      const f = await ctx.ask(queryFlow, { flowId });
      if (!f) throw new NotFoundError('Flow does not exist');
      return { body: packetCounter(flowId, f) };
    },
  },
  {
    method: 'GET', access: 'read',
    path: 'v1/bytes_count/{flow_id}',
    handler: async (req) => {
      const flowId = req.params.flow_id!;
      const f = await ctx.ask(queryFlow, { flowId });
      if (!f) throw new NotFoundError('Flow does not exist');
      return { body: bytesCounter(flowId, f) };
    },
  },
  {
    method: 'GET', access: 'read',
    path: 'v1/packet_count/per_flow/{dpid}',
    handler: async (req) => ({ body: (await ctx.ask(querySwitchFlows, { dpid: req.params.dpid! })).map((f) => packetCounter(f.flow_id, f)) }),
  },
  {
    method: 'GET', access: 'read',
    path: 'v1/bytes_count/per_flow/{dpid}',
    handler: async (req) => ({ body: (await ctx.ask(querySwitchFlows, { dpid: req.params.dpid! })).map((f) => bytesCounter(f.flow_id, f)) }),
  },
];
