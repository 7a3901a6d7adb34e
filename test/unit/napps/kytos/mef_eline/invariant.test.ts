import { expect } from 'chai';
import { EvcService } from '../../../../../napps/kytos/mef_eline/service.js';
import { handleLinkDown, handleLinkUp } from '../../../../../napps/kytos/mef_eline/failover.js';
import { evcFlows } from '../../../../../napps/kytos/mef_eline/flows.js';
import { defaults } from '../../../../../napps/kytos/mef_eline/settings.js';
import { pick, prng } from '../pathfinder/topologies.js';
import { FakeNetwork, intf } from './fakes.js';

/** Every flow the live EVCs should have installed, by dpid and table key. */
function expectedFlows(svc: EvcService): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (m: Map<string, { table_id?: unknown; priority: number; match: Record<string, unknown> }[]>) => {
    for (const [d, flows] of m) {
      const s = out.get(d) ?? new Set<string>();
      for (const f of flows) s.add(FakeNetwork.key(f));
      out.set(d, s);
    }
  };
  for (const l of svc.evcs.values()) {
    if (l.doc.archived || !l.doc.active) continue;
    add(evcFlows(l.doc, l.doc.current_path, defaults));
    if (l.doc.failover_path.length > 0) add(evcFlows(l.doc, l.doc.failover_path, defaults, { out: true, nni: true }));
  }
  return out;
}

function installedFlows(net: FakeNetwork): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [d, t] of net.tables) if (t.size > 0) out.set(d, new Set(t.keys()));
  return out;
}

const flat = (m: Map<string, Set<string>>) => [...m].flatMap(([d, s]) => [...s].map((k) => `${d.slice(-2)} ${k}`)).sort();

const tagValues = [5, 6, 7, 'any', 'untagged', undefined, [[10, 12]]] as const;

describe('kytos/mef_eline invariants (seeded random operations on a ring)', () => {
  for (const seed of [11, 29, 47, 83, 131, 173, 229, 281, 349, 409]) {
    it(`should hold exactly the tags live EVCs reference, and exactly their flows (seed ${seed})`, async () => {
      const rand = prng(seed);
      const net = new FakeNetwork(5);
      net.failInstall = () => rand() < 0.08;
      const svc = new EvcService(net.deps());
      const counts = { created: 0, refused: 0, deleted: 0, flaps: 0, redeploys: 0 };
      for (let step = 0; step < 120; step++) {
        const live = [...svc.evcs.values()].filter((l) => !l.doc.archived).map((l) => l.doc.id);
        const r = rand();
        const log = (x: string) => { if (process.env.MEF_DEBUG) console.log(step, x); };
        if (r < 0.35 || live.length === 0) {
          const a = 1 + Math.floor(rand() * 5);
          const z = ((a + Math.floor(rand() * 4)) % 5) + 1;
          const tag = pick(rand, tagValues);
          const tagZ = Array.isArray(tag) ? tag : pick(rand, tagValues.filter((t) => !Array.isArray(t)));
          const uni = (i: number, v: unknown) => ({ interface_id: intf(i, pick(rand, [1, 4])), ...(v === undefined ? {} : { tag: { tag_type: 'vlan', value: v } }) });
          log(`create ${a} ${z} ${JSON.stringify(tag)} ${JSON.stringify(tagZ)}`);
          try {
            await svc.create({ name: `e${step}`, dynamic_backup_path: true, uni_a: uni(a, tag), uni_z: uni(z === a ? (a % 5) + 1 : z, tagZ) });
            counts.created++;
          } catch (error) {
            expect((error as { code?: string }).code, String(error)).to.be.oneOf(['BAD_REQUEST', 'CONFLICT', 'VALIDATION']);
            counts.refused++;
          }
        } else if (r < 0.5) {
          const id = pick(rand, live);
          log(`remove ${id}`);
          await svc.remove(id);
          counts.deleted++;
        } else if (r < 0.85) {
          const link = pick(rand, Object.keys(net.links));
          const up = net.links[link]!.status !== 'UP';
          net.setLink(link, up);
          log(`link ${link} ${up}`);
          await (up ? handleLinkUp(svc, link) : handleLinkDown(svc, link));
          counts.flaps++;
        } else {
          const id = pick(rand, live);
          const avoid = rand() < 0.5;
          log(`redeploy ${id} ${avoid}`);
          await svc.redeploy(id, avoid);
          counts.redeploys++;
        }
        // Background work (failover set-up) may overlap the next operations; the invariants hold once it settles.
        if (rand() < 0.5 && step < 119) continue;
        await svc.settled();
        expect(svc.heldTags(), `step ${step}`).to.deep.equal(svc.referencedTags());
        expect(net.usedKeys(), `step ${step}`).to.deep.equal(svc.referencedTags());
        for (const l of svc.evcs.values()) expect(svc.stateOf(l.doc.id)).to.be.oneOf(['idle', 'active', 'disabled', 'archived']);
        expect(flat(installedFlows(net)), `step ${step}`).to.deep.equal(flat(expectedFlows(svc)));
      }
      expect(counts.created).to.be.greaterThan(5);
      expect(counts.flaps).to.be.greaterThan(10);
    });
  }
});
