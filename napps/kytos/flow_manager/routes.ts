/**
 * The v2 REST API of kytos/flow_manager (kytos-api.md 2.4, 4.2, 4.3), with
 * Kytos-ng's status codes and messages. Request checks that need no state run
 * here; the machine checks the flows, stores, sends and answers.
 */
import {
  getSwitch,
  getSwitches,
  getTopologySwitch,
  switchesService,
  type HttpRequest,
  type HttpResponse,
  type NAppContext,
  type NAppRoute,
  type StoredFlowState,
} from '#sdk';
import { applyFlows, queryReported, queryStored, type ApplyRequest, type CheckedFlow } from './events.js';
import type { Command } from './flow.js';
import { checkCount, checkFlow, errorResult } from './logic.js';
import type { FlowManagerSettings } from './settings.js';

const LOOKUP_MS = 2000;
/** Flows checked per event-loop turn. */
const SLICE = 200;

/** Python's truthiness of a JSON value (Kytos' `any(flows)`: `{}` and `[]` are false). */
const truthy = (v: unknown): boolean =>
  v !== null && v !== undefined && v !== false && v !== 0 && v !== '' && v !== 0n &&
  !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON value as text in messages (bigints exact). */
const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);

const fail = (status: number, description: unknown): HttpResponse => {
  const r = errorResult(status, description);
  return { status: r.status, body: r.body };
};

class Refusal extends Error {
  constructor(readonly response: HttpResponse) {
    super('refused');
  }
}

/** Kytos' `validate_cookies_and_masks`. */
function checkCookies(flows: unknown[], command: Command): void {
  for (const flow of flows) {
    if (!isDict(flow)) continue;
    const hasCookie = 'cookie' in flow;
    const hasMask = 'cookie_mask' in flow;
    if (command === 'add' && hasMask) throw new Refusal(fail(400, `cookie_mask shouldn't be set when adding flows. flow: ${show(flow)}`));
    if (command === 'delete' && hasCookie && !hasMask) {
      throw new Refusal(fail(400, `cookie is set, cookie_mask should be set too when deleting flows. flow: ${show(flow)}`));
    }
    if (command === 'delete' && !hasCookie && hasMask) {
      throw new Refusal(fail(400, `cookie_mask is set, cookie should be set toowhen deleting flows. flow: ${show(flow)}`));
    }
  }
}

interface SwitchInfo {
  known: boolean;
  enabled: boolean;
}

type Lookup = (dpid: string) => Promise<SwitchInfo>;

/** How long a failed topology lookup (NApp not running) is remembered before asking again. */
const TOPOLOGY_RETRY_MS = 5000;

/**
 * Whether a switch is known and enabled: topology's answer. While topology is
 * not running (remembered for a few seconds, so a POST costs no failed ask):
 * a connected switch is known and enabled; otherwise of_core's switches (known
 * = seen), or without of_core, unknown.
 */
function switchLookup(ctx: NAppContext<FlowManagerSettings>): (dpid: string) => Promise<SwitchInfo> {
  let topologyDownUntil = 0;
  const switches = ctx.service(switchesService);
  return async (dpid) => {
    if (ctx.clock.now() >= topologyDownUntil) {
      try {
        const sw = await ctx.ask(getTopologySwitch, { dpid }, LOOKUP_MS);
        return { known: !!sw, enabled: !!sw && sw.enabled !== false };
      } catch {
        topologyDownUntil = ctx.clock.now() + TOPOLOGY_RETRY_MS;
      }
    }
    if (switches.get(dpid)) return { known: true, enabled: true };
    try {
      const sw = await ctx.ask(getSwitch, { dpid }, LOOKUP_MS);
      return { known: !!sw, enabled: !!sw && sw.enabled !== false };
    } catch {
      return { known: false, enabled: false };
    }
  };
}

