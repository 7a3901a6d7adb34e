import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { idsOf, parseFlow, specFromStats, flowMod, reportedFlowJson } from '../../../../../napps/kytos/flow_manager/flow.js';
import { kytosIds, pyJsonDumps, type PyValue } from '../../../../../napps/kytos/flow_manager/ids.js';
import type { FlowStats } from '../../../../../src/sdk/index.js';

/** The vectors file, integers beyond 2^53 kept exact (bigint). */
export function loadVectors(): { vectors: Array<{ request: any; stored: any; switch_reported: any; ids_agree?: boolean }> } {
  const text = readFileSync(new URL('../../../../vectors/kytos-flow-ids.json', import.meta.url), 'utf8').replace(/([:[,]\s*)(\d{16,})(?=\s*[,\]}])/g, '$1"BIG:$2"');
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && v.startsWith('BIG:') ? BigInt(v.slice(4)) : v));
}

/** What Open vSwitch reports for a FLOW_MOD it accepted (the codec's structures; OVS normalises masks itself). */
const asStats = (fm: ReturnType<typeof flowMod>): FlowStats => ({
  tableId: fm.tableId, durationSec: 1, durationNsec: 0, priority: fm.priority, idleTimeout: fm.idleTimeout, hardTimeout: fm.hardTimeout,
  flags: 0, cookie: fm.cookie, packetCount: 0n, byteCount: 0n, match: fm.match, instructions: fm.instructions,
});

