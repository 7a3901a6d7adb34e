import { expect } from 'chai';
import { setup } from 'xstate';
import { MailboxFullError } from '../../../src/errors/index.js';
import { defineNApp, type Message } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';
import { EmulatedSwitch } from '../../tools/switch-emulator.js';

const counted = defineNApp({
  manifest: { username: 'test', name: 'counted', version: '1.0.0' },
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
  routes: () => [
    { method: 'GET', access: 'read', path: 'v1/items/{id}', handler: (req) => ({ body: { id: req.params.id } }) },
    {
      method: 'GET', access: 'read',
      path: 'v1/busy',
      handler: () => {
        throw new MailboxFullError('test', 1);
      },
    },
  ],
});

type Metrics = Record<string, any>;

describe('metrics in GET /api/kytos/core/status/', function () {
  this.timeout(20_000);
  let t: TestController;
  let sw: EmulatedSwitch | undefined;
  const metrics = async (): Promise<Metrics> => (await t.http.get('/api/kytos/core/status/')).body.metrics;
  const requests = (m: Metrics, route: string, statusClass: string): number =>
    m.lattice_http_requests_total.find((s: any) => s.route === route && s.status_class === statusClass)?.value ?? 0;

  before(async () => {
    t = await createTestController({ napps: [counted], config: { actors: { restartBackoffMs: 10 } } });
  });
  after(async () => {
    sw?.close();
    await t?.stop();
  });

  it('should show every declared metric, unlabelled ones as numbers', async () => {
    const m = await metrics();
    for (const name of [
      'lattice_http_rejected_503_total',
      'lattice_actor_mailbox_refusals_total',
      'lattice_actor_crashes_total',
      'lattice_actor_restarts_total',
      'lattice_dead_letters',
      'lattice_switches_connected',
      'lattice_openflow_messages_in_total',
      'lattice_openflow_messages_out_total',
    ]) {
      expect(m[name], name).to.be.a('number');
    }
    expect(m.lattice_http_requests_total).to.be.an('array');
    expect(m.lattice_http_request_duration_seconds).to.deep.equal([]);
  });

  it('should count HTTP requests by route template and status class, and 503s', async () => {
    const before = await metrics();
    const route = 'GET /api/test/counted/v1/items/{id}';
    for (const id of ['1', '2', '3']) expect((await t.http.get(`/api/test/counted/v1/items/${id}`)).status).to.equal(200);
    expect((await t.http.get('/api/test/counted/v1/nothing')).status).to.equal(404);
    expect((await t.http.get('/api/test/counted/v1/busy')).status).to.equal(503);
    const after = await metrics();
    expect(requests(after, route, '2xx') - requests(before, route, '2xx')).to.equal(3);
    expect(requests(after, '', '4xx') - requests(before, '', '4xx')).to.equal(1);
    expect(requests(after, 'GET /api/test/counted/v1/busy', '5xx') - requests(before, 'GET /api/test/counted/v1/busy', '5xx')).to.equal(1);
    expect(after.lattice_http_rejected_503_total - before.lattice_http_rejected_503_total).to.equal(1);
    // The status requests themselves count under their own template (this answer counted the one before it).
    expect(requests(after, 'GET /api/kytos/core/status', '2xx')).to.be.greaterThan(0);
  });

  it('should count actor crashes and restarts, and dead letters', async () => {
    const before = await metrics();
    t.controller.system.tell('napp:test/counted', { type: 'explode' });
    await until(() => t.controller.system.info('napp:test/counted').restarts === 1, 3000, 'a restart');
    const after = await metrics();
    expect(after.lattice_actor_crashes_total - before.lattice_actor_crashes_total).to.equal(1);
    expect(after.lattice_actor_restarts_total - before.lattice_actor_restarts_total).to.equal(1);
    t.controller.system.tell('nobody', { type: 'lost' });
    expect((await metrics()).lattice_dead_letters - after.lattice_dead_letters).to.equal(1);
  });

  it('should count connected switches and OpenFlow messages in and out', async () => {
    const before = await metrics();
    expect(before.lattice_switches_connected).to.equal(0);
    sw = new EmulatedSwitch({ port: t.openflowPort, dpid: 0x71n });
    await sw.waitReady();
    await until(async () => (await metrics()).lattice_switches_connected === 1, 5000, 'one switch connected');
    const after = await metrics();
    // At least HELLO, FEATURES_REPLY, PORT_DESC and DESC replies in; HELLO, FEATURES_REQUEST, ... out.
    expect(after.lattice_openflow_messages_in_total - before.lattice_openflow_messages_in_total).to.be.at.least(3);
    expect(after.lattice_openflow_messages_out_total - before.lattice_openflow_messages_out_total).to.equal(sw.received.length);
    sw.close();
    await until(async () => (await metrics()).lattice_switches_connected === 0, 5000, 'switch gone');
  });
});
