/**
 * The EVC service: the live EVCs, each with its state machine, and the
 * operations the API and the link events run on them. Every operation holds
 * the EVC's lock for its whole run and leaves the EVC in a stable state:
 * a deploy that fails half way removes what it installed and gives back the
 * tags it took. Tags held (the ledger) always equal the tags referenced by
 * live EVCs' UNIs, current and failover paths.
 */
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  evcCreated,
  evcDeleted,
  evcDeployed,
  evcUndeployed,
  evcUpdated as evcUpdatedEvent,
  type EvcJson,
  type EvcScheduleJson,
  type EvcPathLink,
  type LinkJson,
  type TopologyJson,
} from '#sdk';
import type { ServiceDeps } from './deps.js';
import { next, snapshotIn, stateOf, type EvcMachineEvent, type EvcSnapshot, type EvcState, type StableState } from './evc-machine.js';
import { cookieOf, evcFlows, FULL_MASK, type FlowDict, type FlowParts } from './flows.js';
import { eventContent, evcFromRequest, evcJson, evcUpdated, kytosDate, type EvcDoc, type TopologyFacts } from './model.js';
import { disjoint, dpidOf, linkIds, linksOfHops, pathLink, pathSwitches, svlanOf } from './paths.js';
import { nextFire, scheduleFromRequest } from './schedule.js';
import { uniSpecial, uniVlans } from './uni.js';

interface Live {
  doc: EvcDoc;
  snap: EvcSnapshot;
}

/** A tag in the ledger: `link|<id>|<vlan>` or `intf|<id>|<vlan>`. */
export type TagKey = string;

export class EvcService {
  readonly evcs = new Map<string, Live>();
  /** Armed schedule timers, by schedule id. */
  private readonly jobs = new Map<string, unknown>();
  /** Work started after an answer (failover set-up), until it settles. */
  private readonly background = new Set<Promise<void>>();
  /** Tags this NApp holds in topology's pools, by key (a count, to catch double takes). */
  private readonly held = new Map<TagKey, number>();

  constructor(readonly deps: ServiceDeps) {}

  // --- state -------------------------------------------------------------

  /** Restores stored EVCs as they were (no flow sent: flow_manager keeps their flows). */
  restore(docs: EvcDoc[]): void {
    for (const doc of docs) {
      const state: StableState = doc.archived ? 'archived' : doc.current_path.length > 0 || (isDirect(doc) && doc.enabled && doc.last_deployed_at !== null) ? 'active' : doc.enabled || (!doc.last_deployed_at && doc.circuit_scheduler.length === 0) ? 'idle' : 'disabled';
      this.evcs.set(doc.id, { doc, snap: snapshotIn(state) });
      if (!doc.archived) for (const k of referenced(doc)) this.take(k);
      if (!doc.archived) for (const sch of doc.circuit_scheduler) this.arm(doc.id, sch);
    }
  }

  // --- schedules ---------------------------------------------------------------

  private arm(evcId: string, sch: EvcScheduleJson, last?: number): void {
    const timers = this.deps.timers;
    if (!timers) return;
    this.disarm(sch.id);
    const now = this.deps.now();
    const at = nextFire(sch, now, last);
    if (at === undefined) return;
    this.jobs.set(
      sch.id,
      timers.after(() => {
        this.jobs.delete(sch.id);
        void this.fire(evcId, sch.id).then(
          () => this.arm(evcId, sch, Math.max(at, this.deps.now() - 1)),
          (error: unknown) => this.deps.log.warn({ err: error, evc: evcId, schedule: sch.id }, 'schedule action failed'),
        );
      }, Math.max(0, at - now)),
    );
  }

  private disarm(scheduleId: string): void {
    if (this.jobs.has(scheduleId)) this.deps.timers?.cancel(this.jobs.get(scheduleId));
    this.jobs.delete(scheduleId);
  }

  /** Runs a schedule's action: `create` deploys the EVC, `remove` removes its flows. */
  async fire(evcId: string, scheduleId: string): Promise<void> {
    await this.withEvc(evcId, async (l) => {
      const sch = l.doc.circuit_scheduler.find((x) => x.id === scheduleId);
      if (!sch || l.doc.archived) return;
      const state = stateOf(l.snap);
      if (sch.action === 'create') {
        if (state === 'disabled') this.step(l, { type: 'enable' });
        if (stateOf(l.snap) === 'idle') await this.deploy(l);
      } else if (state === 'active') {
        await this.undeploy(l);
        this.step(l, { type: 'disable' });
        await this.save(l, { enabled: false });
      }
    });
  }

  /** Schedules armed now (for tests and status). */
  get armed(): number {
    return this.jobs.size;
  }