describe('flow_manager ids', () => {
  const { vectors } = loadVectors();

  it('should serialise as Python json.dumps(sort_keys=True)', () => {
    expect(pyJsonDumps({ b: [1, 2n ** 64n - 1n], a: 'é"\n', c: {}, d: [] })).to.equal('{"a": "\\u00e9\\"\\n", "b": [1, 18446744073709551615], "c": {}, "d": []}');
  });

  it('should reproduce every stored flow_id and id of the Kytos-ng vectors with Kytos-ng\'s own algorithm', () => {
    expect(vectors.length).to.equal(32);
    for (const v of vectors) {
      const got = kytosIds(v.stored.switch, v.stored.flow as { [k: string]: PyValue });
      expect(got, JSON.stringify(v.stored.flow.match)).to.deep.equal({ flow_id: v.stored.flow_id, id: v.stored.id });
    }
  });

  it('should store the same ids as Kytos-ng for every vector but dl_vlan "100/4095", where it uses the id the switch reports', () => {
    let same = 0;
    for (const v of vectors) {
      const spec = parseFlow(v.stored.flow, 'add');
      const ids = idsOf(v.stored.switch, spec);
      if (v.ids_agree === false) {
        expect(v.stored.flow.match.dl_vlan).to.equal('100/4095');
        expect(ids.flow_id).to.equal(v.switch_reported.id);
        expect(spec.match).to.deep.equal(v.switch_reported.match);
      } else {
        expect(ids, JSON.stringify(v.stored.flow.match)).to.deep.equal({ flow_id: v.stored.flow_id, id: v.stored.id });
        same++;
      }
    }
    expect(same).to.equal(31);
  });

  it('should give a request and its flow-stats read-back the same id (every vector, every field and action)', () => {
    const extra: any[] = [
      { match: { dl_type: 0x800, nw_proto: 17, udp_src: 53, udp_dst: 5353 }, actions: [{ action_type: 'output', port: 1 }] },
      { match: { dl_type: 0x800, nw_proto: 132, sctp_src: 1, sctp_dst: 2, ip_ecn: 1 }, actions: [] },
      { match: { dl_type: 0x800, nw_proto: 1, icmpv4_type: 8, icmpv4_code: 0 }, actions: [] },
      { match: { dl_type: 0x806, arp_op: 1, arp_spa: '10.0.0.0/255.255.255.0', arp_tpa: '10.0.0.2', arp_sha: 'AA:bb:cc:dd:ee:ff', arp_tha: '00:00:00:00:00:02/ff:ff:ff:00:00:00' }, actions: [] },
      { match: { dl_type: 0x86dd, ipv6_src: '2001:DB8:0:0:0:0:0:1/128', ipv6_flabel: '5/15', nw_proto: 58, icmpv6_type: 135, icmpv6_code: 0, nd_tar: '2001:db8::9', nd_sll: '00:00:00:00:00:03' }, actions: [] },
      { match: { dl_type: 0x86dd, nw_proto: 58, icmpv6_type: 136, nd_tll: '00:00:00:00:00:04', v6_hdr: 1 }, actions: [] },
      { match: { dl_type: 0x8847, mpls_lab: 100, mpls_tc: 1, mpls_bos: 1 }, actions: [] },
      { match: { dl_type: 0x88e7, pbb_isid: '5/255' }, actions: [] },
      { match: { in_phy_port: 1, metadata: '18446744073709551615/255', tun_id: 2n ** 60n, dl_vlan: '100/4000', dl_vlan_pcp: 2 }, actions: [] },
      { match: { dl_src: '00:00:00:00:00:01/ff:ff:ff:ff:ff:ff' }, instructions: [{ instruction_type: 'goto_table', table_id: 3 }, { instruction_type: 'write_metadata', metadata: 5, metadata_mask: 255 }, { instruction_type: 'apply_actions', actions: [{ action_type: 'set_queue', queue_id: 2 }] }, { instruction_type: 'meter', meter_id: 1 }, { instruction_type: 'clear_actions' }, { instruction_type: 'write_actions', actions: [{ action_type: 'output', port: 2 }] }] },
      { cookie: 2n ** 64n - 1n, table_id: 4, idle_timeout: 10, hard_timeout: 20, match: { nw_dst: '0.0.0.0/0', dl_type: 2048 }, actions: [{ action_type: 'push_vlan', tag_type: 'c' }, { action_type: 'set_vlan', vlan_id: 0 }, { action_type: 'pop_vlan' }] },
    ];
    const flows = [...vectors.map((v) => v.stored.flow), ...extra];
    for (const raw of flows) {
      const spec = parseFlow(raw, 'add');
      const back = specFromStats(asStats(flowMod(spec, 'add')));
      expect(idsOf('00:00:00:00:00:00:00:01', back), JSON.stringify(raw.match, (_k, x) => (typeof x === 'bigint' ? String(x) : x))).to.deep.equal(idsOf('00:00:00:00:00:00:00:01', spec));
    }
  });

  it('should report switch flows with the vectors\' shape (GET v2/flows)', () => {
    for (const v of vectors.filter((x) => x.switch_reported)) {
      const spec = parseFlow(v.stored.flow, 'add');
      const json = reportedFlowJson(v.stored.switch, asStats(flowMod(spec, 'add')));
      const { stats: _s, ...rest } = json;
      expect(JSON.stringify(rest, (_k, x) => (typeof x === 'bigint' ? String(x) : x))).to.equal(JSON.stringify(v.switch_reported, (_k, x) => (typeof x === 'bigint' ? String(x) : x)) .replace(/"match":\{[^}]*\}/, `"match":${JSON.stringify(spec.match)}`));
    }
  });

  it('should refuse bad fields with their path', () => {
    const bad: Array<[unknown, string]> = [
      [{ match: { nw_src: '10.0.0.1' } }, 'match.nw_src'],
      [{ match: { dl_type: 2048, nw_proto: 17, tp_src: 53 } }, 'match.tp_src'],
      [{ match: { dl_vlan: 5000 } }, 'match.dl_vlan'],
      [{ match: { bogus: 1 } }, 'match.bogus'],
      [{ match: { dl_type: 2048, nw_dst: '10.0.0.1/24' } }, 'match.nw_dst'],
      [{ actions: [{ action_type: 'output' }] }, 'actions[0].port'],
      [{ actions: [{ action_type: 'fly' }] }, 'actions[0].action_type'],
      [{ actions: [], instructions: [] }, 'instructions'],
      [{ priority: 70000 }, 'priority'],
      [{ cookie: -1 }, 'cookie'],
    ];
    for (const [raw, field] of bad) {
      expect(() => parseFlow(raw, 'add'), field).to.throw().with.property('field', field);
    }
  });
});
