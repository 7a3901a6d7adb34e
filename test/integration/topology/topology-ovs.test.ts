import { expect } from 'chai';
import type { TestWsClient } from '../../../src/sdk/test-kit.js';
import { interfaceIsNni } from '../../../src/sdk/index.js';
import { tempDataDir } from '../../../src/main.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { API, startTopology, type TopologyController } from './harness.js';

const dpid = (i: number) => dpidColon(0x3000 + i);
const intf = (i: number, port: number) => `${dpid(i)}:${port}`;
const L12 = linkId(intf(1, 2), intf(2, 2));
const L23 = linkId(intf(2, 3), intf(3, 2));
const SWITCH_KEYS = ['id', 'name', 'dpid', 'connection', 'ofp_version', 'type', 'manufacturer', 'serial', 'hardware', 'software', 'data_path', 'interfaces', 'metadata', 'active', 'enabled', 'status', 'status_reason'];
const INTERFACE_KEYS = ['id', 'name', 'port_number', 'mac', 'switch', 'type', 'nni', 'uni', 'speed', 'metadata', 'lldp', 'active', 'enabled', 'status', 'status_reason', 'link'];
const LINK_KEYS = ['id', 'endpoint_a', 'endpoint_b', 'metadata', 'active', 'enabled', 'status', 'status_reason'];

