/**
 * The v1 REST API of kytos/of_lldp (kytos-api.md 2.3, 4.1), with Kytos-ng's
 * statuses and messages. Bodies are read as Kytos-ng reads them (JSON, no
 * Content-Type check), by the server within its JSON limits; the machine decides and answers.
 */
import { getLldpCounters, getTopology, type HttpRequest, type HttpResponse, type NAppContext, type NAppRoute, type TopologyJson } from '#sdk';
import { runCommand, type Command } from './events.js';
import type { OfLldpSettings } from './settings.js';

const error = (status: number, description: unknown): HttpResponse => ({ status, body: { description, code: status } });

class Refusal extends Error {
  constructor(readonly response: HttpResponse) {
    super('refused');
  }
}

/** The body as JSON (decoded by the server within its JSON limits, whatever the Content-Type), or Kytos-ng's 400. */
function json(req: HttpRequest): unknown {
  if (req.body !== undefined) return req.body;
  throw new Refusal(error(400, req.bodyError ?? 'Invalid json: the request has no body'));
}

/** Kytos-ng's `_get_data`: the body's `interfaces` list (a missing key is an empty list). */
function interfaceIds(req: HttpRequest): string[] {
  const body = json(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Refusal(error(400, 'The request body must be a JSON object.'));
  const ids = (body as { interfaces?: unknown }).interfaces ?? [];
  if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string' && i !== null)) throw new Refusal(error(400, 'interfaces must be a list of interface ids.'));
  return (ids as (string | null)[]).filter((i): i is string => Boolean(i));
}

/** Python's `int(value)` as `set_time` applies it: the integer, or the message of the exception Kytos-ng reports. */
export function pythonInt(value: unknown): number | { message: string } {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : { message: 'cannot convert float infinity to integer' };
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    if (/^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, ''));
    return { message: `invalid literal for int() with base 10: '${value}'` };
  }
  const type = value === null ? 'NoneType' : Array.isArray(value) ? 'list' : 'dict';
  return { message: `int() argument must be a string, a bytes-like object or a real number, not '${type}'` };
}

/** `POST v1/polling_time`'s checks: the new polling time, or the 400 of section 4.1. */
export function parsePollingTime(req: HttpRequest): number {
  const body = json(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('polling_time' in body)) {
    throw new Refusal(error(400, "This operation is not completed: 'polling_time'"));
  }
  const n = pythonInt((body as { polling_time: unknown }).polling_time);
  if (typeof n !== 'number') throw new Refusal(error(400, `This operation is not completed: ${n.message}`));
  if (n <= 0) throw new Refusal(error(400, `invalid polling_time ${n}, must be greater than zero`));
  return n;
}

const UPDATED: HttpResponse = { status: 200, body: 'Polling time has been updated.' };

export function routes(ctx: NAppContext<OfLldpSettings>): NAppRoute[] {
  const topology = (): Promise<TopologyJson> => ctx.ask(getTopology, {});
  const run = async (command: Command): Promise<HttpResponse> => {
    const r = await ctx.ask(runCommand, { command });
    return { status: r.status, body: r.body };
  };
  const guarded =
    (fn: (req: HttpRequest) => Promise<HttpResponse>) =>
    async (req: HttpRequest): Promise<HttpResponse> => {
      try {
        return await fn(req);
      } catch (e) {
        if (e instanceof Refusal) return e.response;
        throw e;
      }
    };
  const post = (path: string, fn: (req: HttpRequest) => Promise<HttpResponse>): NAppRoute => ({ method: 'POST', access: 'write', path, body: 'json-any-type', handler: guarded(fn) });
  return [
    { method: 'GET', access: 'read', path: 'v1/interfaces', handler: async () => run({ op: 'lldp.list', topology: await topology() }) },
    post('v1/interfaces/enable', async (req) => run({ op: 'lldp.set', enabled: true, ids: interfaceIds(req), topology: await topology() })),
    post('v1/interfaces/disable', async (req) => run({ op: 'lldp.set', enabled: false, ids: interfaceIds(req), topology: await topology() })),
    post('v1/liveness/enable', async (req) => run({ op: 'liveness.set', enabled: true, ids: interfaceIds(req), topology: await topology() })),
    post('v1/liveness/disable', async (req) => run({ op: 'liveness.set', enabled: false, ids: interfaceIds(req), topology: await topology() })),
    {
      method: 'GET', access: 'read',
      path: 'v1/liveness/',
      handler: async (req) => run({ op: 'liveness.get', id: new URLSearchParams(req.queryString).get('interface_id') || undefined }),
    },
    { method: 'GET', access: 'read', path: 'v1/liveness/pair', handler: async () => run({ op: 'liveness.pairs' }) },
    { method: 'GET', access: 'read', path: 'v1/polling_time', handler: async () => run({ op: 'polling.get' }) },
    // Told, not asked: the NApp's mailbox orders it before any later request, and the answer needs nothing back.
    // Synchronous, so the route actor answers within its step (no promise, no second step, the socket still corked).
    {
      method: 'POST', access: 'write', path: 'v1/polling_time', body: 'json-any-type',
      handler: (req: HttpRequest): HttpResponse => {
        let value: number;
        try {
          value = parsePollingTime(req);
        } catch (e) {
          if (e instanceof Refusal) return e.response;
          throw e;
        }
        if (!ctx.tell(ctx.self, { type: 'lldp.polling_time', value })) return error(503, 'of_lldp is busy, try again');
        return UPDATED;
      },
    },
    /** Lattice: frames sent, accepted and rejected (by reason). */
    { method: 'GET', access: 'read', path: 'v1/counters', handler: async () => ({ body: await ctx.ask(getLldpCounters, {}) }) },
  ];
}
