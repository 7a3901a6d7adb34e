/**
 * In-memory stand-ins for topology (a ring, its links' status and VLAN
 * pools), pathfinder (the ring's two ways round) and flow_manager (a flow
 * table per switch with ADD-replaces and non-strict cookie deletes), bound as
 * the EVC service's dependencies.
 */
import { ConflictError, type FlowApplyResult, type FoundPath, type LinkJson, type PathRequest, type TopologyJson } from '../../../../../src/sdk/index.js';
import type { ServiceDeps } from '../../../../../napps/kytos/mef_eline/deps.js';
import type { FlowDict } from '../../../../../napps/kytos/mef_eline/flows.js';
import type { EvcDoc } from '../../../../../napps/kytos/mef_eline/model.js';
import { defaults } from '../../../../../napps/kytos/mef_eline/settings.js';

export const dpid = (i: number) => `00:00:00:00:00:00:00:${i.toString(16).padStart(2, '0')}`;
export const intf = (i: number, p: number) => `${dpid(i)}:${p}`;

export class FakeNetwork {
  readonly links: Record<string, LinkJson> = {};
  /** Used VLANs per interface. */
  readonly used = new Map<string, Set<number>>();
  /** Flow tables: dpid -> key -> flow. */
  readonly tables = new Map<string, Map<string, FlowDict>>();
  readonly docs = new Map<string, EvcDoc>();
  /** Fails a flow install when it returns true. */
  failInstall: (dpid: string) => boolean = () => false;
  private readonly locks = new Map<string, Promise<void>>();

  /** A ring of n switches: port 2 of s<i> to port 3 of the next; ports 1 and 4 are UNIs. */
  constructor(readonly n: number) {
    for (let i = 1; i <= n; i++) {
      const j = (i % n) + 1;
      const id = `L${i}`;
      const e = (x: string) => ({ id: x }) as LinkJson['endpoint_a'];
      this.links[id] = { id, endpoint_a: e(intf(i, 2)), endpoint_b: e(intf(j, 3)), metadata: {}, active: true, enabled: true, status: 'UP', status_reason: [] };
    }
  }

  setLink(id: string, up: boolean): void {
    const l = this.links[id]!;
    this.links[id] = { ...l, active: up, status: up ? 'UP' : 'DOWN' };
  }

  private pool(intfId: string): Set<number> {
    let s = this.used.get(intfId);
    if (!s) this.used.set(intfId, (s = new Set()));
    return s;
  }

  /** Switches that are disconnected (DOWN, with their interfaces). */
  readonly down = new Set<number>();

  topology(): TopologyJson {
    const switches: TopologyJson['switches'] = {};
    for (let i = 1; i <= this.n; i++) {
      const interfaces: Record<string, unknown> = {};
      const status = this.down.has(i) ? 'DOWN' : 'UP';
      for (const p of [1, 2, 3, 4]) interfaces[intf(i, p)] = { id: intf(i, p), active: !this.down.has(i), status };
      switches[dpid(i)] = { id: dpid(i), interfaces, active: !this.down.has(i), status } as never;
    }
    return { switches, links: structuredClone(this.links) };
  }

  /** The ring's simple paths between two UNIs, fewest hops first. */
  paths(req: PathRequest): FoundPath[] {
    const a = Number.parseInt(req.source.split(':')[7]!, 16);
    const z = Number.parseInt(req.destination.split(':')[7]!, 16);
    const out: FoundPath[] = [];
    for (const dir of [1, -1]) {
      const hops = [req.source, dpid(a)];
      let i = a;
      let ok = true;
      while (i !== z) {
        const j = ((i - 1 + dir + this.n) % this.n) + 1;
        const link = dir === 1 ? this.links[`L${i}`]! : this.links[`L${j}`]!;
        if (link.status !== 'UP' || req.undesired_links?.includes(link.id)) ok = false;
        hops.push(dir === 1 ? intf(i, 2) : intf(i, 3), dir === 1 ? intf(j, 3) : intf(j, 2), dpid(j));
        i = j;
      }
      hops.push(req.destination);
      if (ok && a !== z) out.push({ hops, cost: hops.length - 1 });
    }
    return out.sort((x, y) => x.cost - y.cost || (x.hops.join() < y.hops.join() ? -1 : 1)).slice(0, req.spf_max_paths ?? 2);
  }

