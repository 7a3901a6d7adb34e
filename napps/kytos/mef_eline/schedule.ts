/**
 * EVC schedules (pure): a `date` fires once, an `interval`
 * (`{weeks, days, hours, minutes, seconds}`) repeats, a `frequency` is a
 * five-field cron (`minute hour day-of-month month day-of-week`, with `*`,
 * lists, ranges and steps, in UTC). `nextFire` answers the next instant after
 * `now`, or undefined when there is none.
 */
import { randomBytes } from 'node:crypto';
import { BadRequestError, type EvcScheduleJson } from '#sdk';

const UNITS: Record<string, number> = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 };
const FIELDS: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

function cronField(text: string, [lo, hi]: [number, number], name: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new BadRequestError(`Invalid cron ${name}: ${text}`);
    const from = m[1] === '*' ? lo : Number(m[2]);
    const to = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < lo || to > hi || from > to || step < 1) throw new BadRequestError(`Invalid cron ${name}: ${text}`);
    for (let v = from; v <= to; v += step) out.add(name === 'day_of_week' && v === 7 ? 0 : v);
  }
  return out;
}

export interface Cron {
  minute: Set<number>;
  hour: Set<number>;
  day: Set<number>;
  month: Set<number>;
  weekday: Set<number>;
}

export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new BadRequestError(`Invalid cron expression: ${expr}`);
  const [minute, hour, day, month, weekday] = parts.map((p, i) => cronField(p, i === 4 ? [0, 7] : FIELDS[i]!, ['minute', 'hour', 'day', 'month', 'day_of_week'][i]!));
  return { minute: minute!, hour: hour!, day: day!, month: month!, weekday: weekday! };
}

/** The first whole minute after `now` the cron matches (searched up to ~4 years ahead). */
export function nextCron(cron: Cron, now: number): number | undefined {
  let t = Math.floor(now / 60_000) * 60_000 + 60_000;
  const limit = now + 4 * 366 * 86_400_000;
  while (t <= limit) {
    const d = new Date(t);
    if (!cron.month.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!cron.day.has(d.getUTCDate()) || !cron.weekday.has(d.getUTCDay())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!cron.hour.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (cron.minute.has(d.getUTCMinutes())) return t;
    t += 60_000;
  }
  return undefined;
}

/** A schedule date in UTC (Kytos' dates carry no offset). */
export const parseDate = (d: string): number => Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(d) ? d : `${d}Z`);

export function intervalMs(interval: Record<string, number>): number {
  let ms = 0;
  for (const [k, v] of Object.entries(interval)) {
    const unit = UNITS[k];
    if (unit === undefined || typeof v !== 'number' || v < 0) throw new BadRequestError(`Invalid interval: ${JSON.stringify(interval)}`);
    ms += v * unit;
  }
  if (ms <= 0) throw new BadRequestError(`Invalid interval: ${JSON.stringify(interval)}`);
  return ms;
}

/** Checks a request's schedule and gives it an id. */
export function scheduleFromRequest(raw: unknown, id = randomBytes(16).toString('hex')): EvcScheduleJson {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadRequestError('The request body contains invalid API data., schedule is not an object.');
  const r = raw as Record<string, unknown>;
  const action = r.action ?? 'create';
  if (action !== 'create' && action !== 'remove') throw new BadRequestError(`Invalid action: ${String(action)}`);
  const s: EvcScheduleJson = { id, action };
  if (typeof r.date === 'string') {
    if (Number.isNaN(parseDate(r.date))) throw new BadRequestError(`Invalid date: ${r.date}`);
    s.date = r.date;
  }
  if (r.interval !== undefined) {
    intervalMs(r.interval as Record<string, number>);
    s.interval = r.interval as Record<string, number>;
  }
  if (typeof r.frequency === 'string') {
    parseCron(r.frequency);
    s.frequency = r.frequency;
  }
  if (s.date === undefined && s.interval === undefined && s.frequency === undefined) throw new BadRequestError('A schedule needs a date, an interval or a frequency.');
  return s;
}

/** When a schedule fires next after `now` (`last`: when it last fired). */
export function nextFire(s: EvcScheduleJson, now: number, last?: number): number | undefined {
  if (s.frequency !== undefined) return nextCron(parseCron(s.frequency), now);
  if (s.interval !== undefined) {
    const every = intervalMs(s.interval);
    const start = s.date !== undefined ? parseDate(s.date) : (last ?? now);
    if (last === undefined && start > now) return start;
    return (last ?? start) + every;
  }
  if (s.date !== undefined && last === undefined) {
    const at = parseDate(s.date);
    return at > now ? at : now;
  }
  return undefined;
}
