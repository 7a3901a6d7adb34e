import { expect } from 'chai';
import { cookieOf, evcFlows, idOfCookie } from '../../../../../napps/kytos/mef_eline/flows.js';
import { defaults } from '../../../../../napps/kytos/mef_eline/settings.js';
import { parseTag, rangeToMasks } from '../../../../../napps/kytos/mef_eline/uni.js';
import type { EvcJson } from '../../../../../src/sdk/index.js';

const S1 = '00:00:00:00:00:00:00:01';
const S2 = '00:00:00:00:00:00:00:02';
const S3 = '00:00:00:00:00:00:00:03';
const link = (id: string, a: string, b: string, v: number) => ({ id, endpoint_a: { id: a }, endpoint_b: { id: b }, metadata: { s_vlan: { tag_type: 'vlan' as const, value: v } } });
const PATH = [link('l12', `${S1}:2`, `${S2}:3`, 5), link('l23', `${S3}:3`, `${S2}:2`, 6)];
const evc = (a: unknown, z: unknown, extra: Partial<EvcJson> = {}) =>
  ({
    id: '0123456789abcd',
    uni_a: { interface_id: `${S1}:1`, ...(a === undefined ? {} : { tag: { tag_type: 'vlan', value: a } }) },
    uni_z: { interface_id: `${S3}:1`, ...(z === undefined ? {} : { tag: { tag_type: 'vlan', value: z } }) },
    sb_priority: null,
    queue_id: -1,
    table_group: { evpl: 0, epl: 0 },
    ...extra,
  }) as Pick<EvcJson, 'id' | 'uni_a' | 'uni_z' | 'sb_priority' | 'queue_id' | 'table_group'>;

describe('kytos/mef_eline flows', () => {
  it('should make Kytos-ng cookies and read the EVC id back', () => {
    expect(cookieOf('0123456789abcd', 0xaa)).to.equal(0xaa0123456789abcdn);
    expect(idOfCookie(0xaa0123456789abcdn, 0xaa)).to.equal('0123456789abcd');
    expect(idOfCookie(0xab0123456789abcdn, 0xaa)).to.equal(undefined);
  });

  it('should lay out EVPL flows: push with C-VLAN rewrite at the UNIs, S-VLAN swap at the transit switch', () => {
    const f = evcFlows(evc(100, 200), PATH, defaults);
    expect([...f.keys()]).to.have.members([S1, S2, S3]);
    const cookie = 0xaa0123456789abcdn;
    const common = { cookie, owner: 'mef_eline', table_id: 0 };
    expect(f.get(S1)).to.deep.equal([
      { ...common, match: { in_port: 1, dl_vlan: 100 }, table_group: 'evpl', priority: 20000, actions: [{ action_type: 'set_vlan', vlan_id: 200 }, { action_type: 'push_vlan', tag_type: 's' }, { action_type: 'set_vlan', vlan_id: 5 }, { action_type: 'output', port: 2 }] },
      { ...common, match: { in_port: 2, dl_vlan: 5 }, table_group: 'evpl', priority: 20000, actions: [{ action_type: 'pop_vlan' }, { action_type: 'output', port: 1 }] },
    ]);
    expect(f.get(S2)).to.deep.equal([
      { ...common, match: { in_port: 3, dl_vlan: 5 }, table_group: 'evpl', priority: 20000, actions: [{ action_type: 'set_vlan', vlan_id: 6 }, { action_type: 'output', port: 2 }] },
      { ...common, match: { in_port: 2, dl_vlan: 6 }, table_group: 'evpl', priority: 20000, actions: [{ action_type: 'set_vlan', vlan_id: 5 }, { action_type: 'output', port: 3 }] },
    ]);
    expect(f.get(S3)![0]!.match).to.deep.equal({ in_port: 1, dl_vlan: 200 });
  });

  it('should use the southbound priorities of EPL, any and untagged, or sb_priority', () => {
    const pri = (a: unknown, z: unknown, extra = {}) => evcFlows(evc(a, z, extra), PATH, defaults).get(S1)![0]!;
    expect(pri(undefined, undefined)).to.include({ priority: 10000, table_group: 'epl' });
    expect(pri('any', 'any')).to.include({ priority: 15000 });
    expect(pri('any', 'any').match).to.deep.equal({ in_port: 1, dl_vlan: '4096/4096' });
    expect(pri('untagged', 300)).to.include({ priority: 20000 });
    expect(pri('untagged', 300).actions).to.deep.equal([{ action_type: 'push_vlan', tag_type: 'c' }, { action_type: 'set_vlan', vlan_id: 300 }, { action_type: 'push_vlan', tag_type: 's' }, { action_type: 'set_vlan', vlan_id: 5 }, { action_type: 'output', port: 2 }]);
    expect((pri(100, 'untagged').actions as unknown[])[0]).to.deep.equal({ action_type: 'pop_vlan' });
    expect(pri(100, 200, { sb_priority: 123 })).to.include({ priority: 123 });
  });

  it('should match a range with one flow per value/mask block', () => {
    const tag = parseTag({ tag_type: 'vlan', value: [[10, 20]] })!;
    expect(tag.mask_list).to.deep.equal(['10/4094', '12/4092', '16/4092', 20]);
    expect(rangeToMasks(1, 4094)).to.have.length(22);
    const f = evcFlows(evc([[10, 20]], [[10, 20]]), PATH, defaults).get(S1)!;
    expect(f.filter((x) => x.match.in_port === 1).map((x) => x.match.dl_vlan)).to.deep.equal(['10/4094', '12/4092', '16/4092', 20]);
  });

  it('should refuse bad tags with Kytos-ng messages', () => {
    expect(() => parseTag({ tag_type: 'vlan', value: 5000 })).to.throw('Error creating UNI: Invalid value');
    expect(() => parseTag({ tag_type: 'mpls', value: 5 })).to.throw(/Invalid tag_type/);
    expect(() => parseTag({ tag_type: 'vlan', value: [[20, 10]] })).to.throw(/Invalid tag ranges/);
  });
});
