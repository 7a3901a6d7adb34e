/**
 * kytos/maintenance end to end on real Open vSwitch (the mef_eline ring of
 * four bridges), windows a few seconds ahead on the real clock, every wait
 * polled and bounded: a window over a link moves a static EVC to its backup
 * path and back (ofproto/trace proves both); a window over a switch takes its
 * links DOWN; a controller restart in the middle of a window (a new controller
 * process on the same store) keeps it running, with no `link_up` for the
 * maintained link, the EVC's backup flows untouched (their dump-flows
 * durations still growing) and the window ending on time.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDataDir } from '../../../src/main.js';
import { createTestController, httpClient, wsClient, type TestController, type TestHttpClient, type TestWsClient } from '../../../src/sdk/test-kit.js';
import { freePort } from '../../env/mongo.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { startControllerProcess, type ControllerProcess } from '../../helpers/controller-process.js';
import { recordEvents } from '../../helpers/event-recorder.js';
import { until } from '../../helpers/log.js';
import { durations } from '../flow_manager/harness.js';
import { connectRing, dpid, EVC, intf, RING, ringLink, startRing } from '../mef_eline/harness.js';

const TOPO = '/api/kytos/topology/v3';
const MW = '/api/kytos/maintenance/v1';
/** The controller's NApps and fast settings, for the in-process controller and the restarted process alike. */
const CONFIG = {
  openflow: { echoIntervalMs: 1000 },
  napps: {
    enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline', 'kytos/maintenance'],
    settings: {
      'kytos/topology': { LINK_UP_TIMER: 0.2 },
      'kytos/of_core': { STATS_INTERVAL: 60 },
      'kytos/flow_manager': { CONSISTENCY_INTERVAL: 0.5, CONSISTENCY_MIN_VERDICT_INTERVAL: 1, WAIT_TIMEOUT: 3, BARRIER_TIMEOUT: 3, STATS_TIMEOUT: 3 },
    },
  },
};