  private findSchedule(scheduleId: string): { l: Live; sch: EvcScheduleJson } | undefined {
    for (const l of this.evcs.values()) {
      if (l.doc.archived) continue;
      const sch = l.doc.circuit_scheduler.find((x) => x.id === scheduleId);
      if (sch) return { l, sch };
    }
    return undefined;
  }

  async addSchedule(circuitId: string, raw: unknown): Promise<EvcScheduleJson> {
    const sch = scheduleFromRequest(raw);
    const l = this.evcs.get(circuitId);
    if (!l || l.doc.archived) throw new NotFoundError(`circuit_id ${circuitId} not found`);
    return this.withEvc(circuitId, async (x) => {
      await this.save(x, { circuit_scheduler: [...x.doc.circuit_scheduler, sch] });
      this.arm(circuitId, sch);
      return sch;
    });
  }

  async updateSchedule(scheduleId: string, raw: unknown): Promise<EvcScheduleJson> {
    const found = this.findSchedule(scheduleId);
    if (!found) throw new NotFoundError(`schedule_id ${scheduleId} not found`);
    const sch = scheduleFromRequest(raw, scheduleId);
    return this.withEvc(found.l.doc.id, async (x) => {
      await this.save(x, { circuit_scheduler: [...x.doc.circuit_scheduler.filter((s) => s.id !== scheduleId), sch] });
      this.arm(x.doc.id, sch);
      return sch;
    });
  }

  async removeSchedule(scheduleId: string): Promise<void> {
    const found = this.findSchedule(scheduleId);
    if (!found) throw new NotFoundError(`schedule_id ${scheduleId} not found`);
    await this.withEvc(found.l.doc.id, async (x) => {
      this.disarm(scheduleId);
      await this.save(x, { circuit_scheduler: x.doc.circuit_scheduler.filter((s) => s.id !== scheduleId) });
    });
  }

  stateOf(id: string): EvcState | undefined {
    const l = this.evcs.get(id);
    return l ? stateOf(l.snap) : undefined;
  }

  private step(l: Live, event: EvcMachineEvent): void {
    const s = next(l.snap, event);
    if (!s) throw new ConflictError(`EVC ${l.doc.id} is ${stateOf(l.snap)}: cannot ${event.type}`);
    l.snap = s;
  }

  private take(k: TagKey): void {
    this.held.set(k, (this.held.get(k) ?? 0) + 1);
  }
  private give(k: TagKey): void {
    const n = (this.held.get(k) ?? 0) - 1;
    if (n > 0) this.held.set(k, n);
    else this.held.delete(k);
  }

  /** Tags held, sorted, one entry per hold. */
  heldTags(): TagKey[] {
    return [...this.held.entries()].flatMap(([k, n]) => Array<string>(n).fill(k)).sort();
  }
  /** Tags referenced by live EVCs, sorted. */
  referencedTags(): TagKey[] {
    return [...this.evcs.values()].filter((l) => !l.doc.archived).flatMap((l) => referenced(l.doc)).sort();
  }

  async withEvc<T>(id: string, fn: (l: Live) => Promise<T>): Promise<T> {
    const release = await this.deps.lock(`evc:${id}`);
    try {
      const l = this.evcs.get(id);
      if (!l) throw new NotFoundError(`circuit_id ${id} not found`);
      return await fn(l);
    } finally {
      release();
    }
  }

