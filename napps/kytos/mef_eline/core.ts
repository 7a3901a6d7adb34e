/**
 * The core of the EVC service: the live EVCs, each with its state machine
 * (evc-machine.ts), their locks, the tag ledger and the background work. Every
 * operation holds the EVC's lock for its whole run and leaves it in a stable
 * state. Tags held (the ledger) always equal the tags referenced by live EVCs'
 * UNIs, current and failover paths.
 */
import { ConflictError, NotFoundError, type EvcJson } from '#sdk';
import type { ServiceDeps } from './deps.js';
import { next, stateOf, type EvcMachineEvent, type EvcSnapshot, type EvcState } from './evc-machine.js';
import { evcJson, kytosDate, type EvcDoc } from './model.js';
import { svlanOf } from './paths.js';
import { uniVlans } from './uni.js';

export interface Live {
  doc: EvcDoc;
  snap: EvcSnapshot;
}

/** A tag in the ledger: `link|<id>|<vlan>` or `intf|<id>|<vlan>`. */
export type TagKey = string;

export class EvcCore {
  readonly evcs = new Map<string, Live>();
  /** Work started after an answer (failover set-up), until it settles. */
  private readonly background = new Set<Promise<void>>();
  /** Links of active EVCs' paths seen not UP (with both switches UP) by the consistency check, and since when. */
  readonly deadLinks = new Map<string, number>();
  /** Tags this NApp holds in topology's pools, by key (a count, to catch double takes). */
  protected readonly held = new Map<TagKey, number>();

  constructor(readonly deps: ServiceDeps) {}

  stateOf(id: string): EvcState | undefined {
    const l = this.evcs.get(id);
    return l ? stateOf(l.snap) : undefined;
  }

  step(l: Live, event: EvcMachineEvent): void {
    const s = next(l.snap, event);
    if (!s) throw new ConflictError(`EVC ${l.doc.id} is ${stateOf(l.snap)}: cannot ${event.type}`);
    l.snap = s;
  }

  protected take(k: TagKey): void {
    this.held.set(k, (this.held.get(k) ?? 0) + 1);
  }
  protected give(k: TagKey): void {
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

  /** Changes several EVCs and writes them at once (one durable write when the store allows). */
  async saveMany(ls: Live[], change: (l: Live) => Partial<EvcDoc>): Promise<void> {
    const now = kytosDate(this.deps.now());
    for (const l of ls) l.doc = { ...l.doc, ...change(l), updated_at: now };
    if (this.deps.saveMany) await this.deps.saveMany(ls.map((l) => l.doc));
    else await Promise.all(ls.map((l) => this.deps.save(l.doc)));
  }

  async save(l: Live, changes: Partial<EvcDoc> = {}): Promise<void> {
    l.doc = { ...l.doc, ...changes, updated_at: kytosDate(this.deps.now()) };
    await this.deps.save(l.doc);
  }

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