/** `%Y-%m-%dT%H:%M:%S%z` in UTC of `ms` (a whole second). */
const kytosDate = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+0000`;
/** A whole second at least `ms` from now. */
const ahead = (ms: number) => Math.ceil((Date.now() + ms) / 1000) * 1000;
/** The bridges a trace passes through, in order (it follows patch ports). */
const bridges = (trace: string) => [...trace.matchAll(/^bridge\("([^"]+)"\)/gm)].map((m) => m[1]);
/** Static ends of the ring's link i, oriented from m<i+1> back to m<i> (the backup path walks the ring backwards). */
const back = (i: number) => ({ endpoint_a: { id: intf((i % 4) + 1, 3) }, endpoint_b: { id: intf(i, 2) } });

describe('kytos/maintenance with mef_eline on real Open vSwitch (ring of 4)', function () {
  this.timeout(120_000);
  let ovs: Ovs;
  let c: TestController | undefined;
  let proc: ControllerProcess | undefined;
  let api: TestHttpClient;
  let evc: string;
  const dataDir = tempDataDir();
  const FWD = 'pop_vlan,push_vlan(vid=20,pcp=0),m2-eth1';
  const UNI_A = 'in_port=m1-eth1,dl_vlan=10';

  const path = async () => ((await api.get(`${EVC}${evc}`)).body.current_path as { id: string }[]).map((l) => l.id);
  const links = async () => (await api.get(`${TOPO}/links`)).body.links as Record<string, { status: string; status_reason: string[]; active: boolean; enabled: boolean }>;
  const windowStatus = async (id: string) => JSON.parse((await api.get(`${MW}/${id}`)).text).status as string;
  const create = async (body: Record<string, unknown>) => {
    const r = await api.post(MW, body);
    expect(r.status, r.text).to.equal(201);
    return r.body.mw_id as string;
  };
  /** The EVC's flows on m3 (only the backup path crosses m3), with their durations. */
  const backupFlows = async () => new Map([...(await durations(ovs, 'm3'))].filter(([k]) => k.includes('cookie=0xaa')));
  /** A frame on the EVC's first UNI: its `Datapath actions:` (delivered tagged 20 on m2's UNI) and the bridges it crossed. */
  const traced = async () => {
    const trace = await ovs.trace('m1', UNI_A, ['--names']);
    const actions = trace.split('\n').find((l) => l.startsWith('Datapath actions:'))?.slice('Datapath actions:'.length).trim();
    return { actions, bridges: bridges(trace) };
  };
  const onPrimary = async () => {
    expect(await path()).to.deep.equal([ringLink(1)]);
    expect(await traced()).to.deep.equal({ actions: FWD, bridges: ['m1', 'm2'] });
  };
  const onBackup = async () => {
    expect(await path()).to.deep.equal([4, 3, 2].map(ringLink));
    expect(await traced()).to.deep.equal({ actions: FWD, bridges: ['m1', 'm4', 'm3', 'm2'] });
  };

  before(async function () {
    await skipWithoutOvs(this);
    c = await createTestController({ config: { ...CONFIG, store: { dataDir } } });
    api = c.http;
    ovs = await startRing();
    await connectRing(c, ovs);
    const r = await api.post(EVC, {
      name: 'maintained',
      uni_a: { interface_id: intf(1, 1), tag: { tag_type: 'vlan', value: 10 } },
      uni_z: { interface_id: intf(2, 1), tag: { tag_type: 'vlan', value: 20 } },
      primary_path: [{ endpoint_a: { id: intf(1, 2) }, endpoint_b: { id: intf(2, 3) } }],
      backup_path: [back(4), back(3), back(2)],
    });
    expect(r.status, r.text).to.equal(201);
    evc = r.body.circuit_id;
    await until(async () => (await api.get(`${EVC}${evc}`)).body.active === true, 10_000, 'EVC active');
    await onPrimary();
  });

  after(async () => {
    await c?.stop();
    await proc?.stop();
    await ovs?.stop();
  });

  it('moves a static EVC to its backup path at the start of a window over its link and back to the primary at its end', async () => {
    const start = ahead(2500);
    const end = start + 8000;
    const rec = recordEvents(c!.bus, ['kytos/topology\\.link_(up|down)', 'kytos/mef_eline\\.redeployed_link_(up|down)']);
    const id = await create({ start: kytosDate(start), end: kytosDate(end), links: [ringLink(1)] });
    await onPrimary();
    await until(async () => (await path()).length === 3, 10_000, 'on the backup path');
    expect(Date.now()).to.be.at.least(start);
    expect(await windowStatus(id)).to.equal('running');
    expect((await links())[ringLink(1)]).to.deep.include({ status: 'DOWN', status_reason: ['maintenance'] });
    await onBackup();
    await until(async () => (await path()).length === 1, end - Date.now() + 15_000, 'back on the primary path');
    expect(Date.now()).to.be.at.least(end);
    expect(await windowStatus(id)).to.equal('finished');
    await onPrimary();
    await until(async () => (await backupFlows()).size === 0, 10_000, 'backup path flows removed');
    rec.off();
    // link_down with the maintenance reason made mef_eline redeploy; link_up brought it back.
    expect(rec.events.map((e) => [e.name, (e.content as { link?: { id: string } }).link?.id ?? (e.content as { evc_id?: string }).evc_id, (e.content as { reason?: string }).reason])).to.deep.equal([
      ['kytos/topology.link_down', ringLink(1), 'maintenance'],
      ['kytos/mef_eline.redeployed_link_down', evc, undefined],
      ['kytos/topology.link_up', ringLink(1), 'maintenance'],
      ['kytos/mef_eline.redeployed_link_up', evc, undefined],
    ]);
  });

  it('takes every link of a switch DOWN with status_reason ["maintenance"] while its window runs, and back UP at its end', async () => {
    const start = ahead(2500);
    const end = start + 6000;
    const id = await create({ start: kytosDate(start), end: kytosDate(end), switches: [dpid(3)] });
    // m3's links: ring 2 (m2-m3) and ring 3 (m3-m4).
    await until(async () => (await links())[ringLink(2)]!.status === 'DOWN', 10_000, "m3's links DOWN");
    const during = await links();
    // As Kytos-ng shows them: DOWN for maintenance, still active and enabled.
    for (const i of [2, 3]) expect(during[ringLink(i)], `ring link ${i}`).to.deep.include({ status: 'DOWN', status_reason: ['maintenance'], active: true, enabled: true });
    for (const i of [1, 4]) expect(during[ringLink(i)], `ring link ${i}`).to.deep.include({ status: 'UP', status_reason: [] });
    const sw = (await api.get(`${TOPO}/switches`)).body.switches[dpid(3)];
    expect(sw).to.deep.include({ status: 'DOWN', status_reason: ['maintenance'], active: true, enabled: true });
    expect(await windowStatus(id)).to.equal('running');
    await until(async () => Object.values(await links()).every((l) => l.status === 'UP'), end - Date.now() + 15_000, 'every link UP again');
    expect(Date.now()).to.be.at.least(end);
    expect(await windowStatus(id)).to.equal('finished');
    await onPrimary();
  });

  /** A window over ring link 1 from 2.5 s ahead for `ms`, the EVC on its backup path; the backup flows' durations then. */
  const maintainRing1 = async (ms: number) => {
    const start = ahead(2500);
    const end = start + ms;
    const id = await create({ start: kytosDate(start), end: kytosDate(end), links: [ringLink(1)] });
    await until(async () => (await path()).length === 3, 10_000, 'on the backup path');
    await until(async () => (await backupFlows()).size > 0, 10_000, 'backup flows on m3');
    await onBackup();
    return { id, end, before: await backupFlows() };
  };

  /**
   * The restart: the running controller stops; a new process starts on the same store with
   * `enabled` NApps, on another OpenFlow port, so no switch reaches it before its events are
   * recorded (over the events WebSocket); then the ring is pointed at it and reconnects.
   */
  const restart = async (enabled: string[]) => {
    await c?.stop();
    c = undefined;
    await proc?.stop();
    const config = join(mkdtempSync(join(tmpdir(), 'lattice-mw-')), 'config.json');
    writeFileSync(config, JSON.stringify({ ...CONFIG, napps: { ...CONFIG.napps, enabled } }));
    const ofPort = await freePort();
    proc = await startControllerProcess({ LATTICE_CONFIG: config, LATTICE_DATA_DIR: dataDir, LATTICE_OPENFLOW_PORT: String(ofPort) });
    api = httpClient(proc.url);
    const ws: TestWsClient = await wsClient(`${proc.url.replace('http', 'ws')}/api/kytos/core/events/ws`);
    await ws.subscribe(['kytos/topology\\.link_(up|down)', 'kytos/mef_eline\\..*']);
    await ovs.setControllers(RING.map((i) => `m${i}`), ofPort);
    await until(async () => {
      const all = (await api.get(`${TOPO}/switches`)).body.switches as Record<string, { active: boolean }>;
      return RING.every((i) => all[dpid(i)]?.active);
    }, 20_000, 'the ring reconnected');
    await until(async () => {
      const l = await links();
      return [2, 3, 4].every((i) => l[ringLink(i)]?.status === 'UP');
    }, 15_000, 'the other ring links UP');
    const events = () => ws.received.filter((m) => typeof m?.name === 'string') as { name: string; content: any }[];
    const linkUps = (link: string) => events().filter((e) => e.name === 'kytos/topology.link_up' && e.content.link.id === link);
    return { ws, events, linkUps };
  };

  /** While the window runs after the restart: ring link 1 DOWN, never announced UP, the EVC's backup flows untouched, nothing moved. */
  const stillMaintained = async (r: Awaited<ReturnType<typeof restart>>, w: Awaited<ReturnType<typeof maintainRing1>>) => {
    expect((await links())[ringLink(1)]).to.deep.include({ status: 'DOWN', status_reason: ['maintenance'] });
    // The backup flows were not sent again: every one still there, its duration still growing.
    await until(async () => {
      const now = await backupFlows();
      return [...w.before].every(([k, d]) => (now.get(k) ?? 0) > d + 1);
    }, 15_000, 'backup flow durations growing past their value before the restart');
    expect([...(await backupFlows()).keys()].sort()).to.deep.equal([...w.before.keys()].sort());
    await onBackup();
    expect(Date.now(), 'still within the window').to.be.below(w.end);
    expect(r.linkUps(ringLink(1)), 'link_up of the maintained link during the window').to.deep.equal([]);
    expect(r.linkUps(ringLink(2)).length, 'the other links were announced').to.be.greaterThan(0);
    expect(r.events().filter((e) => e.name.startsWith('kytos/mef_eline.')).map((e) => e.name), 'no EVC moved').to.deep.equal([]);
  };

  /** The window ends (on time, or when ended): the link UP again (announced once), the EVC back on its primary path. */
  const ends = async (r: Awaited<ReturnType<typeof restart>>, w: Awaited<ReturnType<typeof maintainRing1>>, onTime: boolean) => {
    await until(async () => (await links())[ringLink(1)]!.status === 'UP', (onTime ? w.end - Date.now() : 0) + 15_000, 'the maintained link UP at the end');
    if (onTime) expect(Date.now()).to.be.at.least(w.end);
    expect(await windowStatus(w.id)).to.equal('finished');
    await until(async () => (await path()).length === 1, 10_000, 'back on the primary path');
    await onPrimary();
    expect(r.linkUps(ringLink(1))).to.have.length(1);
  };

  it('keeps a window running through a controller restart: no link_up for the maintained link, backup flows untouched, ends on time', async () => {
    // Long enough for a slow restart on a loaded machine: the checks must all happen within it.
    const w = await maintainRing1(40_000);
    const r = await restart(CONFIG.napps.enabled);
    try {
      expect(await windowStatus(w.id)).to.equal('running');
      await stillMaintained(r, w);
      await ends(r, w, true);
    } finally {
      r.ws.close();
    }
  });

  it('holds the interruption in topology across a restart even while maintenance is not yet running, until maintenance ends it (the worst order: maintenance enabled after the links settled)', async () => {
    const w = await maintainRing1(300_000);
    // The worst order: every switch back and its links settled before maintenance is enabled at all.
    const r = await restart(CONFIG.napps.enabled.filter((n) => n !== 'kytos/maintenance'));
    try {
      await stillMaintained(r, w);
      const enabled = await api.post('/api/kytos/core/napps/kytos/maintenance/enable');
      expect(enabled.status, enabled.text).to.equal(200);
      expect(await windowStatus(w.id)).to.equal('running');
      // Ended early through the API: topology releases what it held since before the restart.
      const ended = await api.patch(`${MW}/${w.id}/end`);
      expect([ended.status, ended.body]).to.deep.equal([200, { response: `Maintenance window ${w.id} finished` }]);
      await ends(r, w, false);
    } finally {
      r.ws.close();
    }
  });
});
