/**
 * Placing EVCs on paths: candidate paths, S-VLANs per link, the flows of a
 * path installed (confirmed) or removed per switch, deploy, undeploy and the
 * pre-installed failover path. A deploy that fails half way removes what it
 * installed and gives back what it took.
 */
import { evcDeployed, evcUndeployed, type EvcPathLink, type TopologyJson } from '#sdk';
import { EvcCore, type Live } from './core.js';
import { snapshotIn } from './evc-machine.js';
import { cookieOf, evcFlows, FULL_MASK, type FlowDict, type FlowParts } from './flows.js';
import { eventContent, kytosDate, type EvcDoc } from './model.js';
import { disjoint, dpidOf, linkIds, linksOfHops, pathLink, pathSwitches, svlanOf } from './paths.js';

export class EvcDeployer extends EvcCore {
  /** Candidate paths in Kytos-ng's order: primary, backup (when every link is UP), then pathfinder's. */
  async candidates(doc: EvcDoc, topo: TopologyJson, constraints = doc.primary_constraints, undesired: string[] = []): Promise<EvcPathLink[][]> {
    if (isDirect(doc)) return [[]];
    const up = (p: EvcPathLink[]) => p.length > 0 && p.every((x) => topo.links[x.id]?.status === 'UP' && !undesired.includes(x.id));
    const out: EvcPathLink[][] = [];
    for (const p of [doc.primary_path, doc.backup_path]) if (up(p)) out.push(p.map((x) => pathLink(topo.links[x.id]!)));
    if (doc.dynamic_backup_path || doc.primary_path.length === 0) {
      const paths = await this.deps.findPaths({
        source: doc.uni_a.interface_id,
        destination: doc.uni_z.interface_id,
        spf_max_paths: Math.max(1, Math.min(10, doc.max_paths || this.deps.settings.MAX_PATHS)),
        ...(undesired.length > 0 ? { undesired_links: undesired } : {}),
        ...constraints,
      }).catch((error: unknown) => {
        this.deps.log.warn({ err: error, evc: doc.id }, 'pathfinder failed');
        return [];
      });
      for (const p of paths) {
        const links = linksOfHops(p.hops, topo.links);
        if (links && links.length > 0 && links.every((x) => x.status === 'UP')) out.push(links.map((x) => pathLink(x)));
      }
    }
    return out;
  }

