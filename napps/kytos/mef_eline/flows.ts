/**
 * The flows of an EVC on a path (pure), in Kytos-ng's layout: at each UNI a
 * push flow (customer frame in, S-tag 0x88a8 pushed with the first link's
 * S-VLAN, customer tag rewritten to the far UNI's) and a pop flow; at each
 * transit switch two NNI flows swapping the S-VLAN between links. Every flow
 * carries the EVC's cookie and `owner: "mef_eline"`.
 */
import type { EvcJson } from '#sdk';
import { dpidOf, orient, portOf, svlanOf, type Hop } from './paths.js';
import type { MefElineSettings } from './settings.js';
import { uniMatch, type UniMatch } from './uni.js';

export type FlowDict = Record<string, unknown> & { match: Record<string, unknown>; priority: number; cookie: bigint };

export const FULL_MASK = 0xffffffffffffffffn;

/** `prefix << 56` + the id's 56 bits. */
export function cookieOf(evcId: string, prefix: number): bigint {
  return (BigInt(prefix) << 56n) + (BigInt(`0x${evcId}`) & 0xffffffffffffffn);
}

/** The EVC id a cookie names, when it carries the prefix. */
export function idOfCookie(cookie: bigint | number, prefix: number): string | undefined {
  const c = BigInt(cookie);
  if (c >> 56n !== BigInt(prefix)) return undefined;
  return (c & 0xffffffffffffffn).toString(16).padStart(14, '0');
}

type Priorities = Pick<MefElineSettings, 'EVPL_SB_PRIORITY' | 'EPL_SB_PRIORITY' | 'ANY_SB_PRIORITY' | 'UNTAGGED_SB_PRIORITY'>;

function priorityOf(m: UniMatch | 'nni', s: Priorities): number {
  if (m === 'nni') return s.EVPL_SB_PRIORITY;
  switch (m.kind) {
    case 'epl':
      return s.EPL_SB_PRIORITY;
    case 'any':
      return s.ANY_SB_PRIORITY;
    case 'untagged':
      return s.UNTAGGED_SB_PRIORITY;
    default:
      return s.EVPL_SB_PRIORITY;
  }
}

/** Which flows to build: `in` the push flows, `out` the pop flows, `nni` the transit ones. */
export interface FlowParts {
  in?: boolean;
  out?: boolean;
  nni?: boolean;
}

type Evc = Pick<EvcJson, 'id' | 'uni_a' | 'uni_z' | 'sb_priority' | 'queue_id' | 'table_group'>;

