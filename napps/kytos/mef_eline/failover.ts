/**
 * Link events (Kytos-ng EP029). On `link_down` every affected EVC falls in
 * one of three groups, each handled in one batch (one flow request per switch):
 * swap to its pre-installed failover path, undeploy and redeploy (no usable
 * failover), or only recompute the failover (only it was hit). On `link_up`,
 * idle EVCs are deployed, EVCs with a static primary path off it go back to
 * it, and dynamic EVCs without a failover get one.
 */
import { evcFailoverLinkDown, evcRedeployedLinkDown, evcRedeployedLinkUp, evcErrorRedeployLinkDown } from '#sdk';
import { stateOf } from './evc-machine.js';
import type { FlowDict } from './flows.js';
import { eventContent } from './model.js';
import { linkIds, pathLink } from './paths.js';
import type { EvcService, Live } from './service.js';

const merge = (into: Map<string, FlowDict[]>, from: Map<string, FlowDict[]>) => {
  for (const [dpid, flows] of from) into.set(dpid, [...(into.get(dpid) ?? []), ...flows]);
};

export interface LinkDownGroups {
  swap: Live[];
  redeploy: Live[];
  failoverOnly: Live[];
}

/** Which EVCs a link's loss hits, and how (pure). */
export function classify(evcs: Iterable<Live>, linkId: string): LinkDownGroups {
  const g: LinkDownGroups = { swap: [], redeploy: [], failoverOnly: [] };
  for (const l of evcs) {
    if (l.doc.archived || stateOf(l.snap) !== 'active') continue;
    const inCurrent = linkIds(l.doc.current_path).includes(linkId);
    const inFailover = linkIds(l.doc.failover_path).includes(linkId);
    if (inCurrent && l.doc.failover_path.length > 0 && !inFailover) g.swap.push(l);
    else if (inCurrent) g.redeploy.push(l);
    else if (inFailover) g.failoverOnly.push(l);
  }
  return g;
}

export async function handleLinkDown(svc: EvcService, linkId: string): Promise<void> {
  // Every live EVC is locked, not only those on the link now: a deploy in flight may be placing one on it.
  const ids = [...svc.evcs.values()].filter((l) => !l.doc.archived).map((l) => l.doc.id);
  if (ids.length === 0) return;
  await svc.withEvcs(ids, async (lives) => {
    const g = classify(lives, linkId);
    // 1. Swap: the push flows of the failover path replace the current ones (same match), one request per switch.
    if (g.swap.length > 0) {
      const push = new Map<string, FlowDict[]>();
      for (const l of g.swap) {
        svc.step(l, { type: 'link_down' });
        merge(push, svc.flowsOf(l.doc, l.doc.failover_path, { in: true }));
      }
      let swapped = true;
      try {
        await svc.installAll(push);
      } catch (error) {
        svc.deps.log.warn({ err: error, link: linkId }, 'failover swap not confirmed; redeploying');
        swapped = false;
      }
      if (swapped) {
        // The failover flows are confirmed: the EVCs are on their new paths now; the old paths are cleaned up after.
        const old = g.swap.map((l) => l.doc.current_path);
        for (const l of g.swap) svc.step(l, { type: 'deployed' });
        await svc.saveMany(g.swap, (l) => ({ current_path: l.doc.failover_path, failover_path: [] }));
        for (const l of g.swap) svc.deps.emit(evcFailoverLinkDown, eventContent(l.doc));
        const stale = new Map<string, FlowDict[]>();
        g.swap.forEach((l, i) => merge(stale, svc.flowsOf(l.doc, old[i]!, { out: true, nni: true })));
        await Promise.all([
          svc.removeAll(stale).catch((error: unknown) => svc.deps.log.warn({ err: error }, 'old path flows not removed')),
          svc.giveSvlans(old.flat()),
        ]);
      } else {
        for (const l of g.swap) {
          svc.step(l, { type: 'deployed' });
          g.redeploy.push(l);
        }
      }
    }
    // 2. Redeploy: remove everything of these EVCs (one request per switch), then place them again.
    await svc.undeployMany(g.redeploy.filter((l) => stateOf(l.snap) === 'active'));
    await Promise.all(
      g.redeploy.map(async (l) => {
        const ok = await svc.deploy(l);
        svc.deps.emit(ok ? evcRedeployedLinkDown : evcErrorRedeployLinkDown, eventContent(l.doc));
      }),
    );
    // 3. Only the failover was hit: drop it.
    await Promise.all(g.failoverOnly.map((l) => svc.clearFailover(l)));
    // New failover paths for the swapped and failover-only EVCs.
    await Promise.all([...g.swap, ...g.failoverOnly].map((l) => (stateOf(l.snap) === 'active' ? svc.setupFailover(l) : undefined)));
  });
}

export async function handleLinkUp(svc: EvcService, linkId: string): Promise<void> {
  const ids = [...svc.evcs.values()].filter((l) => !l.doc.archived).map((l) => l.doc.id);
  if (ids.length === 0) return;
  const topo = await svc.deps.topology();
  await svc.withEvcs(ids, async (lives) => {
    for (const l of lives) {
      const state = stateOf(l.snap);
      if (state === 'idle') {
        if (await svc.deploy(l)) svc.deps.emit(evcRedeployedLinkUp, eventContent(l.doc));
        continue;
      }
      if (state !== 'active') continue;
      const primary = l.doc.primary_path;
      const onPrimary = primary.length > 0 && JSON.stringify(linkIds(primary)) === JSON.stringify(linkIds(l.doc.current_path));
      const primaryUp = primary.length > 0 && primary.every((x) => topo.links[x.id]?.status === 'UP');
      if (primary.length > 0 && !onPrimary && primaryUp && linkIds(primary).includes(linkId)) {
        if (await svc.deploy(l, { replace: true, only: primary.map((x) => pathLink(topo.links[x.id]!)) })) svc.deps.emit(evcRedeployedLinkUp, eventContent(l.doc));
        continue;
      }
      if (l.doc.failover_path.length === 0) await svc.setupFailover(l, topo);
    }
  });
}