  private table(d: string): Map<string, FlowDict> {
    let t = this.tables.get(d);
    if (!t) this.tables.set(d, (t = new Map()));
    return t;
  }

  static key(f: { table_id?: unknown; priority: number; match: Record<string, unknown> }): string {
    return `${String(f.table_id ?? 0)}|${f.priority}|${JSON.stringify(Object.entries(f.match).sort())}`;
  }

  deps(overrides: Partial<ServiceDeps> = {}): ServiceDeps {
    const silent = { info: () => undefined, warn: () => undefined };
    return {
      settings: { ...defaults },
      now: () => 0,
      log: silent,
      lock: async (key) => {
        const prev = this.locks.get(key) ?? Promise.resolve();
        let release!: () => void;
        const mine = new Promise<void>((r) => (release = r));
        this.locks.set(key, prev.then(() => mine));
        await prev;
        return release;
      },
      topology: async () => this.topology(),
      allocateLinkTags: async (linkId, req) => {
        const l = this.links[linkId];
        if (!l) throw new ConflictError('no link');
        const pa = this.pool(l.endpoint_a.id);
        const pb = this.pool(l.endpoint_b.id);
        const want = req.tags ?? [];
        if (!req.tags) for (let v = 1; v <= 4094 && want.length < (req.count ?? 1); v++) if (!pa.has(v) && !pb.has(v)) want.push(v);
        if (want.length === 0 || want.some((v) => pa.has(v) || pb.has(v))) throw new ConflictError('tags not available');
        for (const v of want) {
          pa.add(v);
          pb.add(v);
        }
        return want;
      },
      releaseLinkTags: async (linkId, tags) => {
        const l = this.links[linkId]!;
        for (const v of tags) {
          this.pool(l.endpoint_a.id).delete(v);
          this.pool(l.endpoint_b.id).delete(v);
        }
      },
      allocateIntfTags: async (id, tags) => {
        const p = this.pool(id);
        if (tags.some((v) => p.has(v))) throw new ConflictError('tags not available');
        for (const v of tags) p.add(v);
      },
      releaseIntfTags: async (id, tags) => {
        for (const v of tags) this.pool(id).delete(v);
      },
      findPaths: async (req) => this.paths(req),
      install: async (d, flows): Promise<FlowApplyResult> => {
        const t = this.table(d);
        for (const f of flows) t.set(FakeNetwork.key(f), f);
        if (this.failInstall(d)) return { status: 504, body: 'not confirmed' };
        return { status: 201, body: {} };
      },
      remove: async (d, flows): Promise<FlowApplyResult> => {
        const t = this.table(d);
        for (const del of flows) {
          const mask = BigInt(del.cookie_mask as bigint);
          const cookie = BigInt(del.cookie as bigint);
          const match = (del.match ?? {}) as Record<string, unknown>;
          for (const [k, f] of t) {
            if ((f.cookie & mask) !== (cookie & mask)) continue;
            if (Object.entries(match).every(([mk, mv]) => JSON.stringify(f.match[mk]) === JSON.stringify(mv))) t.delete(k);
          }
        }
        return { status: 202, body: {} };
      },
      save: async (doc) => void this.docs.set(doc.id, structuredClone(doc)),
      emit: () => undefined,
      ...overrides,
    };
  }

  /** Used tags as `kind|id|vlan` keys, the way the service names them (link tags once per link). */
  usedKeys(): string[] {
    const out: string[] = [];
    const linkEnds = new Map<string, string>();
    for (const l of Object.values(this.links)) {
      linkEnds.set(l.endpoint_a.id, l.id);
      linkEnds.set(l.endpoint_b.id, l.id);
    }
    for (const [id, vlans] of this.used) {
      for (const v of vlans) {
        const link = linkEnds.get(id);
        if (!link) out.push(`intf|${id}|${v}`);
        else if (this.links[link]!.endpoint_a.id === id) out.push(`link|${link}|${v}`);
      }
    }
    return out.sort();
  }
}