  /** Takes one S-VLAN per link, all links at once (all or nothing); undefined when a link has none free. */
  async takeSvlans(path: EvcPathLink[]): Promise<EvcPathLink[] | undefined> {
    const got = await Promise.allSettled(path.map((link) => this.deps.allocateLinkTags(link.id, { count: 1 })));
    const done: EvcPathLink[] = [];
    got.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        this.take(`link|${path[i]!.id}|${r.value[0]}`);
        done.push(pathLink(path[i]!, r.value[0]));
      }
    });
    if (done.length === path.length) return done;
    await this.giveSvlans(done);
    return undefined;
  }

  async giveSvlans(path: EvcPathLink[]): Promise<void> {
    await Promise.all(
      path.map(async (link) => {
        const v = svlanOf(link);
        if (v === undefined) return;
        await this.deps.releaseLinkTags(link.id, [v]).catch((error: unknown) => this.deps.log.warn({ err: error, link: link.id }, 'S-VLAN not released'));
        this.give(`link|${link.id}|${v}`);
      }),
    );
  }

  flowsOf(doc: EvcDoc, path: EvcPathLink[], parts?: FlowParts): Map<string, FlowDict[]> {
    return evcFlows(doc, path, this.deps.settings, parts);
  }

  /** Installs flows per switch, all switches at once; throws when one is not confirmed. */
  async installAll(flows: Map<string, FlowDict[]>): Promise<void> {
    const results = await Promise.all([...flows].map(async ([dpid, list]) => [dpid, await this.deps.install(dpid, list)] as const));
    const bad = results.filter(([, r]) => r.status >= 300);
    if (bad.length > 0) throw new Error(`flows not installed: ${bad.map(([d, r]) => `${d} ${r.status}`).join(', ')}`);
  }

  /** Deletes flows per switch by match and the EVC cookie (non-strict). */
  async removeAll(flows: Map<string, FlowDict[]>): Promise<void> {
    await Promise.all(
      [...flows].map(([dpid, list]) =>
        this.deps.remove(
          dpid,
          list.map((f) => ({ table_id: f.table_id, match: f.match, cookie: f.cookie, cookie_mask: FULL_MASK })),
        ),
      ),
    );
  }

  /**
   * Deploys an idle EVC (or, with `replace`, moves an active one: new path and
   * S-VLANs first, then the old flows and tags go). Answers whether it is active.
   */
  async deploy(l: Live, opts: { replace?: boolean; only?: EvcPathLink[]; taken?: EvcPathLink[] } = {}): Promise<boolean> {
    const old = opts.replace ? { current: l.doc.current_path, failover: l.doc.failover_path } : undefined;
    this.step(l, { type: 'deploy' });
    // A path whose S-VLANs were taken at creation is tried first; should it fail, the candidates as usual.
    let taken = opts.taken;
    let candidates: EvcPathLink[][] | undefined;
    for (let i = 0; ; ) {
      let path: EvcPathLink[] | undefined;
      if (taken) {
        path = taken;
        taken = undefined;
      } else {
        candidates ??= opts.only ? [opts.only] : await this.candidates(l.doc, await this.deps.topology());
        if (i >= candidates.length) break;
        path = await this.takeSvlans(candidates[i++]!);
      }
      if (!path) continue;
      const flows = this.flowsOf(l.doc, path);
      try {
        await this.installAll(flows);
      } catch (error) {
        this.deps.log.warn({ err: error, evc: l.doc.id }, 'deploy failed on a path');
        // Moving an active EVC: its push flows share their match with the new ones; put the old ones back.
        await this.removeAll(old ? without(flows, this.flowsOf(l.doc, old.current, { in: true })) : flows).catch(() => undefined);
        if (old) await this.installAll(this.flowsOf(l.doc, old.current, { in: true })).catch((e: unknown) => this.deps.log.warn({ err: e, evc: l.doc.id }, 'old push flows not restored'));
        await this.giveSvlans(path);
        continue;
      }
      if (old) {
        const stale = new Map<string, FlowDict[]>();
        for (const [p, parts] of [[old.current, { out: true, nni: true }], [old.failover, { out: true, nni: true }]] as const) {
          for (const [dpid, fl] of this.flowsOf(l.doc, p, parts)) {
            const keep = new Set((flows.get(dpid) ?? []).map((f) => JSON.stringify(f.match)));
            stale.set(dpid, [...(stale.get(dpid) ?? []), ...fl.filter((f) => !keep.has(JSON.stringify(f.match)))]);
          }
        }
        await this.removeAll(stale).catch((error: unknown) => this.deps.log.warn({ err: error }, 'old flows not removed'));
        await this.giveSvlans([...old.current, ...old.failover]);
      }
      this.step(l, { type: 'deployed' });
      const now = kytosDate(this.deps.now());
      await this.save(l, { current_path: path, failover_path: [], active: true, enabled: true, last_deployed_at: now });
      this.deps.emit(evcDeployed, eventContent(l.doc));
      // As Kytos-ng (on `deployed`): the failover path is set up after the answer, under the EVC's lock.
      this.later(l.doc.id, (x) => this.setupFailover(x));
      return true;
    }
    if (old) {
      // Could not move: the EVC stays where it was.
      l.snap = snapshotIn('active');
      return true;
    }
    this.step(l, { type: 'failed' });
    if (l.doc.active) await this.save(l, { active: false });
    return false;
  }

  /** Removes every flow of an active EVC and gives its S-VLANs back (UNI tags stay). */
  async undeploy(l: Live): Promise<void> {
    await this.undeployMany([l]);
  }

  /** Undeploys several active EVCs: one delete request per switch (by cookie), tags given back at once. */
  async undeployMany(lives: Live[]): Promise<void> {
    const cookies = new Map<string, Record<string, unknown>[]>();
    for (const l of lives) {
      this.step(l, { type: 'undeploy' });
      const cookie = cookieOf(l.doc.id, this.deps.settings.COOKIE_PREFIX);
      const dpids = new Set([dpidOf(l.doc.uni_a.interface_id), dpidOf(l.doc.uni_z.interface_id), ...[l.doc.current_path, l.doc.failover_path].flatMap(pathSwitches)]);
      for (const d of dpids) cookies.set(d, [...(cookies.get(d) ?? []), { table_id: 255, cookie, cookie_mask: FULL_MASK }]);
    }
    await Promise.all(
      [...cookies].map(([dpid, flows]) => this.deps.remove(dpid, flows).catch((error: unknown) => this.deps.log.warn({ err: error, dpid }, 'flows not removed'))),
    );
    await this.giveSvlans(lives.flatMap((l) => [...l.doc.current_path, ...l.doc.failover_path]));
    await Promise.all(
      lives.map(async (l) => {
        this.step(l, { type: 'undeployed' });
        await this.save(l, { current_path: [], failover_path: [], active: false });
        this.deps.emit(evcUndeployed, eventContent(l.doc));
      }),
    );
  }

  /** A dynamic EVC's pre-installed failover path: disjoint from the current one, NNI and pop flows only. */
  async setupFailover(l: Live, topo?: TopologyJson): Promise<void> {
    if (!this.deps.settings.FAILOVER || !l.doc.dynamic_backup_path || l.doc.failover_path.length > 0 || l.doc.current_path.length === 0) return;
    const t = topo ?? (await this.deps.topology());
    const current = l.doc.current_path;
    const candidates = (await this.candidates({ ...l.doc, primary_path: [], backup_path: [] }, t, l.doc.secondary_constraints, linkIds(current))).filter((p) => disjoint(p, current));
    for (const candidate of candidates) {
      const path = await this.takeSvlans(candidate);
      if (!path) continue;
      const flows = this.flowsOf(l.doc, path, { out: true, nni: true });
      try {
        await this.installAll(flows);
      } catch (error) {
        this.deps.log.warn({ err: error, evc: l.doc.id }, 'failover path not installed');
        await this.removeAll(flows).catch(() => undefined);
        await this.giveSvlans(path);
        continue;
      }
      await this.save(l, { failover_path: path });
      return;
    }
  }

  /** Removes the failover path's flows and gives its tags back. */
  async clearFailover(l: Live): Promise<void> {
    const path = l.doc.failover_path;
    if (path.length === 0) return;
    await this.removeAll(this.flowsOf(l.doc, path, { out: true, nni: true })).catch((error: unknown) => this.deps.log.warn({ err: error }, 'failover flows not removed'));
    await this.giveSvlans(path);
    await this.save(l, { failover_path: [] });
  }

}

/** Both UNIs on one switch: no path, flows straight between them. */
export const isDirect = (doc: Pick<EvcDoc, 'uni_a' | 'uni_z'>): boolean => dpidOf(doc.uni_a.interface_id) === dpidOf(doc.uni_z.interface_id);

/** `flows` without those whose match (per switch) is in `other`. */
function without(flows: Map<string, FlowDict[]>, other: Map<string, FlowDict[]>): Map<string, FlowDict[]> {
  const out = new Map<string, FlowDict[]>();
  for (const [dpid, list] of flows) {
    const skip = new Set((other.get(dpid) ?? []).map((f) => JSON.stringify(f.match)));
    out.set(dpid, list.filter((f) => !skip.has(JSON.stringify(f.match))));
  }
  return out;
}
