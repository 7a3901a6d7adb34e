/**
 * What topology takes from of_lldp beyond links (kytos-api.md 2.2 "Listens"):
 * the interfaces' `lldp` flag (`network_status.updated`) and link liveness
 * (`liveness.up|down|disabled`: link metadata `liveness_status`, and a link
 * whose liveness is not `up` is DOWN with reason `liveness`).
 */
import { Draft, type Env, type Step } from './draft.js';
import { findInterface, type TopoState } from './state.js';

/** `kytos/of_lldp.network_status.updated`: LLDP enabled or disabled on interfaces. */
export function onLldpStatus(state: TopoState, ids: readonly string[], enabled: boolean, env: Env): Step | undefined {
  const d = new Draft(state, env);
  let changed = false;
  for (const id of ids) {
    const e = findInterface(d, id);
    if (!e || e.intf.lldp === enabled) continue;
    d.putInterface(e.sw, { ...e.intf, lldp: enabled });
    changed = true;
  }
  return changed ? d.finish() : undefined;
}

/** Liveness of the links of these interfaces: `up`, `down`, or null when disabled (metadata removed). */
export function onLiveness(state: TopoState, ids: readonly string[], status: 'up' | 'down' | null, env: Env): Step | undefined {
  const d = new Draft(state, env);
  let changed = false;
  for (const id of ids) {
    const e = findInterface(d, id);
    const link = e?.intf.link ? d.links.get(e.intf.link) : undefined;
    if (!link) continue;
    const metadata = { ...link.metadata };
    if (status) metadata.liveness_status = status;
    else delete metadata.liveness_status;
    const down = status !== null && status !== 'up';
    const extraReasons = down ? (link.extraReasons.includes('liveness') ? link.extraReasons : [...link.extraReasons, 'liveness']) : link.extraReasons.filter((r) => r !== 'liveness');
    if (metadata.liveness_status === link.metadata.liveness_status && extraReasons.length === link.extraReasons.length) continue;
    d.putLink({ ...link, metadata, extraReasons });
    changed = true;
  }
  if (!changed) return undefined;
  d.settleLinks('liveness');
  return d.finish();
}
