import { readFileSync } from 'node:fs';
import type { RestClient } from './client.js';
import { usage } from './exit-codes.js';
import { table } from './table.js';

/** What a command prints: the server's JSON (`--json`) or a table for people. */
export interface Output {
  json: unknown;
  text: string;
}

export interface CommandContext {
  client: RestClient;
  args: string[];
  options: { password?: string; email?: string };
}

type Command = (ctx: CommandContext) => Promise<Output>;

const CORE = '/api/kytos/core';
const TOPOLOGY = '/api/kytos/topology/v3';
const FLOWS = '/api/kytos/flow_manager/v2/flows';
const EVCS = '/api/kytos/mef_eline/v2/evc/';
const USERS = `${CORE}/auth/users/`;

type Obj = Record<string, any>;
const values = (o: unknown): Obj[] => (o && typeof o === 'object' ? Object.values(o as Obj) : []);
const enc = encodeURIComponent;

function need(args: string[], n: number, what: string): string[] {
  if (args.length < n) throw usage(`missing argument: ${what}`);
  if (args.length > n) throw usage(`unexpected argument: ${args[n]}`);
  return args;
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usage(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw usage(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

const status: Command = async ({ client, args }) => {
  need(args, 0, '');
  const s = await client.get<Obj>(`${CORE}/status/`);
  const rows: unknown[][] = [
    ['status', s.system_status],
    ['started', s.started_at],
    ['uptime', `${s.uptime_seconds} s`],
    ['store', s.store ? `${s.store.backend ?? ''} ${s.store.up ? 'up' : 'DOWN'}`.trim() : undefined],
    ['napps', Object.entries((s.napps ?? {}) as Obj).map(([id, st]) => `${id} (${st})`).join(', ') || 'none'],
    ['switches', s.metrics?.lattice_switches_connected],
    ['http requests', s.http?.requests],
    ['websocket clients', s.websocket?.clients],
    ['actors', s.mailboxes?.actors],
    ['dead letters', s.dead_letters],
  ];
  return { json: s, text: table(['', ''], rows).split('\n').slice(1).join('\n') };
};

const switches: Command = async ({ client, args }) => {
  need(args, 0, '');
  const body = await client.get<Obj>(`${TOPOLOGY}/switches`);
  const rows = values(body.switches).map((s) => [
    s.dpid ?? s.id,
    s.name,
    s.enabled,
    s.active,
    values(s.interfaces).length,
    s.connection,
  ]);
  return { json: body, text: table(['dpid', 'name', 'enabled', 'active', 'interfaces', 'connection'], rows) };
};

const links: Command = async ({ client, args }) => {
  need(args, 0, '');
  const body = await client.get<Obj>(`${TOPOLOGY}/links`);
  const rows = values(body.links).map((l) => [l.id, l.endpoint_a?.id, l.endpoint_b?.id, l.enabled, l.active]);
  return { json: body, text: table(['id', 'endpoint a', 'endpoint b', 'enabled', 'active'], rows) };
};

const flowRows = (body: Obj): unknown[][] =>
  Object.entries(body).flatMap(([dpid, sw]) =>
    values((sw as Obj)?.flows).map((f) => [dpid, f.table_id, f.priority, f.cookie, f.match ?? {}, f.instructions ?? f.actions ?? []]),
  );

const flows: Command = async (ctx) => {
  const [sub, ...rest] = ctx.args;
  if (sub === 'add' || sub === 'delete') {
    const [dpid, file] = need(rest, 2, sub === 'add' ? 'flows add <dpid> <file.json>' : 'flows delete <dpid> <file.json>');
    const doc = readJsonFile(file!);
    const body = Array.isArray(doc) ? { flows: doc } : doc;
    const answer = await ctx.client.request(sub === 'add' ? 'POST' : 'DELETE', `${FLOWS}/${enc(dpid!)}`, body);
    const n = Array.isArray((body as Obj).flows) ? (body as Obj).flows.length : 0;
    return { json: answer ?? {}, text: `${sub === 'add' ? 'added' : 'deleted'} ${n} flow(s) on ${dpid}` };
  }
  const args = ctx.args;
  if (args.length > 1) throw usage(`unexpected argument: ${args[1]}`);
  const body = await ctx.client.get<Obj>(args[0] ? `${FLOWS}/${enc(args[0])}` : FLOWS);
  return { json: body, text: table(['dpid', 'table', 'priority', 'cookie', 'match', 'instructions'], flowRows(body)) };
};

const evcs: Command = async ({ client, args }) => {
  need(args, 0, '');
  const body = await client.get<Obj>(EVCS);
  const rows = values(body).map((e) => [e.id, e.name, e.uni_a?.interface_id, e.uni_z?.interface_id, e.enabled, e.active]);
  return { json: body, text: table(['id', 'name', 'uni a', 'uni z', 'enabled', 'active'], rows) };
};

const napps: Command = async ({ client, args }) => {
  const [sub = 'list', ...rest] = args;
  if (sub === 'list') {
    need(rest, 0, '');
    const installed = await client.get<{ napps: [string, string][] }>(`${CORE}/napps_installed`);
    const enabled = await client.get<{ napps: [string, string][] }>(`${CORE}/napps_enabled`);
    const on = new Set(enabled.napps.map(([u, n]) => `${u}/${n}`));
    const rows = installed.napps.map(([u, n]) => [`${u}/${n}`, on.has(`${u}/${n}`) ? 'enabled' : 'disabled']);
    return { json: { installed: installed.napps, enabled: enabled.napps }, text: table(['napp', 'state'], rows) };
  }
  if (sub === 'enable' || sub === 'disable') {
    const [id] = need(rest, 1, `napps ${sub} <username/name>`);
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(id!);
    if (!m) throw usage(`expected username/name, got ${id}`);
    const answer = await client.request('POST', `${CORE}/napps/${enc(m[1]!)}/${enc(m[2]!)}/${sub}`);
    return { json: answer, text: `${id} ${sub}d` };
  }
  throw usage(`unknown napps command: ${sub} (list, enable, disable)`);
};

const users: Command = async ({ client, args, options }) => {
  const [sub = 'list', ...rest] = args;
  if (sub === 'list') {
    need(rest, 0, '');
    const body = await client.get<Obj>(USERS);
    const list = Array.isArray(body.users) ? body.users : values(body.users);
    // Kytos answers {"users": ["alice", ...]}; richer servers give objects.
    const rows = list.map((u: unknown) => (typeof u === 'string' ? [u, undefined] : [(u as Obj).username, (u as Obj).email]));
    return { json: body, text: table(['username', 'email'], rows) };
  }
  if (sub === 'add') {
    const [username] = need(rest, 1, 'users add <username> --password <password> --email <email>');
    const password = options.password ?? process.env.LATTICE_USER_PASSWORD;
    if (!password) throw usage('users add needs --password or LATTICE_USER_PASSWORD');
    if (!options.email) throw usage('users add needs --email (Kytos users have one)');
    const answer = await client.request('POST', USERS, { username, password, email: options.email });
    return { json: answer ?? {}, text: `user ${username} added` };
  }
  if (sub === 'delete') {
    const [username] = need(rest, 1, 'users delete <username>');
    const answer = await client.request('DELETE', `${USERS}${enc(username!)}`);
    return { json: answer ?? {}, text: `user ${username} deleted` };
  }
  throw usage(`unknown users command: ${sub} (list, add, delete)`);
};

/** `login <username> --password P`: prints a token (Kytos: GET auth/login with basic auth), for LATTICE_TOKEN. */
const login: Command = async ({ client, args, options }) => {
  const [username] = need(args, 1, 'login <username> --password <password>');
  const password = options.password ?? process.env.LATTICE_USER_PASSWORD;
  if (!password) throw usage('login needs --password or LATTICE_USER_PASSWORD');
  const body = await client.request<Obj>('GET', `${CORE}/auth/login/`, undefined, {
    Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
  });
  return { json: body, text: String(body.token ?? '') };
};

export const COMMANDS: Record<string, Command> = { status, switches, links, flows, evcs, napps, users, login };
