/** Each NApp's mapping of Kytos-ng documents, as data: what it takes, what it refuses and why. */
import { expect } from 'chai';
import { importKytos as flows } from '../../../napps/kytos/flow_manager/import-kytos.js';
import { importKytos as topology } from '../../../napps/kytos/topology/import-kytos.js';
import { importKytos as evcs } from '../../../napps/kytos/mef_eline/import-kytos.js';
import { importKytos as windows } from '../../../napps/kytos/maintenance/import-kytos.js';
import { importKytosUsers as users } from '../../../src/platform/import-kytos-users.js';
import { defaults as topologyDefaults } from '../../../napps/kytos/topology/settings.js';
import { decodeFlow } from '../../../napps/kytos/flow_manager/table.js';
import { DPID_1, kytosCollections, UNI_A } from '../../fixtures/kytos-ng/documents.js';
import { plain } from '../../../src/platform/kytos-source.js';
import type { KytosDocument } from '../../../src/sdk/index.js';

const fixture = (name: string): KytosDocument[] => plain(kytosCollections()[name]) as KytosDocument[];

describe('import-kytos mappings', () => {
  it('flow_manager: keeps the flow with its exact cookie, keyed by the ids Lattice computes', () => {
    const out = flows.map({ flows: fixture('flows'), flow_checks: [] }, {});
    expect(out.refused).to.deep.equal([]);
    const docs = out.collections[0]!.docs as { id: string; flow: string; cookie: string; state: string; switch: string }[];
    const lldp = docs.find((d) => d.switch === DPID_1 && decodeFlow(d.flow).owner === 'of_lldp')!;
    expect(decodeFlow(lldp.flow).cookie).to.equal((0xabn << 56n) | 0x6001n);
    expect(lldp.cookie).to.equal(((0xabn << 56n) | 0x6001n).toString().padStart(20, '0'));
    expect(docs.filter((d) => d.state === 'deleted')).to.have.length(1);
  });

  it('flow_manager: refuses a flow it could not send, with the field', () => {
    const bad = fixture('flows').slice(0, 1).map((d) => ({ ...d, flow: { ...(d.flow as object), match: { in_port: 1, dl_vlan: 5000 } } }));
    const out = flows.map({ flows: bad }, {});
    expect(out.refused).to.have.length(1);
    expect(out.refused[0]!.reason).to.match(/^flow: .*dl_vlan/);
  });

  it('topology: used tags are the pool minus the available ones, without the LLDP VLAN; the default pool is skipped', () => {
    const details = fixture('interface_details');
    const plainPool = { _id: `${DPID_1}:9`, available_tags: { vlan: [[1, 4094]] }, tag_ranges: { vlan: [[1, 4094]] }, special_available_tags: { vlan: ['untagged', 'any'] }, special_tags: { vlan: ['untagged', 'any'] } };
    const out = topology.map({ switches: fixture('switches'), links: fixture('links'), interface_details: [...details, plainPool] }, topologyDefaults);
    expect(out.refused).to.deep.equal([]);
    const tags = out.collections.find((c) => c.name === 'interface_details')!.docs as { id: string; used_tags: number[] }[];
    expect(tags.find((t) => t.id === UNI_A)!.used_tags).to.deep.equal([100, 100]);
    expect(out.skipped).to.deep.equal([{ from: 'interface_details', id: `${DPID_1}:9`, reason: 'the default VLAN pool with nothing used: topology gives every interface that' }]);
  });

  it('topology: refuses a pool of another tag type and a link whose id is not its endpoints\'', () => {
    const pool = { _id: `${DPID_1}:1`, available_tags: { vlan: [], mpls: [[1, 10]] }, tag_ranges: { vlan: [] }, special_available_tags: { vlan: [] }, special_tags: { vlan: [] } };
    const link: KytosDocument = { ...fixture('links')[0]!, _id: 'abc' };
    const [a, b] = (link.endpoints as { id: string }[]).map((e) => e.id);
    const out = topology.map({ switches: fixture('switches'), links: [link], interface_details: [pool] }, topologyDefaults);
    expect(out.refused.map((r) => r.reason)).to.deep.equal([
      `_id is not the id of the link between ${a} and ${b} (${String(fixture('links')[0]!._id)})`,
      'available_tags.mpls: Lattice keeps VLAN pools only',
    ]);
  });

  it('mef_eline: dates as Kytos-ng shows them; a bad UNI tag is refused', () => {
    const out = evcs.map({ evcs: fixture('evcs') }, {});
    const evc = out.collections[0]!.docs[0] as Record<string, unknown>;
    expect(evc).to.deep.include({ creation_time: '2025-03-01T10:00:00', updated_at: '2025-03-02T11:30:00', queue_id: -1, end_date: null });
    const bad = evcs.map({ evcs: fixture('evcs').map((d) => ({ ...d, uni_a: { interface_id: UNI_A, tag: { tag_type: 'vlan', value: 5000 } } })) }, {});
    expect(bad.refused.map((r) => r.reason)).to.deep.equal(['uni_a.tag: Error creating UNI: Invalid value']);
  });

  it('maintenance and users: dates to ISO; a user without usable scrypt parameters refused', () => {
    const w = windows.map({ 'maintenance.windows': fixture('maintenance.windows') }, {});
    expect((w.collections[0]!.docs[0] as { start: string }).start).to.equal('2025-02-01T00:00:00.000Z');
    const u = users.map({ users: fixture('users').map((d) => ({ ...d, hash: { salt: Buffer.alloc(16), n: 1000, r: 8, p: 1 } })) }, {});
    expect(u.refused.map((r) => r.reason)).to.deep.equal(['hash is not usable scrypt parameters ({salt, n, r, p})']);
  });
});

describe('import-kytos specs', () => {
  it("each NApp's importer opens its collections with the spec the NApp opens them with (the embedded store keeps indexes per spec)", async () => {
    const opened = new Map<string, unknown>();
    const recording = { collection: (name: string, spec: unknown) => (opened.set(name, JSON.parse(JSON.stringify(spec))), {}) };
    const ctx = { store: recording } as never;
    (await import('../../../napps/kytos/flow_manager/index.js')).flowsCollection(ctx);
    (await import('../../../napps/kytos/mef_eline/index.js')).evcCollection(ctx);
    (await import('../../../napps/kytos/maintenance/store.js')).windowsCollection(ctx);
    (await import('../../../napps/kytos/of_lldp/index.js')).collections(ctx);
    (await import('../../../napps/kytos/topology/index.js')).collections(ctx);
    const declared = new Map<string, unknown>();
    const input = { flows: [], evcs: [], 'maintenance.windows': [], liveness: [], switches: [], links: [], interface_details: [] };
    const norm = (s: { key: string; indexes?: readonly string[]; unique?: readonly string[] }) => ({ key: s.key, ...(s.indexes?.length ? { indexes: [...s.indexes] } : {}), ...(s.unique?.length ? { unique: [...s.unique] } : {}) });
    for (const imp of [flows, evcs, windows, topology, (await import('../../../napps/kytos/of_lldp/import-kytos.js')).importKytos]) {
      for (const c of imp.map(input, topologyDefaults).collections) declared.set(c.name, norm(c.spec));
    }
    expect([...declared.keys()].sort()).to.deep.equal(['evcs', 'flows', 'interface_details', 'links', 'liveness', 'switches', 'tag_claims', 'windows']);
    for (const [name, spec] of declared) expect(spec, name).to.deep.equal(norm(opened.get(name) as never));
  });
});
