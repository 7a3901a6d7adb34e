import { expect } from 'chai';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';

describe('Core API (/api/kytos/core)', function () {
  let t: TestController;
  before(async () => {
    t = await createTestController({ config: { auth: { jwtSecret: 'do-not-show-me' } } });
  });
  after(async () => t?.stop());

  it('should report status with mailbox depths in place of buffer sizes', async () => {
    const res = await t.http.get('/api/kytos/core/status/');
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ response: 'running', system_status: 'running' });
    expect(res.body.uptime_seconds).to.be.a('number');
    expect(new Date(res.body.started_at).getTime()).to.be.greaterThan(0);
    expect(res.body.buffers_qsize).to.have.property('route');
    expect(res.body.store).to.deep.equal({ backend: 'embedded', up: true });
  });

  it('should show the config without secrets', async () => {
    const res = await t.http.get('/api/kytos/core/config');
    expect(res.body.http.maxBodyBytes).to.equal(1_048_576);
    expect(res.text).not.to.contain('do-not-show-me');
    expect(res.body.auth).to.not.have.any.keys('jwtSecret', 'jwtPreviousSecret');
    expect(res.body.auth.tokenExpirationMinutes).to.equal(180);
    expect(res.body.store).not.to.have.property('mongodbUri');
  });

  it('should give metadata', async () => {
    const res = await t.http.get('/api/kytos/core/metadata/');
    expect(res.body).to.have.keys('__version__', '__author__', '__author_email__', '__license__', '__url__', '__description__');
  });

  it('should list installed NApps, enable and disable one (POST; the Kytos GET form is off: 405)', async () => {
    const installed = await t.http.get('/api/kytos/core/napps_installed');
    expect(installed.body.napps).to.deep.include(['lattice', 'hello']);
    expect((await t.http.get('/api/kytos/core/napps_enabled')).body).to.deep.equal({ napps: [] });
    expect((await t.http.get('/api/lattice/hello/v1/greetings/count')).status).to.equal(404);

    const enabled = await t.http.post('/api/kytos/core/napps/lattice/hello/enable');
    expect(enabled.status).to.equal(200);
    expect(enabled.body).to.deep.equal({ response: 'enabled' });
    expect((await t.http.get('/api/kytos/core/napps_enabled')).body).to.deep.equal({ napps: [['lattice', 'hello']] });
    const greeted = await t.http.post('/api/lattice/hello/v1/greetings', { name: 'ada' });
    expect(greeted.status).to.equal(201);
    expect(greeted.body).to.deep.equal({ greeting: 'Hello, ada!', count: 1 });

    expect((await t.http.get('/api/kytos/core/napps/lattice/hello/disable')).status).to.equal(405);
    const disabled = await t.http.post('/api/kytos/core/napps/lattice/hello/disable');
    expect(disabled.body).to.deep.equal({ response: 'disabled' });
    expect((await t.http.get('/api/lattice/hello/v1/greetings/count')).status).to.equal(404);
    expect((await t.http.post('/api/kytos/core/napps/lattice/hello/enable')).body).to.deep.equal({ response: 'enabled' });
    expect((await t.http.get('/api/lattice/hello/v1/greetings/count')).body).to.deep.equal({ count: 0 });

    const missing = await t.http.post('/api/kytos/core/napps/nobody/nothing/enable');
    expect(missing.status).to.equal(400);
    expect(missing.body).to.deep.equal({ response: 'not installed' });
  });

  it('should give NApp metadata by key', async () => {
    expect((await t.http.get('/api/kytos/core/napps/lattice/hello/metadata/version')).body).to.deep.equal({ version: '1.0.0' });
    const bad = await t.http.get('/api/kytos/core/napps/lattice/hello/metadata/secret');
    expect(bad.status).to.equal(400);
    expect(bad.body.description).to.equal('Invalid key.');
    expect((await t.http.get('/api/kytos/core/napps/no/napp/metadata/version')).body.description).to.equal('NApp is not installed.');
  });

  it('should list, re-inject and delete dead letters', async () => {
    for (let i = 0; i < 3; i++) t.controller.system.tell('nobody', { type: 'lost', i });
    const all = (await t.http.get('/api/kytos/core/dead_letter/')).body;
    const bucket = all['lattice/actor.nobody.lost'];
    expect(Object.keys(bucket)).to.have.length(3);
    const [first, second] = Object.keys(bucket);
    expect(bucket[first!]).to.include({ id: first, name: 'lattice/actor.nobody.lost', reinjections: 0 });

    const only = (await t.http.get('/api/kytos/core/dead_letter/?event_name=lattice/actor.nobody.lost')).body;
    expect(Object.keys(only)).to.deep.equal(['lattice/actor.nobody.lost']);

    const notFound = await t.http.patch('/api/kytos/core/dead_letter/', { event_name: 'lattice/actor.nobody.lost', ids: ['nope'] });
    expect(notFound.status).to.equal(404);
    const badBody = await t.http.patch('/api/kytos/core/dead_letter/', { ids: [] });
    expect(badBody.status).to.equal(400);

    // Re-injecting to an actor that still does not exist lands it in dead letters again.
    const patched = await t.http.patch('/api/kytos/core/dead_letter/', { event_name: 'lattice/actor.nobody.lost', ids: [first], kytos_queue_buffer: 'app' });
    expect(patched.status).to.equal(200);
    expect(patched.body).to.deep.equal({});

    const del = await t.http.delete('/api/kytos/core/dead_letter/', { event_name: 'lattice/actor.nobody.lost', ids: [second] });
    expect(del.body).to.deep.equal({});
    const after = (await t.http.get('/api/kytos/core/dead_letter/')).body['lattice/actor.nobody.lost'];
    expect(Object.keys(after)).to.have.length(2);
    expect(Object.keys(after)).not.to.include(second);
    await t.http.delete('/api/kytos/core/dead_letter/', { event_name: 'all' });
    expect((await t.http.get('/api/kytos/core/dead_letter/')).body).to.deep.equal({});
  });

  it('should re-inject a dead bus event through the bus', async () => {
    t.controller.system.spawn('sink-x', (await import('xstate')).setup({}).createMachine({}), { mailbox: 1, accepts: () => false });
    t.bus.subscribe('sink-x', ['lattice/test\\.dl']);
    t.bus.publish('lattice/test.dl', { n: 1 });
    const lost = t.bus.publish('lattice/test.dl', { n: 2 });
    const listed = (await t.http.get('/api/kytos/core/dead_letter/?event_name=lattice/test.dl')).body;
    expect(Object.keys(listed['lattice/test.dl'])).to.deep.equal([lost.id]);
    const seen = t.nextEvent('lattice/test\\.dl');
    await t.http.patch('/api/kytos/core/dead_letter/', { event_name: 'lattice/test.dl', ids: [lost.id] });
    const again = await seen;
    expect(again).to.include({ id: lost.id, reinjections: 1 });
    t.controller.system.stop('sink-x');
  });

  it('should list actors with state and mailbox depth', async () => {
    const res = await t.http.get('/api/kytos/core/actors/?kind=route');
    expect(res.body.actors.length).to.be.greaterThan(5);
    const status = res.body.actors.find((a: { name: string }) => a.name.startsWith('route:GET /api/kytos/core/status'));
    expect(status).to.include({ kind: 'route', status: 'running' });
    expect(status.state).to.equal('idle');
    expect(status.mailbox.capacity).to.equal(1024);
    const one = await t.http.get(`/api/kytos/core/actors/${encodeURIComponent(status.name)}`);
    expect(one.body.name).to.equal(status.name);
    expect((await t.http.get('/api/kytos/core/actors/nope')).status).to.equal(404);
  });
});