  /** Locks several EVCs in id order (no deadlock between batches). */
  async withEvcs<T>(ids: string[], fn: (ls: Live[]) => Promise<T>): Promise<T> {
    const sorted = [...new Set(ids)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const id of sorted) releases.push(await this.deps.lock(`evc:${id}`));
      return await fn(sorted.map((id) => this.evcs.get(id)).filter((l): l is Live => l !== undefined));
    } finally {
      for (const r of releases.reverse()) r();
    }
  }

  /** Runs `fn` on an EVC later, holding its lock, if it is still active. */
  later(id: string, fn: (l: Live) => Promise<void>): void {
    const p = this.withEvc(id, async (l) => {
      if (!l.doc.archived && stateOf(l.snap) === 'active') await fn(l);
    })
      .catch((error: unknown) => this.deps.log.warn({ err: error, evc: id }, 'background EVC work failed'))
      .finally(() => this.background.delete(p));
    this.background.add(p);
  }

  /** Resolves once no background work is left (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  list(archived: boolean | null = false): Record<string, EvcJson> {
    const out: Record<string, EvcJson> = {};
    for (const [id, l] of this.evcs) if (archived === null || l.doc.archived === archived) out[id] = evcJson(l.doc);
    return out;
  }

  get(id: string): EvcJson {
    const l = this.evcs.get(id);
    if (!l) throw new NotFoundError(`circuit_id ${id} not found`);
    return evcJson(l.doc);
  }

  async save(l: Live, changes: Partial<EvcDoc> = {}): Promise<void> {
    l.doc = { ...l.doc, ...changes, updated_at: kytosDate(this.deps.now()) };
    await this.deps.save(l.doc);
  }

  // --- create / update / delete ---------------------------------------------

  private facts(topo: TopologyJson): TopologyFacts {
    const byEnds = new Map<string, LinkJson>();
    for (const l of Object.values(topo.links)) {
      byEnds.set(`ends:${l.endpoint_a.id}|${l.endpoint_b.id}`, l);
      byEnds.set(`ends:${l.endpoint_b.id}|${l.endpoint_a.id}`, l);
    }
    return {
      interfaceExists: (id) => Object.values(topo.switches).some((s) => id in s.interfaces),
      link: (id) => topo.links[id] ?? byEnds.get(id),
    };
  }

  /** Kytos-ng's no-tag duplication (409) and special tag (`any`/`untagged`) exclusivity (400). */
  private checkUniConflicts(doc: EvcDoc): void {
    for (const uni of [doc.uni_a, doc.uni_z]) {
      const special = uniSpecial(uni);
      if (special === undefined) continue;
      for (const other of this.evcs.values()) {
        if (other.doc.archived || other.doc.id === doc.id) continue;
        for (const ou of [other.doc.uni_a, other.doc.uni_z]) {
          if (ou.interface_id !== uni.interface_id) continue;
          if (special === 'none' && uniSpecial(ou) === 'none') {
            throw new ConflictError(`DuplicatedNoTagUNI, ${uni.interface_id} is already used with no tag by EVC ${other.doc.id}`);
          }
          if (special !== 'none' && uniSpecial(ou) === special) {
            throw new BadRequestError(`KytosTagsAreNotAvailable, The tags ['${special}'] are not available on ${uni.interface_id}.`);
          }
        }
      }
    }
  }

  /** Takes the UNIs' VLANs (all or nothing). */
  private async takeUniTags(doc: EvcDoc): Promise<void> {
    const taken: [string, number[]][] = [];
    try {
      for (const uni of [doc.uni_a, doc.uni_z]) {
        const vlans = uniVlans(uni);
        if (vlans.length === 0) continue;
        try {
          await this.deps.allocateIntfTags(uni.interface_id, vlans);
        } catch (error) {
          const msg = error instanceof Error ? error.message : String(error);
          throw new BadRequestError(`KytosTagsAreNotAvailable, The tags ${JSON.stringify(vlans.length > 8 ? uni.tag?.value : vlans)} are not available on ${uni.interface_id}. ${msg}`.trim());
        }
        taken.push([uni.interface_id, vlans]);
        for (const v of vlans) this.take(`intf|${uni.interface_id}|${v}`);
      }
    } catch (error) {
      await this.releaseUniTags(taken);
      throw error;
    }
  }

  private async releaseUniTags(list: [string, number[]][]): Promise<void> {
    for (const [intf, vlans] of list) {
      await this.deps.releaseIntfTags(intf, vlans);
      for (const v of vlans) this.give(`intf|${intf}|${v}`);
    }
  }

  private uniTagList(doc: EvcDoc): [string, number[]][] {
    return [doc.uni_a, doc.uni_z].map((u) => [u.interface_id, uniVlans(u)] as [string, number[]]).filter(([, v]) => v.length > 0);
  }

  async create(body: Record<string, unknown>): Promise<{ circuit_id: string; deployed: boolean }> {
    const topo = await this.deps.topology();
    const doc = evcFromRequest(body, this.facts(topo), this.deps.now());
    const release = await this.deps.lock('evc:create');
    let live: Live;
    try {
      this.checkUniConflicts(doc);
      await this.takeUniTags(doc);
      // A scheduled EVC waits for its schedule (Kytos-ng does not deploy it at creation).
      live = { doc, snap: snapshotIn(doc.circuit_scheduler.length > 0 ? 'disabled' : 'idle') };
      try {
        await this.deps.save(doc);
      } catch (error) {
        await this.releaseUniTags(this.uniTagList(doc));
        throw error;
      }
      this.evcs.set(doc.id, live);
    } finally {
      release();
    }
    this.deps.emit(evcCreated, eventContent(doc));
    for (const sch of doc.circuit_scheduler) this.arm(doc.id, sch);
    const deployed = doc.circuit_scheduler.length === 0 ? await this.withEvc(doc.id, (l) => this.deploy(l)) : false;
    return { circuit_id: doc.id, deployed };
  }

  async update(id: string, body: Record<string, unknown>): Promise<{ evc: EvcJson; redeployed: boolean }> {
    const topo = await this.deps.topology();
    return this.withEvc(id, async (l) => {
      if (l.doc.archived) throw new BadRequestError(`Circuit ${id} is archived.`);
      const u = evcUpdated(l.doc, body, this.facts(topo), this.deps.now());
      const unisChanged = JSON.stringify([u.evc.uni_a, u.evc.uni_z]) !== JSON.stringify([l.doc.uni_a, l.doc.uni_z]);
      if (unisChanged) {
        this.checkUniConflicts(u.evc);
        await this.releaseUniTags(this.uniTagList(l.doc));
        try {
          await this.takeUniTags(u.evc);
        } catch (error) {
          await this.takeUniTags(l.doc);
          throw error;
        }
      }
      const wasActive = stateOf(l.snap) === 'active';
      // Paths, UNIs and priorities are read from the document by undeploy/deploy: undeploy with the old one.
      let redeployed = false;
      if (wasActive && (u.enable === false || u.redeploy)) await this.undeploy(l);
      await this.save(l, { ...u.evc, current_path: l.doc.current_path, failover_path: l.doc.failover_path, active: l.doc.active });
      if (u.enable === false) {
        if (stateOf(l.snap) === 'idle') this.step(l, { type: 'disable' });
      } else if (u.enable === true || (u.redeploy && l.doc.enabled)) {
        if (stateOf(l.snap) === 'disabled') this.step(l, { type: 'enable' });
        if (stateOf(l.snap) === 'idle') redeployed = await this.deploy(l);
      }
      this.deps.emit(evcUpdatedEvent, eventContent(l.doc));
      return { evc: evcJson(l.doc), redeployed };
    });
  }

  async remove(id: string): Promise<void> {
    await this.withEvc(id, async (l) => {
      if (l.doc.archived) return;
      for (const sch of l.doc.circuit_scheduler) this.disarm(sch.id);
      if (stateOf(l.snap) === 'active') await this.undeploy(l);
      await this.releaseUniTags(this.uniTagList(l.doc));
      this.step(l, { type: 'archive' });
      await this.save(l, { archived: true, enabled: false, active: false, circuit_scheduler: [] });
      this.deps.emit(evcDeleted, eventContent(l.doc));
    });
  }

  /** PATCH redeploy: undeploy and deploy again; with `avoidSameSvlan` the new S-VLANs are taken before the old are given back. */
  async redeploy(id: string, avoidSameSvlan: boolean): Promise<boolean> {
    return this.withEvc(id, async (l) => {
      if (l.doc.archived || (!l.doc.enabled && stateOf(l.snap) !== 'idle')) return false;
      if (stateOf(l.snap) === 'active') {
        if (avoidSameSvlan) return this.deploy(l, { replace: true });
        await this.undeploy(l);
      }
      if (stateOf(l.snap) === 'disabled') this.step(l, { type: 'enable' });
      return this.deploy(l);
    });
  }

  // --- deploy / undeploy ------------------------------------------------------

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
  async deploy(l: Live, opts: { replace?: boolean; only?: EvcPathLink[] } = {}): Promise<boolean> {
    const old = opts.replace ? { current: l.doc.current_path, failover: l.doc.failover_path } : undefined;
    this.step(l, { type: 'deploy' });
    const topo = await this.deps.topology();
    const candidates = opts.only ? [opts.only] : await this.candidates(l.doc, topo);
    for (const candidate of candidates) {
      const path = await this.takeSvlans(candidate);
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

  markUndeployedAfterFailure(l: Live): void {
    if (stateOf(l.snap) !== 'idle') l.snap = snapshotIn('idle');
  }

  /** Changes the metadata of these EVCs; answers the ids not found. */
  async bulkMetadata(ids: string[], change: (m: Record<string, unknown>) => Record<string, unknown>): Promise<string[]> {
    const missing: string[] = [];
    for (const id of ids) {
      if (!this.evcs.has(id)) {
        missing.push(id);
        continue;
      }
      await this.withEvc(id, (l) => this.save(l, { metadata: change(l.doc.metadata) }));
    }
    return missing;
  }

  /** `GET v2/evc/schedule`: every schedule of live EVCs, or `{}` when there is no EVC (Kytos-ng's quirk). */
  schedules(): unknown {
    const live = [...this.evcs.values()].filter((l) => !l.doc.archived);
    if (live.length === 0) return {};
    return live.flatMap((l) => l.doc.circuit_scheduler.map((s) => ({ schedule_id: s.id, circuit_id: l.doc.id, schedule: s })));
  }

  step_(l: Live, event: EvcMachineEvent): void {
    this.step(l, event);
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

/** Tags an EVC references: its UNIs' VLANs and the S-VLANs of its current and failover paths. */
export function referenced(doc: EvcDoc): TagKey[] {
  const out: TagKey[] = [];
  for (const uni of [doc.uni_a, doc.uni_z]) for (const v of uniVlans(uni)) out.push(`intf|${uni.interface_id}|${v}`);
  for (const link of [...doc.current_path, ...doc.failover_path]) {
    const v = svlanOf(link);
    if (v !== undefined) out.push(`link|${link.id}|${v}`);
  }
  return out;
}

export type { Live };
