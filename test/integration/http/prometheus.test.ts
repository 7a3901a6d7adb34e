import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { setup } from 'xstate';
import { METRICS } from '../../../src/metrics/definitions.js';
import { defineNApp, metricsService, type Message } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';
import { EmulatedSwitch } from '../../tools/switch-emulator.js';

/** The slow route's handlers still running: call one to answer it. */
const slowRunning: (() => void)[] = [];

const exporter = defineNApp({
  manifest: { username: 'test', name: 'exporter', version: '1.0.0' },
  machine: () =>
    setup({ types: { events: {} as Message } }).createMachine({
      on: {
        explode: {
          actions: () => {
            throw new Error('behaviour bug');
          },
        },
      },
    }),
  routes: (ctx) => [
    { method: 'GET', access: 'read', path: 'v1/switches/{dpid}', handler: (req) => ({ body: { dpid: req.params.dpid } }) },
    {
      method: 'GET',
      access: 'read',
      path: 'v1/slow',
      concurrency: 1,
      mailbox: 1,
      handler: () => new Promise((resolve) => slowRunning.push(() => resolve({ body: { slow: true } }))),
    },
    {
      method: 'POST',
      access: 'write',
      path: 'v1/things/{id}',
      handler: async (req) => {
        await ctx.store.collection<{ id: string }>('things', { key: 'id' }).put({ id: req.params.id! });
        return { status: 201, body: {} };
      },
    },
    {
      method: 'POST',
      access: 'write',
      path: 'v1/invalid',
      handler: async () => {
        // A negative bigint is refused by both adapters (STORE_INVALID, 400).
        await ctx.store.collection<{ id: string; n: bigint }>('things', { key: 'id' }).put({ id: 'bad', n: -1n });
        return { status: 201, body: {} };
      },
    },
    {
      method: 'POST',
      access: 'write',
      path: 'v1/flows/{state}/{n}',
      handler: (req) => {
        ctx.service(metricsService).setFlows(req.params.state!, Number(req.params.n));
        return { body: {} };
      },
    },
  ],
});

/**
 * A scrape parsed twice: as served (families and their types), and with the
 * histograms' TYPE lines read as untyped, so that their `_bucket`, `_sum` and
 * `_count` lines keep their labels (the parser flattens labelled histograms).
 */
interface Families {
  get(name: string): PromFamily | undefined;
  samples: Map<string, PromFamily>;
}

