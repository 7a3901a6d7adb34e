/**
 * Kytos-ng's mef_eline v2 API (kytos-api.md 2.6), mounted at
 * /api/kytos/mef_eline/. Bodies of POST/PATCH evc are checked against
 * openapi.yml first (400).
 */
import { BadRequestError, NotFoundError, type NAppContext, type NAppRoute } from '#sdk';
import type { EvcService } from './service.js';
import type { MefElineSettings } from './settings.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function archivedParam(q: URLSearchParams): boolean | null {
  const v = q.get('archived');
  if (v === null || v === 'false') return false;
  if (v === 'true') return true;
  if (v === 'null') return null;
  throw new BadRequestError(`archived can only be true, false or null, not ${v}`);
}

export const routes = (_ctx: NAppContext<MefElineSettings>, svc: () => EvcService): NAppRoute[] => [
  {
    method: 'GET',
    access: 'read',
    path: 'v2/evc/',
    handler: (req) => {
      const q = new URLSearchParams(req.queryString);
      const all = svc().list(archivedParam(q));
      const filters = [...q.entries()].filter(([k]) => k.startsWith('metadata.'));
      if (filters.length === 0) return { body: all };
      const out = Object.fromEntries(
        Object.entries(all).filter(([, e]) => filters.every(([k, v]) => String((e.metadata as Record<string, unknown>)[k.slice(9)]) === v)),
      );
      return { body: out };
    },
  },
  {
    method: 'POST',
    access: 'write',
    path: 'v2/evc/',
    body: 'json',
    handler: async (req) => ({ status: 201, body: await svc().create(req.body as Record<string, unknown>) }),
  },
  {
    method: 'GET',
    access: 'read',
    path: 'v2/evc/schedule',
    handler: () => ({ body: svc().schedules() }),
  },
  {
    method: 'POST',
    access: 'write',
    path: 'v2/evc/schedule/',
    body: 'json',
    handler: async (req) => {
      const b = req.body as { circuit_id?: unknown; schedule?: unknown };
      if (!isObject(b) || typeof b.circuit_id !== 'string' || b.schedule === undefined) {
        throw new BadRequestError("The request body contains invalid API data., 'circuit_id' and 'schedule' are required properties for field .");
      }
      return { status: 201, body: await svc().addSchedule(b.circuit_id, b.schedule) };
    },
  },
  {
    method: 'PATCH',
    access: 'write',
    path: 'v2/evc/schedule/{schedule_id}',
    body: 'json',
    handler: async (req) => ({ body: await svc().updateSchedule(req.params.schedule_id!, req.body) }),
  },
  {
    method: 'DELETE',
    access: 'write',
    path: 'v2/evc/schedule/{schedule_id}',
    handler: async (req) => {
      await svc().removeSchedule(req.params.schedule_id!);
      return { body: 'Schedule removed' };
    },
  },
  {
    method: 'POST',
    access: 'write',
    path: 'v2/evc/metadata',
    body: 'json',
    handler: async (req) => {
      const { circuit_ids, ...metadata } = req.body as { circuit_ids: string[] } & Record<string, unknown>;
      const missing = await svc().bulkMetadata(circuit_ids, (m) => ({ ...m, ...metadata }));
      if (missing.length > 0) return { status: 404, body: { description: missing, code: 404 } };
      return { status: 201, body: 'Operation successful' };
    },
  },
  {
    method: 'DELETE',
    access: 'write',
    path: 'v2/evc/metadata/{key}',
    body: 'optional-json',
    handler: async (req) => {
      const ids = (req.body as { circuit_ids?: unknown } | undefined)?.circuit_ids;
      if (!Array.isArray(ids)) throw new BadRequestError("The request body contains invalid API data., 'circuit_ids' is a required property for field .");
      const key = req.params.key!;
      const missing = await svc().bulkMetadata(ids as string[], (m) => {
        const { [key]: _gone, ...rest } = m;
        return rest;
      });
      if (missing.length > 0) return { status: 404, body: { description: missing, code: 404 } };
      return { body: 'Operation successful' };
    },
  },
  { method: 'GET', access: 'read', path: 'v2/evc/{circuit_id}', handler: (req) => ({ body: svc().get(req.params.circuit_id!) }) },
  {
    method: 'PATCH',
    access: 'write',
    path: 'v2/evc/{circuit_id}',
    body: 'json',
    handler: async (req) => {
      const id = req.params.circuit_id!;
      const r = await svc().update(id, req.body as Record<string, unknown>);
      return { body: { [id]: r.evc, redeployed: r.redeployed } };
    },
  },
  {
    method: 'DELETE',
    access: 'write',
    path: 'v2/evc/{circuit_id}',
    handler: async (req) => {
      const id = req.params.circuit_id!;
      await svc().remove(id);
      return { body: { response: `Circuit ${id} removed` } };
    },
  },
  {
    method: 'PATCH',
    access: 'write',
    path: 'v2/evc/{circuit_id}/redeploy',
    handler: async (req) => {
      const id = req.params.circuit_id!;
      const v = (new URLSearchParams(req.queryString).get('try_avoid_same_s_vlan') ?? 'true').toLowerCase();
      if (v !== 'true' && v !== 'false') throw new BadRequestError('Parameter try_avoid_same_s_vlan has an invalid value.');
      const ok = await svc().redeploy(id, v === 'true');
      if (ok) return { status: 202, body: { response: `Circuit ${id} redeploy received.` } };
      return { status: 409, body: { response: `Circuit ${id} is disabled.` } };
    },
  },
  {
    method: 'GET',
    access: 'read',
    path: 'v2/evc/{circuit_id}/metadata',
    handler: (req) => {
      const e = svc().evcs.get(req.params.circuit_id!);
      if (!e) throw new NotFoundError(`circuit_id ${req.params.circuit_id} not found.`);
      return { body: { metadata: e.doc.metadata } };
    },
  },
  {
    method: 'POST',
    access: 'write',
    path: 'v2/evc/{circuit_id}/metadata',
    body: 'json',
    bodySchema: {},
    handler: async (req) => {
      if (!isObject(req.body)) throw new BadRequestError(`Invalid metadata value: ${JSON.stringify(req.body)}`);
      const body = req.body;
      const missing = await svc().bulkMetadata([req.params.circuit_id!], (m) => ({ ...m, ...body }));
      if (missing.length > 0) throw new NotFoundError(`circuit_id ${req.params.circuit_id} not found.`);
      return { status: 201, body: 'Operation successful' };
    },
  },
  {
    method: 'DELETE',
    access: 'write',
    path: 'v2/evc/{circuit_id}/metadata/{key}',
    handler: async (req) => {
      const key = req.params.key!;
      const missing = await svc().bulkMetadata([req.params.circuit_id!], (m) => {
        const { [key]: _gone, ...rest } = m;
        return rest;
      });
      if (missing.length > 0) throw new NotFoundError(`circuit_id ${req.params.circuit_id} not found.`);
      return { body: 'Operation successful' };
    },
  },
];