/** Flows per dpid of `evc` on `path` (each link with its S-VLAN). Empty when the path does not chain. */
export function evcFlows(evc: Evc, path: EvcJson['current_path'], settings: Priorities & { COOKIE_PREFIX: number }, parts: FlowParts = { in: true, out: true, nni: true }): Map<string, FlowDict[]> {
  const out = new Map<string, FlowDict[]>();
  const direct = dpidOf(evc.uni_a.interface_id) === dpidOf(evc.uni_z.interface_id);
  const oriented = orient(path, dpidOf(evc.uni_a.interface_id));
  if (!direct && (!oriented || oriented.length === 0)) return out;
  const hops: Hop[] = (oriented ?? []).map((h) => ({ ...h, svlan: svlanOf(h.link) ?? 0 }));
  const cookie = cookieOf(evc.id, settings.COOKIE_PREFIX);
  const add = (dpid: string, f: FlowDict) => {
    const list = out.get(dpid) ?? [];
    list.push(f);
    out.set(dpid, list);
  };
  const tableOf = (group: 'epl' | 'evpl') => evc.table_group?.[group] ?? 0;
  const flow = (inPort: number, outPort: number, pri: number, group: 'epl' | 'evpl', match: Record<string, unknown>, actions: Record<string, unknown>[]): FlowDict => {
    const tail: Record<string, unknown>[] = [{ action_type: 'output', port: outPort }];
    if (evc.queue_id !== undefined && evc.queue_id !== null && evc.queue_id >= 0) tail.push({ action_type: 'set_queue', queue_id: evc.queue_id });
    return {
      match: { in_port: inPort, ...match },
      cookie,
      actions: [...actions, ...tail],
      owner: 'mef_eline',
      table_group: group,
      table_id: tableOf(group),
      priority: evc.sb_priority ? evc.sb_priority : pri,
    };
  };
  const nniPri = priorityOf('nni', settings);

  /** Flows taking customer frames in at `uniId` towards `outPort`: customer tag made the far UNI's, then the S-tag when `svlan` is given. */
  const ingress = (uniId: string, own: UniMatch, other: UniMatch, outPort: number, svlan?: number) => {
    const matches: (Record<string, unknown> | undefined)[] =
      own.kind === 'epl' ? [undefined] : own.kind === 'vlan' ? [{ dl_vlan: own.vlan }] : own.kind === 'any' ? [{ dl_vlan: '4096/4096' }] : own.kind === 'untagged' ? [{ dl_vlan: 0 }] : own.masks.map((m) => ({ dl_vlan: m }));
    for (const m of matches) {
      const actions: Record<string, unknown>[] = [];
      const ownTagged = own.kind === 'vlan' || own.kind === 'range';
      if (other.kind === 'vlan') {
        if (own.kind === 'epl' || own.kind === 'untagged') actions.push({ action_type: 'push_vlan', tag_type: 'c' });
        if (!(own.kind === 'vlan' && own.vlan === other.vlan)) actions.push({ action_type: 'set_vlan', vlan_id: other.vlan });
      } else if (other.kind === 'untagged' && (ownTagged || own.kind === 'any')) {
        actions.push({ action_type: 'pop_vlan' });
      }
      if (svlan !== undefined) actions.push({ action_type: 'push_vlan', tag_type: 's' }, { action_type: 'set_vlan', vlan_id: svlan });
      const group = own.kind === 'epl' && other.kind !== 'range' ? 'epl' : 'evpl';
      add(dpidOf(uniId), flow(portOf(uniId), outPort, priorityOf(other.kind === 'range' ? other : own, settings), group, m ?? {}, actions));
    }
  };

  const uniSide = (uniId: string, own: UniMatch, other: UniMatch, nni: string, svlan: number) => {
    if (parts.in) ingress(uniId, own, other, portOf(nni), svlan);
    if (parts.out) add(dpidOf(uniId), flow(portOf(nni), portOf(uniId), nniPri, 'evpl', { dl_vlan: svlan }, [{ action_type: 'pop_vlan' }]));
  };

  const a = uniMatch(evc.uni_a);
  const z = uniMatch(evc.uni_z);
  if (direct) {
    // Both UNIs on one switch: frames go straight from one to the other, no S-tag.
    if (parts.in) {
      ingress(evc.uni_a.interface_id, a, z, portOf(evc.uni_z.interface_id));
      ingress(evc.uni_z.interface_id, z, a, portOf(evc.uni_a.interface_id));
    }
    return out;
  }
  uniSide(evc.uni_a.interface_id, a, z, hops[0]!.near, hops[0]!.svlan);
  if (parts.nni) {
    for (let i = 0; i + 1 < hops.length; i++) {
      const x = hops[i]!;
      const y = hops[i + 1]!;
      const dpid = dpidOf(x.far);
      add(dpid, flow(portOf(x.far), portOf(y.near), nniPri, 'evpl', { dl_vlan: x.svlan }, [{ action_type: 'set_vlan', vlan_id: y.svlan }]));
      add(dpid, flow(portOf(y.near), portOf(x.far), nniPri, 'evpl', { dl_vlan: y.svlan }, [{ action_type: 'set_vlan', vlan_id: x.svlan }]));
    }
  }
  const last = hops[hops.length - 1]!;
  uniSide(evc.uni_z.interface_id, z, a, last.far, last.svlan);
  return out;
}