function parse(text: string): Families {
  const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  const untyped = parsePrometheusTextFormat(text.replace(/^(# TYPE \S+) histogram$/gm, '$1 untyped'));
  // Untyped, each run of lines of one name is a family of its own (a labelled histogram interleaves
  // _bucket, _sum and _count per series): gather them by name.
  const samples = new Map<string, PromFamily>();
  for (const f of untyped) {
    const seen = samples.get(f.name);
    if (seen) seen.metrics.push(...f.metrics);
    else samples.set(f.name, { ...f, metrics: [...f.metrics] });
  }
  return { get: (name) => families.get(name), samples };
}

/** The value of the sample of `name` (a histogram's `_count` for a histogram) whose labels include `labels` (0 when absent). */
function value(f: Families, name: string, labels: Record<string, string> = {}): number {
  const family = f.samples.get(f.get(name)?.type === 'HISTOGRAM' ? `${name}_count` : name);
  const m = family?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  return m ? Number(m.value) : 0;
}

/** How many series a family has (a histogram's: its `_count` lines). */
const seriesOf = (f: Families, name: string): number =>
  (f.samples.get(f.get(name)?.type === 'HISTOGRAM' ? `${name}_count` : name)?.metrics.length ?? 0);

describe('GET /metrics (Prometheus text format)', function () {
  this.timeout(30_000);
  let t: TestController;
  let sw: EmulatedSwitch | undefined;
  const scrape = async (): Promise<Families> => {
    const res = await t.http.get('/metrics');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    return parse(res.text);
  };

  before(async () => {
    // Keepalive echoes every 50 ms, so that a connected switch soon shows round trips.
    t = await createTestController({ napps: [exporter], config: { openflow: { echoIntervalMs: 50 }, actors: { restartBackoffMs: 10 } } });
  });
  after(async () => {
    sw?.close();
    await t?.stop();
  });

  it('should parse, with every declared family and its type', async () => {
    const f = await scrape();
    for (const [name, type] of [
      ['lattice_http_requests_total', 'COUNTER'],
      ['lattice_http_rejected_503_total', 'COUNTER'],
      ['lattice_actor_crashes_total', 'COUNTER'],
      ['lattice_actor_restarts_total', 'COUNTER'],
      ['lattice_dead_letters', 'GAUGE'],
      ['lattice_switches_connected', 'GAUGE'],
      ['lattice_event_loop_lag_seconds', 'GAUGE'],
      ['lattice_heap_used_bytes', 'GAUGE'],
      ['lattice_websocket_clients', 'GAUGE'],
    ] as const) {
      expect(f.get(name)?.type, name).to.equal(type);
    }
    // Histograms appear once observed; the request that scraped was counted after it was answered.
    const again = await scrape();
    expect(again.get('lattice_http_request_duration_seconds')?.type).to.equal('HISTOGRAM');
    expect(value(again, 'lattice_http_requests_total', { route: 'GET /metrics', status_class: '2xx' })).to.be.at.least(1);
  });

  it('should count requests and time them by route template: 1,000 dpids make no new series', async () => {
    await t.http.get('/api/test/exporter/v1/switches/00:00:00:00:00:00:00:00');
    const before = await scrape();
    const seriesBefore = seriesOf(before, 'lattice_http_requests_total') + seriesOf(before, 'lattice_http_request_duration_seconds');
    expect(seriesOf(before, 'lattice_http_request_duration_seconds')).to.be.greaterThan(0);
    for (let i = 1; i <= 1000; i++) {
      const dpid = i.toString(16).padStart(16, '0').replace(/(..)(?!$)/g, '$1:');
      expect((await t.http.get(`/api/test/exporter/v1/switches/${dpid}`)).status).to.equal(200);
    }
    const after = await scrape();
    const seriesAfter = seriesOf(after, 'lattice_http_requests_total') + seriesOf(after, 'lattice_http_request_duration_seconds');
    expect(seriesAfter).to.equal(seriesBefore);
    const route = { route: 'GET /api/test/exporter/v1/switches/{dpid}' };
    expect(value(after, 'lattice_http_requests_total', { ...route, status_class: '2xx' }) - value(before, 'lattice_http_requests_total', { ...route, status_class: '2xx' })).to.equal(1000);
    expect(value(after, 'lattice_http_request_duration_seconds', route) - value(before, 'lattice_http_request_duration_seconds', route)).to.equal(1000);
    expect(after.samples.get('lattice_http_requests_total')!.metrics.some((m) => /00:00:00/.test(m.labels?.route ?? ''))).to.equal(false);
  });

  it('should count a 503 and the route mailbox refusal behind it', async () => {
    const before = await scrape();
    // concurrency 1, mailbox 1: one running, one queued, the third refused.
    const pending = [0, 1].map(() => t.http.get('/api/test/exporter/v1/slow'));
    const queued = () => t.controller.system.list().find((a) => a.kind === 'route' && a.name.includes('/test/exporter/v1/slow'))!.mailbox.depth;
    await until(() => slowRunning.length === 1 && queued() === 1, 10_000, 'one slow request running and one queued');
    const depth = await scrape();
    expect(value(depth, 'lattice_actor_mailbox_depth', { kind: 'route' })).to.be.at.least(1);
    expect((await t.http.get('/api/test/exporter/v1/slow')).status).to.equal(503);
    const after = await scrape();
    expect(value(after, 'lattice_http_rejected_503_total') - value(before, 'lattice_http_rejected_503_total')).to.equal(1);
    expect(value(after, 'lattice_actor_mailbox_refusals_total', { kind: 'route' }) - value(before, 'lattice_actor_mailbox_refusals_total', { kind: 'route' })).to.equal(1);
    expect(value(after, 'lattice_dead_letters') - value(before, 'lattice_dead_letters')).to.equal(1);
    for (let i = 0; i < 2; i++) {
      await until(() => slowRunning.length > 0, 10_000, `slow request ${i + 1} to run`);
      slowRunning.shift()!();
    }
    await Promise.all(pending);
  });

  it('should count an actor crash and its restart', async () => {
    const before = await scrape();
    t.controller.system.tell('napp:test/exporter', { type: 'explode' });
    await until(() => t.controller.system.info('napp:test/exporter').restarts === 1, 3000, 'a restart');
    const after = await scrape();
    expect(value(after, 'lattice_actor_crashes_total') - value(before, 'lattice_actor_crashes_total')).to.equal(1);
    expect(value(after, 'lattice_actor_restarts_total') - value(before, 'lattice_actor_restarts_total')).to.equal(1);
  });

  it('should show a switch connecting, and OpenFlow messages by type', async () => {
    const before = await scrape();
    expect(value(before, 'lattice_switches_connected')).to.equal(0);
    sw = new EmulatedSwitch({ port: t.openflowPort, dpid: 0x72n });
    await sw.waitReady();
    await until(async () => value(await scrape(), 'lattice_switches_connected') === 1, 5000, 'one switch connected');
    const after = await scrape();
    expect(value(after, 'lattice_openflow_messages_in_total', { type: 'hello' }) - value(before, 'lattice_openflow_messages_in_total', { type: 'hello' })).to.equal(1);
    expect(value(after, 'lattice_openflow_messages_in_total', { type: 'features_reply' })).to.be.at.least(1);
    expect(value(after, 'lattice_openflow_messages_out_total', { type: 'features_request' })).to.be.at.least(1);
    await until(async () => value(await scrape(), 'lattice_openflow_echo_rtt_seconds') >= 2, 5000, 'echo round trips timed');
    const echoed = await scrape();
    expect(echoed.get('lattice_openflow_echo_rtt_seconds')?.type).to.equal('HISTOGRAM');
    const sum = Number(echoed.samples.get('lattice_openflow_echo_rtt_seconds_sum')!.metrics[0]!.value);
    expect(sum).to.be.greaterThan(0).and.lessThan(5);
    sw.close();
    await until(async () => value(await scrape(), 'lattice_switches_connected') === 0, 5000, 'switch gone');
  });

  it('should time store operations and count their errors, show flows by state as a NApp sets them, and count WebSocket clients', async () => {
    const before = await scrape();
    expect((await t.http.post('/api/test/exporter/v1/things/a')).status).to.equal(201);
    expect((await t.http.post('/api/test/exporter/v1/flows/installed/7')).status).to.equal(200);
    const ws = await t.ws();
    await until(async () => value(await scrape(), 'lattice_websocket_clients') === value(before, 'lattice_websocket_clients') + 1, 5000, 'a WebSocket client');
    const after = await scrape();
    // The NApp's put, and the audit log's of each write (auth).
    expect(value(after, 'lattice_store_operation_duration_seconds', { op: 'put' }) - value(before, 'lattice_store_operation_duration_seconds', { op: 'put' })).to.be.at.least(1);
    expect((await t.http.post('/api/test/exporter/v1/invalid')).status).to.equal(400);
    const failed = await scrape();
    expect(value(failed, 'lattice_store_errors_total', { op: 'put', code: 'STORE_INVALID' })).to.equal(1);
    expect(value(after, 'lattice_flows', { state: 'installed' })).to.equal(7);
    expect(value(after, 'lattice_event_loop_lag_seconds')).to.be.at.least(0);
    ws.close();
  });

  it('should count a failed login and the 401, a successful login, and a refused token', async () => {
    const before = await scrape();
    const login = '/api/kytos/core/auth/login/';
    const basic = (u: string, p: string) => ({ headers: { authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` } });
    expect((await t.http.get(login, basic('nobody', 'Wrong1234'))).status).to.equal(401);
    const admin = await t.asAdmin();
    expect((await admin.get('/api/kytos/core/auth/users/')).status).to.equal(200);
    expect((await t.http.get('/api/kytos/core/auth/users/', { headers: { authorization: 'Bearer not.a.token' } })).status).to.equal(401);
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(moved('lattice_auth_logins_total', { result: 'failed' })).to.equal(1);
    expect(moved('lattice_auth_logins_total', { result: 'ok' })).to.be.at.least(1);
    expect(moved('lattice_auth_refused_total', { status: '401' })).to.equal(2);
  });

  it('should count a switch closed for going past its malformed-message budget', async () => {
    const before = await scrape();
    const bad = new EmulatedSwitch({ port: t.openflowPort, dpid: 0x73n });
    try {
      await bad.waitReady();
      const frames = Array.from({ length: 150 }, (_, i) => {
        const b = Buffer.alloc(12);
        b.writeUInt8(0x04, 0);
        b.writeUInt8(0xf0, 1); // no such message type
        b.writeUInt16BE(12, 2);
        b.writeUInt32BE(300_000 + i, 4);
        return b;
      });
      bad.sendRaw(Buffer.concat(frames));
      await until(() => bad.closed, 10_000, 'the peer closed');
      await until(async () => value(await scrape(), 'lattice_southbound_refused_total', { reason: 'malformed_budget' }) === value(before, 'lattice_southbound_refused_total', { reason: 'malformed_budget' }) + 1, 5000, 'the refusal counted');
    } finally {
      bad.close();
    }
  });

  it('should show flows by state as flow_manager installs and deletes them (counted, not scanned)', async () => {
    const fm = await createTestController({ config: { napps: { enabled: ['kytos/of_core', 'kytos/flow_manager'] } } });
    const one = new EmulatedSwitch({ port: fm.openflowPort, dpid: 0x74n });
    try {
      await one.waitReady();
      const dpid = '00:00:00:00:00:00:00:74';
      const flows = async () => {
        const res = await fm.http.get('/metrics');
        const f = parse(res.text);
        return { pending: value(f, 'lattice_flows', { state: 'pending' }), installed: value(f, 'lattice_flows', { state: 'installed' }), deleted: value(f, 'lattice_flows', { state: 'deleted' }) };
      };
      expect(await flows()).to.deep.equal({ pending: 0, installed: 0, deleted: 0 });
      await until(() => fm.controller.southbound.list().length === 1, 5000, 'the switch ready');
      const body = { flows: [1, 2, 3].map((p) => ({ priority: 10, match: { in_port: p }, actions: [{ action_type: 'output', port: 4 }] })) };
      expect((await fm.http.post(`/api/kytos/flow_manager/v2/flows/${dpid}?wait=installed`, body)).status).to.equal(201);
      expect(await flows()).to.deep.equal({ pending: 0, installed: 3, deleted: 0 });
      const del = await fm.http.delete(`/api/kytos/flow_manager/v2/flows/${dpid}?wait=installed`, { flows: [{ match: { in_port: 2 } }] });
      expect(del.status, del.text).to.equal(201);
      expect(await flows()).to.deep.equal({ pending: 0, installed: 2, deleted: 1 });
    } finally {
      one.close();
      await fm.stop();
    }
  });

  it('should show the event loop held up', async () => {
    // The controller runs in this process: a synchronous 1,250 ms holds its event loop too. Its
    // monitor's 1 s timer then runs at least 250 ms late, wherever in its period the hold began.
    const t0 = performance.now();
    while (performance.now() - t0 < 1250) {
      // busy
    }
    await until(async () => value(await scrape(), 'lattice_event_loop_lag_seconds') >= 0.2, 5000, 'the lag seen');
  });

  it('should show every declared family once its cause has happened', async () => {
    const f = await scrape();
    // Causes not produced by this controller: LLDP rejections (of_lldp's tests read the same registry through core/status).
    const elsewhere = new Set(['lattice_lldp_frames_rejected_total']);
    for (const m of Object.values(METRICS)) {
      expect(f.get(m.name)?.type, m.name).to.equal(m.type.toUpperCase());
      if (!elsewhere.has(m.name)) expect(seriesOf(f, m.name), `${m.name} has a sample`).to.be.greaterThan(0);
    }
  });

  it('should serve every metric the Grafana dashboard queries (config/grafana-dashboard.json)', async () => {
    const f = await scrape();
    const dashboard = JSON.parse(readFileSync(new URL('../../../config/grafana-dashboard.json', import.meta.url), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const names = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/lattice_[a-z0-9_]+/g)].map((m) => m[0]))));
    expect(names.size).to.be.greaterThan(10);
    for (const name of names) {
      // A histogram's _bucket, _sum and _count are lines of its family.
      const family = f.get(name) ?? f.get(name.replace(/_(bucket|sum|count)$/, ''));
      expect(family, name).to.not.equal(undefined);
      if (family!.name !== name) expect(family!.type, name).to.equal('HISTOGRAM');
      expect(f.samples.has(name) || f.samples.has(`${name}_count`) || f.samples.has(name.replace(/_(bucket|sum|count)$/, '')), name).to.equal(true);
    }
  });

  it('should keep /metrics behind a token when reads are protected', async () => {
    const p = await createTestController({ config: { auth: { protectReads: true } } });
    try {
      const admin = await p.asAdmin();
      expect((await p.http.get('/metrics')).status).to.equal(401);
      const ok = await admin.get('/metrics');
      expect(ok.status).to.equal(200);
      expect(parse(ok.text).get('lattice_http_requests_total')?.type).to.equal('COUNTER');
    } finally {
      await p.stop();
    }
  });

  it('should not serve /metrics when metrics.enabled is false', async () => {
    const off = await createTestController({ config: { metrics: { enabled: false } } });
    try {
      expect((await off.http.get('/metrics')).status).to.equal(404);
    } finally {
      await off.stop();
    }
  });
});
