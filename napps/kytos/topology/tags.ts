/**
 * VLAN tag ranges as Kytos keeps them: sorted, disjoint, inclusive `[first, last]`
 * pairs. Pure set arithmetic on ranges, and the request validation of
 * `POST v3/interfaces/{id}/tag_ranges` and `special_tags`.
 */
import { BadRequestError, type TagRanges } from '#sdk';

export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;
export const DEFAULT_VLAN_RANGES: TagRanges = [[VLAN_MIN, VLAN_MAX]];
export const DEFAULT_SPECIAL_TAGS: readonly string[] = ['untagged', 'any'];

/** Sorted, merged (adjacent and overlapping ranges joined). */
export function normalize(ranges: readonly (readonly [number, number])[]): TagRanges {
  const sorted = ranges.map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: TagRanges = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Tags in `a` and not in `b`. */
export function difference(a: TagRanges, b: TagRanges): TagRanges {
  const out: TagRanges = [];
  for (const [first, last] of a) {
    let start = first;
    for (const [x, y] of b) {
      if (y < start || x > last) continue;
      if (x > start) out.push([start, x - 1]);
      start = Math.max(start, y + 1);
      if (start > last) break;
    }
    if (start <= last) out.push([start, last]);
  }
  return out;
}

/** Tags in both. */
export function intersection(a: TagRanges, b: TagRanges): TagRanges {
  const out: TagRanges = [];
  for (const [x1, y1] of a) {
    for (const [x2, y2] of b) {
      const lo = Math.max(x1, x2);
      const hi = Math.min(y1, y2);
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return normalize(out);
}

export const union = (a: TagRanges, b: TagRanges): TagRanges => normalize([...a, ...b]);

export const contains = (ranges: TagRanges, tag: number): boolean => ranges.some(([a, b]) => tag >= a && tag <= b);

export const single = (tag: number): TagRanges => [[tag, tag]];

export const fromTags = (tags: readonly number[]): TagRanges => normalize(tags.map((t) => [t, t] as [number, number]));

export const count = (ranges: TagRanges): number => ranges.reduce((n, [a, b]) => n + b - a + 1, 0);

/** The first `n` tags of the ranges (fewer when there are not that many). */
export function firstTags(ranges: TagRanges, n: number): number[] {
  const out: number[] = [];
  for (const [a, b] of ranges) {
    for (let t = a; t <= b && out.length < n; t++) out.push(t);
    if (out.length >= n) break;
  }
  return out;
}

/**
 * `[[1, 500], 2096, [3001]]` -> `[[1, 500], [2096, 2096], [3001, 3001]]`: each item a tag, a
 * one-tag range or a pair, within 1..4094, first <= last, no overlap. Throws a 400.
 */
export function parseTagRanges(input: unknown): TagRanges {
  if (!Array.isArray(input) || input.length === 0) throw new BadRequestError('tag_ranges must be a non-empty list.');
  const ranges: [number, number][] = [];
  for (const item of input) {
    const pair = typeof item === 'number' ? [item, item] : Array.isArray(item) && item.length === 1 ? [item[0], item[0]] : item;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v))) {
      throw new BadRequestError(`Invalid tag range ${JSON.stringify(item)}: it must be a tag or a [first, last] pair.`);
    }
    const [a, b] = pair as [number, number];
    if (a > b) throw new BadRequestError(`Invalid tag range ${JSON.stringify(item)}: first tag is greater than last.`);
    if (a < VLAN_MIN || b > VLAN_MAX) throw new BadRequestError(`Invalid tag range ${JSON.stringify(item)}: tags must be within ${VLAN_MIN} and ${VLAN_MAX}.`);
    ranges.push([a, b]);
  }
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] <= sorted[i - 1]![1]) throw new BadRequestError(`Tag ranges ${JSON.stringify(sorted[i - 1])} and ${JSON.stringify(sorted[i])} overlap.`);
  }
  return normalize(sorted);
}

/** Special tags: a list of `untagged` / `any`, no repeats. Throws a 400. */
export function parseSpecialTags(input: unknown): string[] {
  if (!Array.isArray(input)) throw new BadRequestError('special_tags must be a list.');
  const out: string[] = [];
  for (const t of input) {
    if (typeof t !== 'string' || !DEFAULT_SPECIAL_TAGS.includes(t)) throw new BadRequestError(`Special tag ${JSON.stringify(t)} is not supported.`);
    if (out.includes(t)) throw new BadRequestError(`Special tag ${t} is repeated.`);
    out.push(t);
  }
  return out;
}

/** Only `vlan` pools exist. Throws a 400 otherwise. */
export function checkTagType(tagType: unknown): 'vlan' {
  if (tagType === undefined || tagType === 'vlan') return 'vlan';
  throw new BadRequestError(`Tag type ${String(tagType)} is not supported.`);
}
