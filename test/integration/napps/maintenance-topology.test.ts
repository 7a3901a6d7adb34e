/**
 * kytos/maintenance through the real controller with the real kytos/topology
 * NApp (of_core's and of_lldp's events published on the bus, no switches): a
 * window a moment ahead over a switch takes its links DOWN with `maintenance`
 * and brings them back at its end; the API's text rendering and its refusals.
 */
import { expect } from 'chai';
import { interfaceIsNni, switchNew } from '../../../src/sdk/index.js';
import { createTestController, type TestController, type TestHttpClient } from '../../../src/sdk/test-kit.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { until } from '../../helpers/log.js';
import { dpid, switchJson } from '../../unit/napps/kytos/topology/fixtures.js';

const TOPO = '/api/kytos/topology/v3';
const MW = '/api/kytos/maintenance/v1';
const i = (sw: number, port: number) => `${dpid(sw)}:${port}`;
/** `%Y-%m-%dT%H:%M:%S%z` of `ms`, in the given offset (minutes east of UTC). */
function kytosDate(ms: number, offsetMin = 0): string {
  const d = new Date(Math.floor(ms / 1000) * 1000 + offsetMin * 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const off = Math.abs(offsetMin);
  return `${d.toISOString().slice(0, 19)}${sign}${String(Math.floor(off / 60)).padStart(2, '0')}${String(off % 60).padStart(2, '0')}`;
}

describe('kytos/maintenance with kytos/topology', function () {
  this.timeout(30_000);
  let t: TestController;
  let http: TestHttpClient;
  // s1:2-s2:3, s2:2-s3:3: a chain; s1 in maintenance takes l12 only.
  const pairs: [string, string][] = [
    [i(1, 2), i(2, 3)],
    [i(2, 2), i(3, 3)],
  ];
  const [l12, l23] = pairs.map(([a, b]) => linkId(a, b)) as [string, string];
  const link = async (id: string) => (await t.http.get(`${TOPO}/links`)).body.links[id] as { status: string; status_reason: string[] };

  before(async () => {
    t = await createTestController({
      config: { napps: { enabled: ['kytos/topology', 'kytos/maintenance'], settings: { 'kytos/topology': { LINK_UP_TIMER: 0 } } } },
    });
    http = await t.asAdmin();
    for (const n of [1, 2, 3]) t.bus.publish(switchNew.type, { switch: switchJson(n, [1, 2, 3]) } as never);
    for (const [a, b] of pairs) t.bus.publish(interfaceIsNni.type, { interface_a: { id: a }, interface_b: { id: b } });
    await until(async () => Object.values((await t.http.get(`${TOPO}/links`)).body.links).filter((l: any) => l.status === 'UP').length === 2, 5000, 'two links UP');
  });
  after(async () => {
    await t?.stop();
  });

  it("takes a switch's links DOWN with `maintenance` at the window's start and back UP at its end", async () => {
    const start = Date.now() + 2000;
    // Given in -03:00: stored and shown in UTC.
    const res = await http.post(MW, { start: kytosDate(start, -180), end: kytosDate(start + 2000, -180), switches: [dpid(1)], description: 'swap optics' });
    expect(res.status).to.equal(201);
    const id = res.body.mw_id as string;
    expect(id).to.match(/^[0-9a-f]{32}$/);
    const pending = await t.http.get(`${MW}/${id}`);
    expect(pending.body).to.include({ status: 'pending', start: kytosDate(start), end: kytosDate(start + 2000), description: 'swap optics' });
    expect((await link(l12)).status).to.equal('UP');

    const down = await until(async () => {
      const l = await link(l12);
      return l.status === 'DOWN' ? l : undefined;
    }, 8000, 'l12 DOWN');
    expect(down!.status_reason).to.deep.equal(['maintenance']);
    expect((await link(l23)).status).to.equal('UP');
    expect((await t.http.get(`${MW}/${id}`)).body.status).to.equal('running');

    await until(async () => (await link(l12)).status === 'UP', 8000, 'l12 UP again');
    expect((await link(l12)).status_reason).to.deep.equal([]);
    await until(async () => (await t.http.get(`${MW}/${id}`)).body.status === 'finished', 5000, 'the window finished');
  });

  it('renders GET as JSON text with a trailing newline and %z dates', async () => {
    const res = await fetch(`http://127.0.0.1:${t.port}${MW}`);
    const text = await res.text();
    expect(res.status).to.equal(200);
    expect(text.endsWith(']\n')).to.equal(true);
    expect(JSON.parse(text)[0].start).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
  });

  it("refuses bad input with Kytos-ng's messages and stores nothing", async () => {
    const before = JSON.parse(await (await fetch(`http://127.0.0.1:${t.port}${MW}`)).text()).length;
    const future = (s: number) => kytosDate(Date.now() + s * 1000);
    const cases: [object, number, string][] = [
      [{ start: future(60), end: future(120), switches: ['00:00:00:00:00:00:00:99'] }, 400, "Window contains non-existant items: {'switches': ['00:00:00:00:00:00:00:99'], 'interfaces': [], 'links': []}"],
      [{ start: kytosDate(Date.now() - 60_000), switches: [dpid(1)] }, 400, 'start: Value error, Start in the past not allowed'],
      [{ start: future(120), end: future(60), switches: [dpid(1)] }, 400, 'end: Value error, End before start not allowed'],
      [{ start: future(60), end: future(120), switches: [dpid(1)], status: 'running' }, 400, 'Setting a maintenance status is not allowed'],
      [{ start: future(60), end: future(120) }, 400, ': Value error, At least one item must be provided'],
    ];
    for (const [body, status, description] of cases) {
      const res = await http.post(MW, body);
      expect([res.status, res.body.description]).to.deep.equal([status, description]);
    }
    const ok = await http.post(MW, { id: 'fixed', start: future(600), end: future(660), links: [l23] });
    expect(ok.body).to.deep.equal({ mw_id: 'fixed' });
    const dup = await http.post(MW, { id: 'fixed', start: future(900), end: future(960), links: [l23] });
    expect([dup.status, dup.body.description]).to.deep.equal([409, 'Window with id: fixed already exists']);
    const extra = await http.patch(`${MW}/fixed/extend`, { minutes: 1, weeks: 1 });
    expect([extra.status, extra.body.description]).to.deep.equal([400, "The request body contains invalid API data., Additional properties are not allowed ('weeks' was unexpected) for field ."]);
    const negative = await http.patch(`${MW}/fixed/extend`, { minutes: -1 });
    expect([negative.status, negative.body.description]).to.deep.equal([400, 'The request body contains invalid API data., -1 is less than the minimum of 0 for field minutes.']);
    const pendingExtend = await http.patch(`${MW}/fixed/extend`, { minutes: 1 });
    expect([pendingExtend.status, pendingExtend.body.description]).to.deep.equal([400, 'Maintenance window fixed has not yet started']);
    for (const [method, path] of [['DELETE', `${MW}/nope`], ['GET', `${MW}/nope`], ['PATCH', `${MW}/nope/end`]] as const) {
      const missing = await http.request(method, path);
      expect([missing.status, missing.body.description], `${method} ${path}`).to.deep.equal([404, 'Maintenance with id nope not found']);
    }
    const unknownExtend = await http.patch(`${MW}/nope/extend`, { minutes: 1 });
    expect([unknownExtend.status, unknownExtend.body.description]).to.deep.equal([404, 'Maintenance with id nope not found']);
    for (const [method, path, body] of [['POST', MW, {}], ['POST', MW, [1]], ['PATCH', `${MW}/fixed`, {}]] as const) {
      const empty = await http.request(method, path, { json: body });
      expect([empty.status, empty.body.description], `${method} ${path} ${JSON.stringify(body)}`).to.deep.equal([400, `Invalid json body value: ${Array.isArray(body) ? '[1]' : '{}'}`]);
    }
    // Kytos-ng's openapi.yml lists POST v1/report, but it has no handler.
    expect((await http.post(`${MW}/report`, { start: future(60), switches: [dpid(1)] })).status).to.equal(405);
    expect((await http.delete(`${MW}/fixed`)).body).to.deep.equal({ response: 'Maintenance with id fixed successfully removed' });
    expect(JSON.parse(await (await fetch(`http://127.0.0.1:${t.port}${MW}`)).text()).length).to.equal(before);
  });

  it('takes items topology does not know with ignore_no_exists', async () => {
    const start = kytosDate(Date.now() + 600_000);
    const res = await http.post(MW, { start, switches: ['00:00:00:00:00:00:00:99'], ignore_no_exists: true });
    expect(res.status, res.text).to.equal(201);
    const w = JSON.parse((await t.http.get(`${MW}/${res.body.mw_id}`)).text);
    expect(w).to.deep.include({ switches: ['00:00:00:00:00:00:00:99'], status: 'pending', end: '9999-12-31T23:59:59+0000' });
    expect((await http.delete(`${MW}/${res.body.mw_id}`)).status).to.equal(200);
  });
});

describe('kytos/maintenance among the default NApps, without mef_eline', function () {
  this.timeout(30_000);
  it('starts cleanly with of_core, topology, flow_manager and pathfinder and lists no window', async () => {
    const t = await createTestController({
      config: { napps: { enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/maintenance'] } },
    });
    try {
      // Asked at once: an ask that comes while the windows load waits for them.
      const list = await t.http.get(MW);
      expect([list.status, list.text]).to.deep.equal([200, '[]\n']);
      const status = await t.http.get('/api/kytos/core/status/');
      expect(status.body.napps['kytos/maintenance']).to.equal('running');
      expect(status.body.napps_failed).to.deep.equal({});
    } finally {
      await t.stop();
    }
  });
});
