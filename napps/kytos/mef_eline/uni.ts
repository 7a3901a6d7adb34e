/**
 * UNI tags (pure): parsing a request's `tag`, the value a flow matches, the
 * VLANs an EVC reserves on the UNI's interface, and Kytos-ng's mask list of a
 * range.
 */
import { BadRequestError, type UniJson, type UniTagJson } from '#sdk';

/** What a UNI's tag means for flows: none (EPL), one VLAN, any tag, untagged, or masks of ranges. */
export type UniMatch = { kind: 'epl' } | { kind: 'vlan'; vlan: number } | { kind: 'any' } | { kind: 'untagged' } | { kind: 'range'; masks: (string | number)[] };

const isVlan = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4095;

/** Splits a VLAN range into aligned value/mask blocks (`"v/m"`, or `v` for one VLAN). */
export function rangeToMasks(first: number, last: number): (string | number)[] {
  const out: (string | number)[] = [];
  let v = first;
  while (v <= last) {
    let size = 1;
    while ((v & (size * 2 - 1)) === 0 && v + size * 2 - 1 <= last && size * 2 <= 4096) size *= 2;
    out.push(size === 1 ? v : `${v}/${4095 & ~(size - 1)}`);
    v += size;
  }
  return out;
}

/** Checks and normalises a request's tag (tag_type 1 or "vlan"); throws Kytos-ng's 400 messages. */
export function parseTag(raw: unknown): UniTagJson | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new BadRequestError('Error creating UNI: Invalid tag');
  const t = raw as { tag_type?: unknown; value?: unknown };
  if (t.tag_type !== 'vlan' && t.tag_type !== 1) throw new BadRequestError(`Error creating UNI: Invalid tag_type ${String(t.tag_type)}`);
  const v = t.value;
  if (v === 'any' || v === 'untagged') return { tag_type: 'vlan', value: v };
  if (isVlan(v) && v <= 4094) return { tag_type: 'vlan', value: v };
  if (Array.isArray(v) && v.length > 0) {
    const ranges: [number, number][] = [];
    for (const r of v) {
      const pair = Array.isArray(r) ? (r.length === 1 ? [r[0], r[0]] : r) : [r, r];
      const [a, b] = pair as unknown[];
      if (pair.length !== 2 || !isVlan(a) || !isVlan(b) || a > b || b > 4094) throw new BadRequestError(`Error creating UNI: Invalid tag ranges ${JSON.stringify(v)}`);
      ranges.push([a, b]);
    }
    ranges.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i]![0] <= ranges[i - 1]![1]) throw new BadRequestError(`Error creating UNI: Invalid tag ranges ${JSON.stringify(v)}`);
    }
    return { tag_type: 'vlan', value: ranges, mask_list: ranges.flatMap(([a, b]) => rangeToMasks(a, b)) };
  }
  throw new BadRequestError(`Error creating UNI: Invalid value`);
}

export function uniMatch(uni: UniJson): UniMatch {
  const v = uni.tag?.value;
  if (v === undefined) return { kind: 'epl' };
  if (v === 'any') return { kind: 'any' };
  if (v === 'untagged') return { kind: 'untagged' };
  if (typeof v === 'number') return { kind: 'vlan', vlan: v };
  return { kind: 'range', masks: uni.tag?.mask_list ?? v.flatMap(([a, b]) => rangeToMasks(a, b)) };
}

/** VLANs the UNI takes from its interface's pool (`any`, `untagged` and EPL take none). */
export function uniVlans(uni: UniJson): number[] {
  const v = uni.tag?.value;
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
  return [];
}

/** A UNI's special tag (`any`/`untagged`), held exclusively per interface; `none` for EPL. */
export function uniSpecial(uni: UniJson): 'any' | 'untagged' | 'none' | undefined {
  const v = uni.tag?.value;
  if (v === undefined) return 'none';
  return v === 'any' || v === 'untagged' ? v : undefined;
}

/** Two UNIs' tag lists agree (Kytos-ng: both ranges equal, or neither a range). */
export function tagListsEqual(a: UniJson, z: UniJson): boolean {
  const va = a.tag?.value;
  const vz = z.tag?.value;
  const ra = Array.isArray(va);
  const rz = Array.isArray(vz);
  if (!ra && !rz) return true;
  return ra && rz && JSON.stringify(va) === JSON.stringify(vz);
}