/** Every known switch (of_core's, else the connected ones). */
async function knownSwitches(ctx: NAppContext<FlowManagerSettings>, lookup: Lookup): Promise<{ dpid: string; enabled: boolean }[]> {
  try {
    const all = await ctx.ask(getSwitches, {}, LOOKUP_MS);
    const out: { dpid: string; enabled: boolean }[] = [];
    for (const dpid of Object.keys(all)) out.push({ dpid, enabled: (await lookup(dpid)).enabled });
    return out;
  } catch {
    return ctx.service(switchesService).list().map((i) => ({ dpid: i.dpid, enabled: true }));
  }
}

function query(req: HttpRequest): URLSearchParams {
  return new URLSearchParams(req.queryString);
}

/** POST/DELETE flows: Kytos' `_send_flow_mods_from_request`. */
async function sendFlowMods(ctx: NAppContext<FlowManagerSettings>, lookup: Lookup, req: HttpRequest, command: Command, bySwitch: boolean): Promise<HttpResponse> {
  const body = req.body;
  if (!isDict(body)) return fail(400, `Invalid payload: ${show(body)}`);
  if (!truthy(body)) return fail(400, "The request body doesn't have any flows");
  const q = query(req);
  const wait = q.get('wait') === 'installed';
  const dpid = req.params.dpid;
  let force: boolean;
  const targets: ApplyRequest['targets'] = [];
  try {
    if (bySwitch) {
      const f = (q.get('force') ?? 'false').toLowerCase();
      if (f !== 'true' && f !== 'false') return fail(400, 'Parameter force does not have a valid value.');
      force = f === 'true';
      for (const [id, content] of Object.entries(body)) {
        if (!isDict(content)) return fail(400, 'The content of the switch should be an object.');
        const flows = content.flows;
        if (!Array.isArray(flows) || !flows.some(truthy)) return fail(400, `The switch ${id} in the request body doesn't have any flows`);
        checkCookies(flows, command);
        const sw = await lookup(id);
        if (!sw.known) return fail(404, 'dpid not found.');
        if (!sw.enabled && command === 'add') return fail(404, `Switch ${id} is disabled.`);
        targets.push({ dpid: id, flows });
      }
    } else {
      force = truthy(body.force);
      const flows = body.flows ?? [];
      if (!Array.isArray(flows) || !flows.some(truthy)) return fail(400, "The request body doesn't have any flows");
      checkCookies(flows, command);
      if (dpid) {
        const sw = await lookup(dpid);
        if (!sw.known) return fail(404, { response: 'dpid not found.' });
        if (!sw.enabled && command === 'add') return fail(404, `Switch ${dpid} is disabled.`);
        targets.push({ dpid, flows });
      } else if (truthy(body.switches)) {
        if (!Array.isArray(body.switches)) return fail(400, 'Switches should be in a list.');
        for (const id of body.switches) {
          const sw = await lookup(String(id));
          if (!sw.known) return fail(404, { response: 'dpid not found.' });
          if (!sw.enabled && command === 'add') return fail(404, `Switch ${String(id)} is disabled.`);
          targets.push({ dpid: String(id), flows });
        }
      } else {
        for (const sw of await knownSwitches(ctx, lookup)) if (sw.enabled) targets.push({ dpid: sw.dpid, flows });
      }
    }
  } catch (err) {
    if (err instanceof Refusal) return err.response;
    throw err;
  }
  // Checked here, a slice at a time, so a large request never holds the event loop (nor the NApp's actor) for long.
  const tooMany = checkCount({ targets }, ctx.settings.MAX_FLOWS_PER_REQUEST);
  if (tooMany) return { status: tooMany.status, body: tooMany.body };
  for (const t of targets) {
    const checked: CheckedFlow[] = [];
    for (let i = 0; i < t.flows.length; i++) {
      if (i > 0 && i % SLICE === 0) await ctx.timers.yield();
      const c = checkFlow(t.dpid, t.flows[i], i, command);
      if ('error' in c) return { status: c.error.status, body: c.error.body };
      checked.push(c);
    }
    t.checked = checked;
  }
  const result = await ctx.ask(applyFlows, { command, targets, force, wait }, (ctx.settings.WAIT_TIMEOUT + 5) * 1000);
  // A store outage: nothing was sent; retry soon.
  return { status: result.status, body: result.body, ...(result.status === 503 ? { headers: { 'Retry-After': '1' } } : {}) };
}

