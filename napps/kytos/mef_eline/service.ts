/**
 * The EVC service: what the API and the schedules do to EVCs (create,
 * update, soft delete, redeploy, metadata, schedules), on top of the core
 * (state, locks, tag ledger) and the deployer (paths, tags, flows).
 */
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  evcCreated,
  evcDeleted,
  evcUpdated as evcUpdatedEvent,
  type EvcJson,
  type EvcPathLink,
  type EvcScheduleJson,
  type LinkJson,
  type TimerHandle,
  type TopologyJson,
} from '#sdk';
import { referenced, type Live } from './core.js';
import { EvcDeployer, isDirect } from './deployer.js';
import { snapshotIn, stateOf, type StableState } from './evc-machine.js';
import { eventContent, evcFromRequest, evcJson, evcUpdated, type EvcDoc, type TopologyFacts } from './model.js';
import { dpidOf } from './paths.js';
import { nextFire, scheduleFromRequest } from './schedule.js';
import { uniSpecial, uniVlans } from './uni.js';

export class EvcService extends EvcDeployer {
  /** Armed schedule timers, by schedule id. */
  private readonly jobs = new Map<string, TimerHandle>();
  /** EVCs being created (checked, not stored yet): their UNIs count in the conflict checks. */
  private readonly creating = new Map<string, EvcDoc>();

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
    const others = [...[...this.evcs.values()].map((l) => l.doc), ...this.creating.values()];
    for (const uni of [doc.uni_a, doc.uni_z]) {
      const special = uniSpecial(uni);
      if (special === undefined) continue;
      for (const other of others) {
        if (other.archived || other.id === doc.id) continue;
        for (const ou of [other.uni_a, other.uni_z]) {
          if (ou.interface_id !== uni.interface_id) continue;
          if (special === 'none' && uniSpecial(ou) === 'none') {
            throw new ConflictError(`DuplicatedNoTagUNI, ${uni.interface_id} is already used with no tag by EVC ${other.id}`);
          }
          if (special !== 'none' && uniSpecial(ou) === special) {
            throw new BadRequestError(`KytosTagsAreNotAvailable, The tags ['${special}'] are not available on ${uni.interface_id}.`);
          }
        }
      }
    }
  }

  /** Takes the UNIs' VLANs, both UNIs at once (all or nothing). */
  private async takeUniTags(doc: EvcDoc): Promise<void> {
    const wanted = this.uniTagList(doc);
    const got = await Promise.allSettled(wanted.map(([intf, vlans]) => this.deps.allocateIntfTags(intf, vlans)));
    const taken = wanted.filter((_, i) => got[i]!.status === 'fulfilled');
    for (const [intf, vlans] of taken) for (const v of vlans) this.take(`intf|${intf}|${v}`);
    const i = got.findIndex((r) => r.status === 'rejected');
    if (i < 0) return;
    await this.releaseUniTags(taken);
    const [intf, vlans] = wanted[i]!;
    const uni = [doc.uni_a, doc.uni_z].find((u) => u.interface_id === intf)!;
    const reason = (got[i] as PromiseRejectedResult).reason as unknown;
    const msg = reason instanceof Error ? reason.message : String(reason);
    throw new BadRequestError(`KytosTagsAreNotAvailable, The tags ${JSON.stringify(vlans.length > 8 ? uni.tag?.value : vlans)} are not available on ${intf}. ${msg}`.trim());
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

  /**
   * A creation's placement, before anything is stored. With both UNIs up (and
   * no schedule, not on one switch) a path and its S-VLANs are taken now, or
   * the request is refused with 409: no path meets the constraints (paths
   * exist without them), no link chain joins the UNIs' switches at all (even
   * counting links that are down), or every path lacks a free S-VLAN. When
   * the network is only down now (a UNI down or disconnected, the links that
   * would join them down, a static path with a link down) nothing is taken:
   * the EVC is stored and deployed when the network comes back (Kytos-ng).
   */
  private async place(doc: EvcDoc, topo: TopologyJson): Promise<EvcPathLink[] | undefined> {
    if (doc.circuit_scheduler.length > 0 || isDirect(doc) || !uniUp(topo, doc.uni_a.interface_id) || !uniUp(topo, doc.uni_z.interface_id)) return undefined;
    const candidates = await this.candidates(doc, topo);
    for (const candidate of candidates) {
      const path = await this.takeSvlans(candidate);
      if (path) return path;
    }
    const between = `${doc.uni_a.interface_id} and ${doc.uni_z.interface_id}`;
    if (candidates.length > 0) throw new ConflictError(`no S-VLAN is free on every link of a path between ${between}`);
    if (!doc.dynamic_backup_path && doc.primary_path.length > 0) return undefined;
    if (Object.keys(doc.primary_constraints).length > 0) {
      const unconstrained = await this.deps.findPaths({ source: doc.uni_a.interface_id, destination: doc.uni_z.interface_id, spf_max_paths: 1 }).catch(() => []);
      if (unconstrained.length > 0) throw new ConflictError(`no path satisfies the constraints between ${between}`);
    }
    if (!joined(topo, dpidOf(doc.uni_a.interface_id), dpidOf(doc.uni_z.interface_id))) throw new ConflictError(`no path between ${between}`);
    return undefined;
  }

  async create(body: Record<string, unknown>): Promise<{ circuit_id: string; deployed: boolean }> {
    const topo = await this.deps.topology();
    const doc = evcFromRequest(body, this.facts(topo), this.deps.now());
    // Checked and registered in one turn: two creations on one interface cannot both pass.
    this.checkUniConflicts(doc);
    this.creating.set(doc.id, doc);
    let placed: EvcPathLink[] | undefined;
    try {
      // The UNIs' VLANs and the path's S-VLANs are taken at once; when either fails, the other is given back.
      const [uni, path] = await Promise.allSettled([this.takeUniTags(doc), this.place(doc, topo)]);
      placed = path.status === 'fulfilled' ? path.value : undefined;
      try {
        if (uni.status === 'rejected') throw uni.reason;
        if (path.status === 'rejected') throw path.reason;
        await this.deps.save(doc);
      } catch (error) {
        if (placed) await this.giveSvlans(placed);
        if (uni.status === 'fulfilled') await this.releaseUniTags(this.uniTagList(doc));
        throw error;
      }
      // A scheduled EVC waits for its schedule (Kytos-ng does not deploy it at creation).
      this.evcs.set(doc.id, { doc, snap: snapshotIn(doc.circuit_scheduler.length > 0 ? 'disabled' : 'idle') });
    } finally {
      this.creating.delete(doc.id);
    }
    this.deps.emit(evcCreated, eventContent(doc));
    for (const sch of doc.circuit_scheduler) this.arm(doc.id, sch);
    const deployed = doc.circuit_scheduler.length === 0 ? await this.withEvc(doc.id, (l) => this.deploy(l, placed ? { taken: placed } : {})) : false;
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


  /**
   * Archived EVCs whose last change is older than ARCHIVED_RETENTION leave the store, then
   * memory: at most PRUNE_BATCH, oldest first. Answers the ids removed.
   */
  async pruneArchived(): Promise<string[]> {
    const { ARCHIVED_RETENTION, PRUNE_BATCH } = this.deps.settings;
    if (ARCHIVED_RETENTION <= 0 || !this.deps.removeMany) return [];
    const ids = archivedToPrune([...this.evcs.values()].map((l) => l.doc), this.deps.now(), ARCHIVED_RETENTION * 1000, PRUNE_BATCH);
    if (ids.length === 0) return [];
    await this.deps.removeMany(ids);
    for (const id of ids) this.evcs.delete(id);
    this.deps.log.info({ removed: ids.length }, 'archived EVCs past their retention removed');
    return ids;
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

}

/** A UNI's interface and its switch are UP in the topology. */
function uniUp(topo: TopologyJson, interfaceId: string): boolean {
  const sw = topo.switches[dpidOf(interfaceId)];
  return sw?.status === 'UP' && sw.interfaces[interfaceId]?.status === 'UP';
}

/** Some chain of links (UP or not) joins the two switches. */
function joined(topo: TopologyJson, a: string, z: string): boolean {
  const next = new Map<string, string[]>();
  for (const l of Object.values(topo.links)) {
    const x = dpidOf(l.endpoint_a.id);
    const y = dpidOf(l.endpoint_b.id);
    next.set(x, [...(next.get(x) ?? []), y]);
    next.set(y, [...(next.get(y) ?? []), x]);
  }
  const seen = new Set([a]);
  const todo = [a];
  while (todo.length > 0) {
    const d = todo.pop()!;
    if (d === z) return true;
    for (const n of next.get(d) ?? []) if (!seen.has(n)) todo.push(n), seen.add(n);
  }
  return false;
}

/** Pure: the archived EVCs last changed at or before `now - retentionMs`, oldest first, at most `batch`. */
export function archivedToPrune(docs: readonly EvcDoc[], now: number, retentionMs: number, batch: number): string[] {
  const cutoff = now - retentionMs;
  return docs
    .filter((d) => d.archived)
    .map((d) => ({ id: d.id, at: Date.parse(`${d.updated_at}Z`) }))
    .filter((d) => Number.isFinite(d.at) && d.at <= cutoff)
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    .slice(0, batch)
    .map((d) => d.id);
}

export type { Live, TagKey } from './core.js';
export { referenced } from './core.js';
