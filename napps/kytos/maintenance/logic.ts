/** Pure rules of kytos/maintenance: dates, validation, overlap, expansion, rendering (Kytos-ng's messages). */
import type { MaintenanceWindowDoc, TopologyJson } from '#sdk';

export type Win = MaintenanceWindowDoc;
/** Kytos-ng's default end: `datetime.max` in UTC. */
export const MAX_END = '9999-12-31T23:59:59.000Z';

const DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Parses `%Y-%m-%dT%H:%M:%S%z` (any offset, `Z`, `+hh:mm`, `+hhmm`): UTC ms, or undefined. */
export function parseDate(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  let offset = 0;
  const z = m[7]!;
  if (z !== 'Z') {
    const digits = z.slice(1).replace(':', '');
    offset = (z[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  return ms - offset;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
const pad = (n: number) => String(n).padStart(2, '0');
/** `%Y-%m-%dT%H:%M:%S%z` in UTC: `2026-01-01T10:00:00+0000`. */
export function formatDate(isoText: string): string {
  const d = new Date(isoText);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0000`;
}
/** Python's `str(datetime)` of a UTC datetime: `2026-01-01 10:00:00+00:00`. */
const pyDate = (isoText: string) => formatDate(isoText).replace('T', ' ').replace(/\+0000$/, '+00:00');

/** Python's repr of plain JSON values (the text Kytos-ng puts in some messages). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** Longest body repr an error message quotes: a 1 MiB array body would otherwise cost ~30 ms and a 500 KB answer. */
export const MAX_QUOTED_BODY = 1024;

/**
 * `pyRepr(v)` when it is at most `max` characters; else its first `max`
 * characters and `...`, found without writing the rest (each item stops the
 * walk as soon as the text is long enough).
 */
export function pyReprBounded(v: unknown, max: number): string {
  const parts: string[] = [];
  let length = 0;
  const put = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length <= max;
  };
  const walk = (x: unknown): boolean => {
    if (Array.isArray(x)) {
      if (!put('[')) return false;
      for (let i = 0; i < x.length; i++) if ((i > 0 && !put(', ')) || !walk(x[i])) return false;
      return put(']');
    }
    if (typeof x === 'object' && x !== null) {
      if (!put('{')) return false;
      let first = true;
      for (const k in x) {
        if (!Object.hasOwn(x, k)) continue;
        if ((!first && !put(', ')) || !put(`${pyRepr(k)}: `) || !walk((x as Record<string, unknown>)[k])) return false;
        first = false;
      }
      return put('}');
    }
    return put(pyRepr(x));
  };
  const whole = walk(v);
  const text = parts.join('');
  return whole ? text : `${text.slice(0, max)}...`;
}

/** Kytos-ng's body check of POST and PATCH: a non-empty object, or its message (the body quoted up to MAX_QUOTED_BODY characters). */
export function bodyError(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || Object.keys(data).length === 0) return `Invalid json body value: ${pyReprBounded(data, MAX_QUOTED_BODY)}`;
  return undefined;
}

/** The units `extend` takes, in its schema's order. */
const EXTEND_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;

/**
 * The `extend` body checked as Kytos-ng's `validate_openapi` checks it against
 * its openapi.yml (an object of integers >= 0, no other property), with
 * jsonschema's messages joined as it joins them; undefined when valid.
 */
export function extendBodyError(body: unknown): string | undefined {
  if (body === undefined) return 'Missing required request body';
  const errors: [message: string, field: string][] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) errors.push([`${pyRepr(body)} is not of type 'object'`, '']);
  else {
    const data = body as Record<string, unknown>;
    const extra = Object.keys(data).filter((k) => !(EXTEND_UNITS as readonly string[]).includes(k));
    if (extra.length > 0) errors.push([`Additional properties are not allowed (${extra.map(pyRepr).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`, '']);
    for (const unit of EXTEND_UNITS) {
      if (!(unit in data)) continue;
      const v = data[unit];
      const numeric = (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint';
      if (!(typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) errors.push([`${pyRepr(v)} is not of type 'integer'`, unit]);
      if (numeric && (v as number | bigint) < 0) errors.push([`${pyRepr(v)} is less than the minimum of 0`, unit]);
    }
  }
  if (errors.length === 0) return undefined;
  return `The request body contains invalid API data.${errors.map(([m, f]) => `, ${m} for field ${f}.`).join('')}`;
}

/** Field errors `[loc, msg]` joined the way Kytos-ng's `error_msg` joins pydantic's. */
const joinErrors = (errors: [string, string][]) => errors.map(([loc, msg]) => `${loc}: ${msg}`).join('; ');

/**
 * Validates a window (a new one, or an old one merged with a PATCH) as
 * Kytos-ng's model does: dates, start not in the past, end after start, items
 * lists, at least one item. Returns the window (dates in UTC) or the message.
 */
export function validateWindow(data: Record<string, unknown>, now: number, base: Partial<Win> = {}): { window: Win } | { error: string } {
  const errors: [string, string][] = [];
  const date = (field: 'start' | 'end', v: unknown): number | undefined => {
    if (typeof v !== 'string') {
      errors.push([field, 'Input should be a valid datetime']);
      return undefined;
    }
    const ms = parseDate(v);
    if (ms === undefined) errors.push([field, `Value error, time data ${pyRepr(v)} does not match format '%Y-%m-%dT%H:%M:%S%z'`]);
    return ms;
  };
  let start: number | undefined;
  if (!('start' in data)) errors.push(['start', 'Field required']);
  else {
    start = date('start', data.start);
    if (start !== undefined && start < now) {
      errors.push(['start', 'Value error, Start in the past not allowed']);
      start = undefined;
    }
  }
  let end: number | undefined = Date.parse(MAX_END);
  if (data.end !== undefined && data.end !== null) end = date('end', data.end);
  if (start !== undefined && end !== undefined && end <= start) errors.push(['end', 'Value error, End before start not allowed']);
  const list = (field: 'switches' | 'interfaces' | 'links'): string[] => {
    const v = data[field] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      errors.push([field, 'Input should be a valid list of strings']);
      return [];
    }
    return v as string[];
  };
  const switches = list('switches');
  const interfaces = list('interfaces');
  const links = list('links');
  let id = base.id;
  if ('id' in data) {
    if (typeof data.id !== 'string') errors.push(['id', 'Input should be a valid string']);
    else id = data.id;
  }
  const description = data.description ?? '';
  if (typeof description !== 'string') errors.push(['description', 'Input should be a valid string']);
  if (errors.length > 0) return { error: joinErrors(errors) };
  if (switches.length + interfaces.length + links.length === 0) return { error: ': Value error, At least one item must be provided' };
  return {
    window: {
      id: id ?? '',
      start: iso(start!),
      end: iso(end!),
      switches,
      interfaces,
      links,
      description: description as string,
      status: base.status ?? 'pending',
      inserted_at: base.inserted_at ?? null,
      updated_at: base.updated_at ?? null,
      last_modified: base.last_modified ?? null,
    },
  };
}

/** The window as a PATCH merges into: its API fields with dates as the API writes them. */
export const asInput = (w: Win): Record<string, unknown> => ({
  start: formatDate(w.start),
  end: formatDate(w.end),
  switches: w.switches,
  interfaces: w.interfaces,
  links: w.links,
  id: w.id,
  description: w.description,
});

/** Unfinished windows whose period meets `w`'s (with `force`, only those sharing an item). */
export function overlapping(w: Win, others: Iterable<Win>, force: boolean): Win[] {
  const s = Date.parse(w.start);
  const e = Date.parse(w.end);
  const out: Win[] = [];
  for (const o of others) {
    if (o.id === w.id || o.status === 'finished') continue;
    const os = Date.parse(o.start);
    const oe = Date.parse(o.end);
    const meets = (os <= s && oe > s) || (os >= s && os < e);
    if (!meets) continue;
    if (force && !(o.switches.some((x) => w.switches.includes(x)) || o.interfaces.some((x) => w.interfaces.includes(x)) || o.links.some((x) => w.links.includes(x)))) continue;
    out.push(o);
  }
  return out;
}

const windowStr = (w: Win) => `'${w.id}'<${pyDate(w.start)} to ${pyDate(w.end)}>`;
export const overlapMessage = (w: Win, interfering: Win[]) =>
  `Maintenance Window ${windowStr(w)} interferes with the following windows: [${interfering.map(windowStr).join(', ')}]`;

/** Kytos-ng's message for items the topology does not know, or undefined when all exist. */
export function missingItems(w: Pick<Win, 'switches' | 'interfaces' | 'links'>, topo: TopologyJson): string | undefined {
  const interfaces = new Set(Object.values(topo.switches).flatMap((s) => Object.keys(s.interfaces ?? {})));
  const items = {
    switches: w.switches.filter((x) => !(x in topo.switches)),
    interfaces: w.interfaces.filter((x) => !interfaces.has(x)),
    links: w.links.filter((x) => !(x in topo.links)),
  };
  if (items.switches.length + items.interfaces.length + items.links.length === 0) return undefined;
  return `Window contains non-existant items: ${pyRepr(items)}`;
}

/** The affected set: the window's items, a switch's interfaces, and those interfaces' links. */
export function expand(w: Pick<Win, 'switches' | 'interfaces' | 'links'>, topo: TopologyJson): { switches: string[]; interfaces: string[]; links: string[] } {
  const interfaces = new Set(w.interfaces);
  for (const dpid of w.switches) for (const id of Object.keys(topo.switches[dpid]?.interfaces ?? {})) interfaces.add(id);
  const links = new Set(w.links);
  for (const [id, link] of Object.entries(topo.links)) if (interfaces.has(link.endpoint_a.id) || interfaces.has(link.endpoint_b.id)) links.add(id);
  return { switches: [...w.switches], interfaces: [...interfaces], links: [...links] };
}

/** A window as Kytos-ng's API shows it: its fields in model order, dates `%z`. */
export const render = (w: Win) => ({
  ...asInput(w),
  status: w.status,
  inserted_at: w.inserted_at === null ? null : formatDate(w.inserted_at),
  updated_at: w.updated_at === null ? null : formatDate(w.updated_at),
});

/** The GET body: JSON text with a trailing newline, as Kytos-ng writes it. */
export const renderText = (v: Win | Win[]) => `${JSON.stringify(Array.isArray(v) ? v.map(render) : render(v))}\n`;

/** What start-up does to a stored window found at `now`: its new status, or undefined to leave it. */
export function overdue(w: Win, now: number): 'running' | 'finished' | undefined {
  if (w.status === 'pending' && Date.parse(w.start) <= now) return Date.parse(w.end) <= now ? 'finished' : 'running';
  if (w.status === 'running' && Date.parse(w.end) <= now) return 'finished';
  return undefined;
}