describe('kytos/topology with real Open vSwitch', function () {
  this.timeout(60_000);
  let ovs: Ovs;
  let c: TopologyController;
  let ws: TestWsClient;
  /** Bus events recorded before the WebSocket subscribed. */
  let before0 = 0;
  const dataDir = tempDataDir();
  const get = (path: string, headers: Record<string, string> = {}) => c.t.http.get(`${API}${path}`, { headers });
  const post = (path: string, json?: unknown) => c.t.http.post(`${API}${path}`, json);
  const del = (path: string) => c.t.http.delete(`${API}${path}`);
  const nni = (a: string, b: string) => c.t.bus.publish(interfaceIsNni.type, { interface_a: { id: a }, interface_b: { id: b } });

  before(async function () {
    await skipWithoutOvs(this);
    c = await startTopology(dataDir, { LINK_UP_TIMER: 1 });
    ws = await c.t.ws();
    await ws.subscribe(['kytos/topology\\..*']);
    before0 = c.events.length;
    ovs = await startOvs();
    await ovs.addBridges([1, 2, 3].map((i) => ({ name: `s${i}`, dpid: 0x3000 + i, ports: [{ name: `s${i}-eth1`, ofport: 1 }] })));
    await ovs.link('s1', 's2', { aOfport: 2, bOfport: 2 });
    await ovs.link('s2', 's3', { aOfport: 3, bOfport: 2 });
    await ovs.setControllers([...ovs.bridges.keys()], c.t.openflowPort);
  });

  after(async () => {
    await c?.stop();
    await ovs?.stop();
  });

  it('should show the switches and their interfaces with Kytos-ng shapes', async () => {
    const r = await until(async () => {
      const res = await get('/switches');
      const sws = Object.values(res.body.switches as Record<string, any>);
      return sws.length === 3 && sws.every((s) => s.active && Object.keys(s.interfaces).length >= 3) ? res : undefined;
    }, 15_000, 'three active switches').then((x) => x!);
    const s1 = r.body.switches[dpid(1)];
    expect(Object.keys(s1)).to.deep.equal(SWITCH_KEYS);
    expect(s1).to.include({ id: dpid(1), ofp_version: '0x04', type: 'switch', manufacturer: 'Nicira, Inc.', hardware: 'Open vSwitch', enabled: true, status: 'UP' });
    expect(s1.connection).to.match(/^127\.0\.0\.1:\d+$/);
    expect(s1.metadata).to.deep.equal({});
    const eth1 = s1.interfaces[intf(1, 1)];
    expect(Object.keys(eth1)).to.deep.equal(INTERFACE_KEYS);
    expect(eth1).to.include({ name: 's1-eth1', port_number: 1, switch: dpid(1), type: 'interface', nni: false, uni: true, active: true, enabled: true, status: 'UP', link: '' });
    expect(s1.interfaces[intf(1, 4294967294)]).to.include({ name: 's1', speed: 0 });
    const all = (await get('/interfaces')).body.interfaces;
    expect(Object.keys(all)).to.include.members([intf(1, 1), intf(2, 3), intf(3, 2)]);
    const top = await get('/');
    expect(Object.keys(top.body)).to.deep.equal(['topology']);
    expect(Object.keys(top.body.topology)).to.deep.equal(['switches', 'links']);
    expect(top.headers.get('content-type')).to.include('application/json');
  });

  it('should show a port added at runtime, and drop it when removed', async () => {
    await ovs.addPort('s2', 's2-new', 7);
    await until(async () => (await get('/interfaces')).body.interfaces[intf(2, 7)]?.active, 10_000, 'the new port');
    await ovs.delPort('s2', 's2-new');
    await until(async () => !(await get('/interfaces')).body.interfaces[intf(2, 7)], 10_000, 'the port to go');
  });

  it('should make links from is.nni, DOWN until LINK_UP_TIMER, then UP with a new ETag', async () => {
    nni(intf(1, 2), intf(2, 2));
    nni(intf(2, 3), intf(3, 2));
    const first = await until(async () => {
      const r = await get('/links');
      return Object.keys(r.body.links).length === 2 ? r : undefined;
    }, 5000, 'two links').then((x) => x!);
    const link = first.body.links[L12];
    expect(Object.keys(link)).to.deep.equal(LINK_KEYS);
    expect(link.endpoint_a).to.include({ id: intf(1, 2), nni: true, uni: false, link: L12 });
    expect(link.endpoint_b.id).to.equal(intf(2, 2));
    const etag = first.headers.get('etag')!;
    expect(etag).to.be.a('string');
    expect(link).to.include({ status: 'DOWN', active: true, enabled: true });
    expect((await get('/links', { 'If-None-Match': etag })).status).to.equal(304);
    const up = await until(async () => {
      const r = await get('/links');
      return Object.values(r.body.links as Record<string, any>).every((l) => l.status === 'UP') ? r : undefined;
    }, 5000, 'both links UP').then((x) => x!);
    expect(up.headers.get('etag')).to.not.equal(etag);
    expect((await get('/links', { 'If-None-Match': up.headers.get('etag')! })).status).to.equal(304);
    const ups = () => c.events.filter((e) => e.name === 'kytos/topology.link_up' && (e.content.link as { id: string }).id === L12);
    await until(() => ups().length === 1, 2000, 'link_up');
    expect(ups()).to.have.length(1);
    const mp = await c.t.http.get(`${API}/links`, { msgpack: true });
    expect(mp.headers.get('content-type')).to.include('msgpack');
    expect(mp.body.links[L12].status).to.equal('UP');
  });

  it('should cascade a switch disable and answer Kytos-ng 404 / 409 messages', async () => {
    let r = await post(`/switches/${dpid(9)}/enable`);
    expect(r.status).to.equal(404);
    expect(r.body).to.deep.equal({ description: 'Switch not found', code: 404 });
    r = await post(`/switches/${dpid(1)}/disable`);
    expect([r.status, r.body]).to.deep.equal([201, 'Operation successful']);
    const t = (await get('/')).body.topology;
    expect(t.switches[dpid(1)].interfaces[intf(1, 1)]).to.include({ enabled: false, status: 'DISABLED' });
    expect(t.links[L12]).to.include({ enabled: false, status: 'DISABLED' });
    r = await post(`/switches/${dpid(1)}/enable`);
    expect(r.status).to.equal(201);
    expect((await get('/links')).body.links[L12].enabled).to.equal(false);
    await post(`/switches/${dpid(1)}/disable`);
    r = await post(`/interfaces/${intf(1, 99)}/enable`);
    expect([r.status, r.body.description]).to.deep.equal([409, 'Enable Switch first']);
    r = await post(`/links/${L12}/enable`);
    expect([r.status, r.body.description]).to.deep.equal([409, `${intf(1, 2)} needs enabling.`]);
    r = await post(`/links/nope/enable`);
    expect([r.status, r.body.description]).to.deep.equal([404, 'Link not found']);
    r = await del(`/switches/${dpid(1)}`);
    expect([r.status, r.body.description]).to.deep.equal([409, `Switch should not have links. Link found ${L12}.`]);
    r = await del(`/switches/${dpid(2)}`);
    expect([r.status, r.body.description]).to.deep.equal([409, 'Switch should be disabled.']);
    r = await del(`/interfaces/${intf(2, 1)}`);
    expect([r.status, r.body.description]).to.deep.equal([409, 'Interface could not be deleted. Reason: It is enabled or active.']);
    r = await del(`/links/${L23}`);
    expect([r.status, r.body.description]).to.deep.equal([409, 'Link is not disabled.']);
    // Back: switch, then its interfaces, then the link.
    expect((await post(`/switches/${dpid(1)}/enable`)).status).to.equal(201);
    r = await post(`/interfaces/switch/${dpid(1)}/enable`);
    expect([r.status, r.body]).to.deep.equal([200, 'Operation successful']);
    expect((await post(`/links/${L12}/enable`)).status).to.equal(201);
    await until(async () => (await get('/links')).body.links[L12].status === 'UP', 5000, 'the link UP again');
  });

  it('should add, show and remove metadata on switches, interfaces and links', async () => {
    for (const [kind, id] of [['switches', dpid(1)], ['interfaces', intf(1, 1)], ['links', L12]] as const) {
      let r = await post(`/${kind}/${id}/metadata`, { owner: 'ops', n: 1 });
      expect([r.status, r.body]).to.deep.equal([201, 'Operation successful']);
      r = await post(`/${kind}/${id}/metadata`, [1, 2]);
      expect(r.status).to.equal(400);
      r = await get(`/${kind}/${id}/metadata`);
      expect(r.body).to.deep.equal({ metadata: { owner: 'ops', n: 1 } });
      r = await del(`/${kind}/${id}/metadata/n`);
      expect(r.status).to.equal(200);
      r = await del(`/${kind}/${id}/metadata/zzz`);
      expect([r.status, r.body.description]).to.deep.equal([404, 'Metadata not found']);
    }
    expect((await get(`/switches/${dpid(9)}/metadata`)).status).to.equal(404);
    const r = await c.t.http.post(`${API}/switches/${dpid(1)}/metadata`, undefined, { raw: 'x=1', contentType: 'text/plain' });
    expect(r.status).to.equal(415);
  });

  it('should set VLAN tag ranges with Kytos validation and keep 3799 for LLDP', async () => {
    let r = await post(`/interfaces/${intf(1, 1)}/tag_ranges`, { tag_type: 'vlan', tag_ranges: [[1, 500], 2096, [3001]] });
    expect([r.status, r.body]).to.deep.equal([200, 'Operation Successful']);
    r = await post(`/interfaces/${intf(1, 1)}/tag_ranges`, { tag_type: 'vlan', tag_ranges: [[500, 1]] });
    expect(r.status).to.equal(400);
    r = await post(`/interfaces/${intf(1, 99)}/tag_ranges`, { tag_type: 'vlan', tag_ranges: [[1, 5]] });
    expect(r.status).to.equal(404);
    r = await get(`/interfaces/${intf(1, 1)}/tag_ranges`);
    expect(r.body[intf(1, 1)].tag_ranges).to.deep.equal({ vlan: [[1, 500], [2096, 2096], [3001, 3001]] });
    const other = (await get('/interfaces/tag_ranges')).body[intf(2, 1)];
    expect(other.available_tags).to.deep.equal({ vlan: [[1, 3798], [3800, 4094]] });
    expect(other.special_available_tags).to.deep.equal({ vlan: ['untagged', 'any'] });
  });

  it('should make the switch of a deleted bridge inactive', async () => {
    await ovs.delBridge('s3');
    const t = await until(async () => {
      const top = (await get('/')).body.topology;
      return top.switches[dpid(3)]?.active === false ? top : undefined;
    }, 10_000, 's3 inactive').then((x) => x!);
    expect(t.switches[dpid(3)]).to.include({ connection: '', status: 'DOWN' });
    expect(t.links[L23]).to.include({ active: false, status: 'DOWN' });
  });

  it('should take the switches of_core already serves when it is disabled and enabled again', async () => {
    expect((await c.t.http.post('/api/kytos/core/napps/kytos/topology/disable')).status).to.equal(200);
    expect((await get('/')).status).to.equal(404);
    expect((await c.t.http.post('/api/kytos/core/napps/kytos/topology/enable')).status).to.equal(200);
    const t = await until(async () => {
      const top = (await get('/')).body.topology;
      return top?.switches[dpid(1)]?.active && top.links[L12]?.status === 'UP' ? top : undefined;
    }, 10_000, 'switches and the link back without a reconnection').then((x) => x!);
    expect(t.switches[dpid(2)]).to.include({ active: true, status: 'UP' });
    expect(t.switches[dpid(1)].metadata).to.deep.equal({ owner: 'ops' });
  });

  it('should deliver each topology event exactly once to a WebSocket subscriber', async () => {
    const topo = () => c.events.slice(before0).filter((e) => e.name.startsWith('kytos/topology.'));
    await until(() => ws.received.filter((m) => m.name).length >= topo().length, 5000, 'the WebSocket to catch up');
    const seen = ws.received.filter((m) => typeof m.name === 'string').map((m) => m.id as string);
    expect(seen).to.deep.equal(topo().map((e) => e.id));
    expect(new Set(seen).size).to.equal(seen.length);
    expect(seen.length).to.be.greaterThan(10);
  });

  it('should keep admin state, metadata, links and tag ranges across a restart, inactive until switches reconnect', async () => {
    await c.stop();
    c = await startTopology(dataDir);
    let t = (await get('/')).body.topology;
    expect(t.switches[dpid(1)]).to.include({ active: false, enabled: true, status: 'DOWN' });
    expect(t.switches[dpid(1)].metadata).to.deep.equal({ owner: 'ops' });
    expect(t.switches[dpid(1)].interfaces[intf(1, 1)].metadata).to.deep.equal({ owner: 'ops' });
    expect(t.links[L12]).to.include({ active: false, status: 'DOWN' });
    expect(t.links[L12].metadata).to.deep.equal({ owner: 'ops' });
    const tags = (await get(`/interfaces/${intf(1, 1)}/tag_ranges`)).body[intf(1, 1)];
    expect(tags.tag_ranges).to.deep.equal({ vlan: [[1, 500], [2096, 2096], [3001, 3001]] });
    await ovs.setControllers(['s1', 's2'], c.t.openflowPort);
    t = await until(async () => {
      const top = (await get('/')).body.topology;
      return top.links[L12].status === 'UP' ? top : undefined;
    }, 15_000, 'the link UP after reconnection').then((x) => x!);
    expect(t.switches[dpid(1)].active).to.equal(true);
  });
});
