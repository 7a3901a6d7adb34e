/**
 * Kytos-ng's topology v3 API (kytos-api.md 2.2), mounted at /api/kytos/topology/.
 * GETs serve the pre-serialized bodies of the view (ETag, 304, msgpack on
 * Accept); writes are commands the machine runs in order, answered once durable.
 */
import {
  BadRequestError,
  ErrorCode,
  getStoredFlows,
  headerOf,
  LatticeError,
  NotFoundError,
  type HttpRequest,
  type HttpResponse,
  type NAppContext,
  type NAppRoute,
} from '#sdk';
import type { Command, EntityKind, FlowsCheck } from './commands.js';
import { runCommand } from './events.js';
import type { TopologySettings } from './settings.js';
import { splitInterfaceId, tagsJson } from './state.js';
import { checkTagType, parseSpecialTags, parseTagRanges } from './tags.js';
import type { BodyKind, TopologyView } from './view.js';

const MSGPACK = 'application/msgpack';

/** How long the "flows installed" check waits for flow_manager. */
const FLOWS_TIMEOUT_MS = 5000;

/** Installed flows of a switch from flow_manager; none when flow_manager is not running here. */
export async function flowsOf(ctx: NAppContext<TopologySettings>, dpid: string): Promise<FlowsCheck> {
  try {
    const byDpid = await ctx.ask(getStoredFlows, { dpids: [dpid], states: ['installed'] }, FLOWS_TIMEOUT_MS);
    return { flows: byDpid[dpid] ?? [] };
  } catch (error) {
    if (error instanceof LatticeError && error.code === ErrorCode.ActorNotFound) return { flows: [] };
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export const routes = (ctx: NAppContext<TopologySettings>, view: TopologyView): NAppRoute[] => {
  const run = async (command: Command, status = 200): Promise<HttpResponse> => ({ status, body: await ctx.ask(runCommand, { command }) });

  const serve = (kind: BodyKind) => (req: HttpRequest): HttpResponse => {
    const b = view.body(kind);
    if (headerOf(req, 'if-none-match') === b.etag) return { status: 304, headers: { ETag: b.etag }, raw: '' };
    if (headerOf(req, 'accept')?.includes(MSGPACK)) return { body: b.value(), headers: { ETag: b.etag } };
    return b.response;
  };

  const metadataOf = (kind: EntityKind, id: string): Record<string, unknown> => {
    const t = view.topology();
    if (kind === 'switch') {
      const sw = t.switches[id];
      if (!sw) throw new NotFoundError('Switch not found');
      return sw.metadata;
    }
    if (kind === 'link') {
      const link = t.links[id];
      if (!link) throw new NotFoundError('Link not found');
      return link.metadata;
    }
    const split = splitInterfaceId(id);
    if (!split) throw new BadRequestError(`Invalid interface_id ${id}`);
    const sw = t.switches[split[0]];
    if (!sw) throw new NotFoundError('Switch not found');
    const intf = sw.interfaces[id];
    if (!intf) throw new NotFoundError('Interface not found');
    return intf.metadata;
  };

  const metadataRoutes = (kind: EntityKind, base: string, param: string): NAppRoute[] => [
    { method: 'GET', access: 'read', path: `${base}/{${param}}/metadata`, handler: (req) => ({ body: { metadata: metadataOf(kind, req.params[param]!) } }) },
    {
      method: 'POST', access: 'write',
      path: `${base}/{${param}}/metadata`,
      body: 'json',
      handler: (req) => run({ op: 'metadata.add', kind, id: req.params[param]!, metadata: req.body as Record<string, unknown> }, 201),
    },
    {
      method: 'DELETE', access: 'write',
      path: `${base}/{${param}}/metadata/{key}`,
      handler: (req) => run({ op: 'metadata.delete', kind, id: req.params[param]!, key: req.params.key! }),
    },
  ];

  const portOf = (id: string): [string, number] => {
    const split = splitInterfaceId(id);
    if (!split) throw new BadRequestError(`Invalid interface_id ${id}`);
    return split;
  };

  const tagType = (req: HttpRequest) => checkTagType(new URLSearchParams(req.queryString).get('tag_type') ?? undefined);

  return [
    // Reads, served from the view.
    { method: 'GET', access: 'read', path: 'v3/', handler: serve('topology') },
    { method: 'GET', access: 'read', path: 'v3/switches', handler: serve('switches') },
    { method: 'GET', access: 'read', path: 'v3/interfaces', handler: serve('interfaces') },
    { method: 'GET', access: 'read', path: 'v3/links', handler: serve('links') },
    {
      method: 'GET', access: 'read',
      path: 'v3/interfaces/tag_ranges',
      handler: () => {
        const out: Record<string, unknown> = {};
        for (const sw of Object.values(view.topology().switches)) {
          for (const id of Object.keys(sw.interfaces)) out[id] = tagsJson(view.state(), id, ctx.settings.LLDP_VLAN);
        }
        return { body: out };
      },
    },

    // Switches.
    { method: 'POST', access: 'write', path: 'v3/switches/{dpid}/enable', body: 'any', handler: (req) => run({ op: 'switch.enable', dpid: req.params.dpid! }, 201) },
    { method: 'POST', access: 'write', path: 'v3/switches/{dpid}/disable', body: 'any', handler: (req) => run({ op: 'switch.disable', dpid: req.params.dpid! }, 201) },
    {
      method: 'DELETE', access: 'write',
      path: 'v3/switches/{dpid}',
      handler: async (req) => {
        const dpid = req.params.dpid!;
        const sw = view.topology().switches[dpid];
        // Kytos checks the switch (404, 409 enabled) before asking flow_manager; so do we, and the machine checks again.
        const flows: FlowsCheck = sw && !sw.enabled ? await flowsOf(ctx, dpid) : { flows: [] };
        return run({ op: 'switch.delete', dpid, flows });
      },
    },
    ...metadataRoutes('switch', 'v3/switches', 'dpid'),

    // Interfaces.
    { method: 'POST', access: 'write', path: 'v3/interfaces/switch/{dpid}/enable', body: 'any', handler: (req) => run({ op: 'interface.enable', dpid: req.params.dpid! }) },
    { method: 'POST', access: 'write', path: 'v3/interfaces/switch/{dpid}/disable', body: 'any', handler: (req) => run({ op: 'interface.disable', dpid: req.params.dpid! }) },
    {
      method: 'POST', access: 'write',
      path: 'v3/interfaces/{interface_id}/enable',
      body: 'any',
      handler: (req) => {
        const [dpid, port] = portOf(req.params.interface_id!);
        return run({ op: 'interface.enable', dpid, port });
      },
    },
    {
      method: 'POST', access: 'write',
      path: 'v3/interfaces/{interface_id}/disable',
      body: 'any',
      handler: (req) => {
        const [dpid, port] = portOf(req.params.interface_id!);
        return run({ op: 'interface.disable', dpid, port });
      },
    },
    ...metadataRoutes('interface', 'v3/interfaces', 'interface_id'),
    {
      method: 'GET', access: 'read',
      path: 'v3/interfaces/{interface_id}/tag_ranges',
      handler: (req) => {
        const id = req.params.interface_id!;
        const tags = tagsJson(view.state(), id, ctx.settings.LLDP_VLAN);
        if (!tags) throw new NotFoundError('Interface not found');
        return { body: { [id]: tags } };
      },
    },
    {
      method: 'POST', access: 'write',
      path: 'v3/interfaces/{interface_id}/tag_ranges',
      body: 'json',
      handler: (req) => {
        const b = req.body as { tag_type?: string; tag_ranges?: unknown };
        checkTagType(b.tag_type);
        return run({ op: 'tags.set', id: req.params.interface_id!, ranges: parseTagRanges(b.tag_ranges) });
      },
    },
    {
      method: 'DELETE', access: 'write',
      path: 'v3/interfaces/{interface_id}/tag_ranges',
      handler: (req) => {
        tagType(req);
        return run({ op: 'tags.reset', id: req.params.interface_id! });
      },
    },
    {
      method: 'POST', access: 'write',
      path: 'v3/interfaces/{interface_id}/special_tags',
      body: 'json',
      handler: (req) => {
        const b = req.body as { tag_type?: string; special_tags?: unknown };
        checkTagType(b.tag_type);
        return run({ op: 'special_tags.set', id: req.params.interface_id!, special: parseSpecialTags(b.special_tags) });
      },
    },
    {
      method: 'DELETE', access: 'write',
      path: 'v3/interfaces/{intf_id}',
      handler: async (req) => {
        const id = req.params.intf_id!;
        const split = splitInterfaceId(id);
        const intf = split && view.topology().switches[split[0]]?.interfaces[id];
        const flows: FlowsCheck = intf && !intf.enabled && !intf.active && !intf.link ? await flowsOf(ctx, split[0]) : { flows: [] };
        return run({ op: 'interface.delete', id, flows });
      },
    },

    // Links.
    { method: 'POST', access: 'write', path: 'v3/links/{link_id}/enable', body: 'any', handler: (req) => run({ op: 'link.enable', id: req.params.link_id! }, 201) },
    { method: 'POST', access: 'write', path: 'v3/links/{link_id}/disable', body: 'any', handler: (req) => run({ op: 'link.disable', id: req.params.link_id! }, 201) },
    ...metadataRoutes('link', 'v3/links', 'link_id'),
    { method: 'DELETE', access: 'write', path: 'v3/links/{link_id}', handler: (req) => run({ op: 'link.delete', id: req.params.link_id! }) },
  ];
};
