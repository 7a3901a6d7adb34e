/**
 * Paths (pure): an EVC path is a list of links; these helpers turn
 * pathfinder's hops into links, orient a path from UNI A to UNI Z, and say
 * which links and switches a path uses.
 */
import type { EvcPathLink, LinkJson } from '#sdk';

/** `dpid:port` -> [dpid, port]. */
export function splitIntf(id: string): [string, number] {
  const i = id.lastIndexOf(':');
  return [id.slice(0, i), Number(id.slice(i + 1))];
}
export const dpidOf = (id: string): string => splitIntf(id)[0];
export const portOf = (id: string): number => splitIntf(id)[1];

/** One link of a path crossed from the A side (`near`) to the Z side (`far`), with its S-VLAN. */
export interface Hop {
  link: EvcPathLink;
  near: string;
  far: string;
  svlan: number;
}

/**
 * Orients a path from `fromDpid`: each link is crossed from the endpoint on the
 * switch reached so far. Undefined when the links do not chain.
 */
export function orient(path: readonly EvcPathLink[], fromDpid: string): Omit<Hop, 'svlan'>[] | undefined {
  const out: Omit<Hop, 'svlan'>[] = [];
  let at = fromDpid;
  for (const link of path) {
    const a = link.endpoint_a.id;
    const b = link.endpoint_b.id;
    if (dpidOf(a) === at) out.push({ link, near: a, far: b });
    else if (dpidOf(b) === at) out.push({ link, near: b, far: a });
    else return undefined;
    at = dpidOf(out[out.length - 1]!.far);
  }
  return out;
}

/** The path is a chain from `a` to `z` (interface ids of the UNIs) visiting no switch twice. */
export function isValidPath(path: readonly EvcPathLink[], a: string, z: string): boolean {
  if (path.length === 0) return false;
  const hops = orient(path, dpidOf(a));
  if (!hops || dpidOf(hops[hops.length - 1]!.far) !== dpidOf(z)) return false;
  const seen = new Set([dpidOf(a)]);
  for (const h of hops) {
    const d = dpidOf(h.far);
    if (seen.has(d)) return false;
    seen.add(d);
  }
  return true;
}

export const linkIds = (path: readonly EvcPathLink[]): string[] => path.map((l) => l.id);

/** Switches a path touches (with the UNIs' switches). */
export function pathSwitches(path: readonly EvcPathLink[]): string[] {
  const s = new Set<string>();
  for (const l of path) {
    s.add(dpidOf(l.endpoint_a.id));
    s.add(dpidOf(l.endpoint_b.id));
  }
  return [...s];
}

/** The links of pathfinder hops (interface ids in order; switch hops skipped); undefined when one is unknown. */
export function linksOfHops(hops: readonly string[], links: Record<string, LinkJson>): LinkJson[] | undefined {
  const byEnds = new Map<string, LinkJson>();
  for (const l of Object.values(links)) {
    byEnds.set(`${l.endpoint_a.id}|${l.endpoint_b.id}`, l);
    byEnds.set(`${l.endpoint_b.id}|${l.endpoint_a.id}`, l);
  }
  const intfs = hops.filter((h) => h.lastIndexOf(':') > 22);
  const out: LinkJson[] = [];
  for (let i = 0; i + 1 < intfs.length; i++) {
    const x = intfs[i]!;
    const y = intfs[i + 1]!;
    if (dpidOf(x) === dpidOf(y)) continue;
    const l = byEnds.get(`${x}|${y}`);
    if (!l) return undefined;
    out.push(l);
  }
  return out;
}

/** A path link as an EVC keeps it: the topology link (when known), with or without its S-VLAN. */
export function pathLink(link: LinkJson | EvcPathLink, svlan?: number): EvcPathLink {
  const { s_vlan: _old, ...metadata } = (link.metadata ?? {}) as EvcPathLink['metadata'];
  return { ...link, metadata: svlan === undefined ? metadata : { ...metadata, s_vlan: { tag_type: 'vlan', value: svlan } } } as EvcPathLink;
}

export const svlanOf = (link: EvcPathLink): number | undefined => link.metadata?.s_vlan?.value;

/** Two paths share no link. */
export const disjoint = (p: readonly EvcPathLink[], q: readonly EvcPathLink[]): boolean => {
  const ids = new Set(linkIds(p));
  return q.every((l) => !ids.has(l.id));
};
