import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  NotFoundError,
  createMaintenance,
  deleteMaintenance,
  endMaintenance,
  extendMaintenance,
  getMaintenance,
  getTopology,
  listMaintenances,
  updateMaintenance,
  type NAppContext,
  type NAppRoute,
} from '#sdk';
import { bodyError, extendBodyError, missingItems, renderText, validateWindow } from './logic.js';
import type { MaintenanceSettings } from './settings.js';

const text = (raw: string) => ({ status: 200, raw, contentType: 'application/json' });

/** Mounted at /api/kytos/maintenance/... (kytos-api.md 2.7). */
export const routes = (ctx: NAppContext<MaintenanceSettings>): NAppRoute[] => [
  {
    method: 'GET', access: 'read',
    path: 'v1',
    handler: async () => text(renderText(await ctx.ask(listMaintenances, {}))),
  },
  {
    method: 'GET', access: 'read',
    path: 'v1/{mw_id}',
    handler: async (req) => {
      const id = req.params.mw_id!;
      const w = await ctx.ask(getMaintenance, { id });
      if (!w) throw new NotFoundError(`Maintenance with id ${id} not found`);
      return text(renderText(w));
    },
  },
  {
    method: 'POST', access: 'write',
    path: 'v1',
    maxBodyBytes: 1 << 20,
    handler: async (req) => {
      const data = req.body as Record<string, unknown>;
      const invalid = bodyError(data);
      if (invalid) throw new BadRequestError(invalid);
      if ('status' in data) throw new BadRequestError('Setting a maintenance status is not allowed');
      const now = ctx.clock.now();
      const v = validateWindow(data, now);
      if ('error' in v) throw new BadRequestError(v.error);
      const window = { ...v.window, id: v.window.id || randomUUID().replace(/-/g, '') };
      if (!data.ignore_no_exists) {
        const missing = missingItems(window, await ctx.ask(getTopology, {}));
        if (missing) throw new BadRequestError(missing);
      }
      return { status: 201, body: await ctx.ask(createMaintenance, { window, force: Boolean(data.force), now }) };
    },
  },
  {
    method: 'PATCH', access: 'write',
    path: 'v1/{mw_id}',
    maxBodyBytes: 1 << 20,
    handler: async (req) => {
      const data = req.body as Record<string, unknown>;
      const invalid = bodyError(data);
      if (invalid) throw new BadRequestError(invalid);
      return { body: await ctx.ask(updateMaintenance, { id: req.params.mw_id!, data, now: ctx.clock.now() }) };
    },
  },
  {
    method: 'DELETE', access: 'write',
    path: 'v1/{mw_id}',
    handler: async (req) => ({ body: await ctx.ask(deleteMaintenance, { id: req.params.mw_id! }) }),
  },
  {
    method: 'PATCH', access: 'write',
    path: 'v1/{mw_id}/end',
    handler: async (req) => ({ body: await ctx.ask(endMaintenance, { id: req.params.mw_id!, now: ctx.clock.now() }) }),
  },
  {
    method: 'PATCH', access: 'write',
    path: 'v1/{mw_id}/extend',
    maxBodyBytes: 4096,
    // The schema openapi.yml documents (integers >= 0, no other property) is checked here, with
    // Kytos-ng's messages (jsonschema's wording) rather than the platform's.
    bodySchema: {},
    handler: async (req) => {
      const invalid = extendBodyError(req.body);
      if (invalid) throw new BadRequestError(invalid);
      const d = req.body as { seconds?: number | bigint; minutes?: number | bigint; hours?: number | bigint; days?: number | bigint };
      const n = (v: number | bigint | undefined) => Number(v ?? 0);
      const ms = ((n(d.days) * 24 + n(d.hours)) * 60 + n(d.minutes)) * 60_000 + n(d.seconds) * 1000;
      return { body: await ctx.ask(extendMaintenance, { id: req.params.mw_id!, ms, now: ctx.clock.now() }) };
    },
  },
];