function parseCookieRange(values: unknown[]): bigint[] {
  return values.map((v) => {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return BigInt(v.trim());
    throw new Error('not an int');
  });
}

/** GET v2/stored_flows: dpid, state and cookie_range filters (query or JSON body). */
async function storedFlows(ctx: NAppContext<FlowManagerSettings>, req: HttpRequest): Promise<HttpResponse> {
  const q = query(req);
  const dpids = q.getAll('dpid');
  const states = q.getAll('state') as StoredFlowState[];
  let raw: unknown[] = q.getAll('cookie_range');
  let cookies: bigint[];
  try {
    cookies = parseCookieRange(raw);
  } catch {
    return fail(400, `cookie_range ${show(raw)} couldn't be cast as an int`);
  }
  if (isDict(req.body) && 'cookie_range' in req.body) {
    raw = Array.isArray(req.body.cookie_range) ? req.body.cookie_range : [req.body.cookie_range];
    try {
      cookies = parseCookieRange(raw);
    } catch {
      return fail(400, `cookie_range ${show(req.body.cookie_range)} couldn't be cast as an int`);
    }
  }
  if (cookies.length % 2 === 1) return fail(400, `Expected cookies length to be even, got length ${show(raw)}`);
  const cookieRanges: [bigint, bigint][] = [];
  for (let i = 1; i < cookies.length; i += 2) cookieRanges.push([cookies[i - 1], cookies[i]]);
  return { body: await ctx.ask(queryStored, { dpids, states, cookieRanges }) };
}

/** Mounted at /api/kytos/flow_manager/... */
export const routes = (ctx: NAppContext<FlowManagerSettings>): NAppRoute[] => {
  const lookup = switchLookup(ctx);
  const add = (bySwitch = false) => (req: HttpRequest) => sendFlowMods(ctx, lookup, req, 'add', bySwitch);
  const del = (bySwitch = false) => (req: HttpRequest) => sendFlowMods(ctx, lookup, req, 'delete', bySwitch);
  return [
    {
      method: 'GET',
      access: 'read',
      path: 'v2/flows',
      handler: async () => {
        const dpids = (await knownSwitches(ctx, lookup)).map((s) => s.dpid);
        return { body: await ctx.ask(queryReported, { dpids }) };
      },
    },
    {
      method: 'GET',
      access: 'read',
      path: 'v2/flows/{dpid}',
      handler: async (req) => {
        const dpid = req.params.dpid!;
        if (!(await lookup(dpid)).known) return fail(404, 'Switch not found');
        return { body: await ctx.ask(queryReported, { dpids: [dpid] }) };
      },
    },
    { method: 'GET', access: 'read', path: 'v2/stored_flows', body: 'optional-json', handler: (req) => storedFlows(ctx, req) },
    { method: 'POST', access: 'write', path: 'v2/flows_by_switch', body: 'json', handler: add(true) },
    { method: 'DELETE', access: 'write', path: 'v2/flows_by_switch', body: 'json', handler: del(true) },
    { method: 'POST', access: 'write', path: 'v2/flows', body: 'json', handler: add() },
    { method: 'POST', access: 'write', path: 'v2/flows/{dpid}', body: 'json', handler: add() },
    { method: 'POST', access: 'write', path: 'v2/delete', body: 'json', handler: del() },
    { method: 'POST', access: 'write', path: 'v2/delete/{dpid}', body: 'json', handler: del() },
    { method: 'DELETE', access: 'write', path: 'v2/flows', body: 'json', handler: del() },
    { method: 'DELETE', access: 'write', path: 'v2/flows/{dpid}', body: 'json', handler: del() },
  ];
};
