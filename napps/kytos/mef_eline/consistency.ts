/**
 * What flow_manager cannot see: an EVC flow gone from its store (deleted
 * through its API, or refused by the switch) makes mef_eline redeploy that
 * EVC; a UNI going down or up changes only the EVC's `active` flag
 * (`uni_active_updated`), its flows stay.
 */
import { evcUniActiveUpdated } from '#sdk';
import { stateOf } from './evc-machine.js';
import { idOfCookie, type FlowDict } from './flows.js';
import { handleLinkDown } from './failover.js';
import { eventContent, kytosDate } from './model.js';
import { dpidOf } from './paths.js';
import type { EvcService } from './service.js';

export async function onFlowGone(svc: EvcService, cookie: bigint | number): Promise<void> {
  const id = idOfCookie(cookie, svc.deps.settings.COOKIE_PREFIX);
  const l = id === undefined ? undefined : svc.evcs.get(id);
  if (!l || l.doc.archived || stateOf(l.snap) !== 'active') return;
  await svc.redeploy(l.doc.id, false);
}

/**
 * A flow of an EVC left a switch (OFPT_FLOW_REMOVED, also after every delete): like Kytos-ng, only the
 * time is recorded in `flow_removed_at` (in memory; written with the EVC's next change), no redeploy.
 */
export async function onFlowRemoved(svc: EvcService, cookie: bigint | number): Promise<void> {
  const id = idOfCookie(cookie, svc.deps.settings.COOKIE_PREFIX);
  if (id === undefined || !svc.evcs.has(id)) return;
  await svc.withEvc(id, async (x) => {
    x.doc = { ...x.doc, flow_removed_at: kytosDate(svc.deps.now()) };
  });
}

export async function onUniActive(svc: EvcService, interfaceId: string, up: boolean): Promise<void> {
  for (const l of svc.evcs.values()) {
    if (l.doc.archived || (l.doc.uni_a.interface_id !== interfaceId && l.doc.uni_z.interface_id !== interfaceId)) continue;
    await svc.withEvc(l.doc.id, async (x) => {
      const active = up && stateOf(x.snap) === 'active' && x.doc.current_path.length > 0;
      if (x.doc.active === active) return;
      await svc.save(x, { active });
      svc.deps.emit(evcUniActiveUpdated, eventContent(x.doc));
    });
  }
}

const flowKey = (dpid: string, f: { table_id?: unknown; priority?: unknown; cookie?: bigint | number; match?: Record<string, unknown> }) =>
  `${dpid}|${String(f.table_id ?? 0)}|${String(f.priority)}|${BigInt(f.cookie ?? 0)}|${JSON.stringify(Object.entries(f.match ?? {}).sort())}`;

/** The flows an active EVC has: all of its current path, and the NNI and pop flows of its failover path. */
function flowsOfActive(svc: EvcService, l: { doc: Parameters<EvcService['flowsOf']>[0] }): Map<string, FlowDict[]> {
  const out = svc.flowsOf(l.doc, l.doc.current_path);
  if (l.doc.failover_path.length > 0) for (const [d, fl] of svc.flowsOf(l.doc, l.doc.failover_path, { out: true, nni: true })) out.set(d, [...(out.get(d) ?? []), ...fl]);
  return out;
}

/**
 * Redeploys every active EVC one of whose flows flow_manager no longer stores
 * (deleted through its API, refused by a switch): flow_manager repairs what
 * the switches lost, not what it was told to forget.
 */
export async function checkStoredFlows(svc: EvcService): Promise<string[]> {
  if (!svc.deps.storedFlows) return [];
  const active = [...svc.evcs.values()].filter((l) => stateOf(l.snap) === 'active' && !l.doc.archived);
  if (active.length === 0) return [];
  const expected = active.map((l) => ({ l, path: l.doc.current_path, flows: flowsOfActive(svc, l) }));
  const dpids = [...new Set(expected.flatMap((e) => [...e.flows.keys()]))];
  const stored = await svc.deps.storedFlows(dpids);
  const have = new Set<string>();
  for (const [dpid, docs] of Object.entries(stored)) for (const d of docs) if (d.state !== 'deleted') have.add(flowKey(dpid, d.flow));
  const broken = expected.filter((e) => [...e.flows].some(([dpid, fl]) => fl.some((f) => !have.has(flowKey(dpid, f)))));
  const redeployed: string[] = [];
  for (const e of broken) {
    // Only if nothing moved the EVC while flow_manager was asked.
    if (e.l.doc.current_path !== e.path || stateOf(e.l.snap) !== 'active') continue;
    svc.deps.log.info({ evc: e.l.doc.id }, 'an EVC flow is missing from flow_manager: redeploying');
    if (await svc.redeploy(e.l.doc.id, false)) redeployed.push(e.l.doc.id);
  }
  return redeployed;
}

/**
 * A link_down that was never announced: a link of an active EVC's current or
 * failover path that topology shows not UP (or no longer knows) while both
 * its switches are UP, for `DEAD_LINK_GRACE` seconds or more, is handled as
 * if it had gone down now. It happens when a link is cut while the controller
 * is stopped: after the restart the link never comes back UP, so it never goes
 * down either. Answers the links handled.
 */
export async function checkDeadLinks(svc: EvcService): Promise<string[]> {
  const ends = new Map<string, [string, string]>();
  for (const l of svc.evcs.values()) {
    if (l.doc.archived || stateOf(l.snap) !== 'active') continue;
    for (const link of [...l.doc.current_path, ...l.doc.failover_path]) ends.set(link.id, [link.endpoint_a.id, link.endpoint_b.id]);
  }
  for (const id of [...svc.deadLinks.keys()]) if (!ends.has(id)) svc.deadLinks.delete(id);
  if (ends.size === 0) return [];
  const topo = await svc.deps.topology();
  const now = svc.deps.now();
  const due: string[] = [];
  for (const [id, [a, z]] of ends) {
    const switchesUp = [a, z].every((e) => topo.switches[dpidOf(e)]?.status === 'UP');
    if (topo.links[id]?.status === 'UP' || !switchesUp) {
      svc.deadLinks.delete(id);
      continue;
    }
    const since = svc.deadLinks.get(id) ?? now;
    svc.deadLinks.set(id, since);
    if (now - since >= svc.deps.settings.DEAD_LINK_GRACE * 1000) due.push(id);
  }
  for (const id of due) {
    svc.deadLinks.delete(id);
    svc.deps.log.info({ link: id }, 'a link of an active EVC is down with no link_down seen: handling it like one');
    await handleLinkDown(svc, id);
  }
  return due;
}
