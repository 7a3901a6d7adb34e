import { expect } from 'chai';
import { assign, setup } from 'xstate';
import { ManualClock } from '../../../src/actor/index.js';
import { defineAsk, defineEvent, defineNApp, reply, type AskMessage, type DeliveryOf, type NAppContext } from '../../../src/sdk/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

const tickA = defineEvent<Record<string, never>>()('test/tick.a');
const tickB = defineEvent<Record<string, never>>()('test/tick.b');
const getN = defineAsk<Record<never, never>, number>()('test/counter', 'counter.get');
type CounterEvent = DeliveryOf<typeof tickA> | DeliveryOf<typeof tickB> | AskMessage<typeof getN> | { type: 'explode' };

const counterMachine = (ctx: NAppContext<{ step: number }>) =>
  setup({ types: { context: {} as { n: number }, events: {} as CounterEvent } }).createMachine({
    context: { n: 0 },
    on: {
      // A pattern subscription: each event arrives with its own name as `type` (xstate's partial wildcard matches both).
      'test/tick.*': { actions: assign({ n: ({ context }) => context.n + ctx.settings.step }) },
      [getN.type]: { actions: ({ context, event }) => event.type === getN.type && reply(event, context.n) },
      explode: {
        actions: () => {
          throw new Error('behaviour bug');
        },
      },
    },
  });

const counter = defineNApp<{ step: number }>({
  manifest: { username: 'test', name: 'counter', version: '1.0.0' },
  settings: { step: 1 },
  subscriptions: ['test/tick\\..*'],
  machine: counterMachine,
  routes: (ctx) => [{ method: 'GET', access: 'read', path: '/v1/n', handler: async () => ({ body: { n: await ctx.ask(getN, {}) } }) }],
  wsRoutes: () => [{ path: 'v1/ws', access: 'read', message: (client, data) => client.send({ echo: data }) }],
});

describe('NApp SDK', function () {
  it('should mount routes under /api/<username>/<name>/, deliver subscribed events, and apply settings from config', async () => {
    const t = await createTestController({ napps: [counter], config: { napps: { settings: { 'test/counter': { step: 10 } } } } });
    try {
      t.bus.publish('test/tick.a', {});
      t.bus.publish('test/tick.b', {});
      t.bus.publish('test/other', {});
      await until(async () => (await t.http.get('/api/test/counter/v1/n')).body.n === 20, 3000, 'two ticks counted');
      const ws = await t.ws('/api/test/counter/v1/ws');
      ws.send({ hi: 1 });
      expect(await ws.next()).to.deep.equal({ echo: { hi: 1 } });
      const state = t.controller.system.info('napp:test/counter');
      expect(state.state).to.equal('running');
      expect(state.kind).to.equal('napp');
    } finally {
      await t.stop();
    }
  });

  it('should restart a NApp whose behaviour crashes, and keep serving', async () => {
    const t = await createTestController({ napps: [counter], config: { actors: { restartBackoffMs: 10 } } });
    try {
      t.controller.system.tell('napp:test/counter', { type: 'explode' });
      await until(() => t.controller.system.info('napp:test/counter').restarts === 1, 3000, 'a restart');
      await until(() => t.controller.system.info('napp:test/counter').state === 'running', 3000, 'running again');
      expect((await t.http.get('/api/test/counter/v1/n')).body).to.deep.equal({ n: 0 });
      expect((await t.http.get('/api/kytos/core/status')).status).to.equal(200);
    } finally {
      await t.stop();
    }
  });

  describe('a NApp that fails to load', () => {
    const failedIn = async (t: Awaited<ReturnType<typeof createTestController>>, id: string) => {
      const status = (await t.http.get('/api/kytos/core/status/')).body;
      return { state: status.napps[id], error: status.napps_failed[id] };
    };
    const healthy = defineNApp({
      manifest: { username: 'test', name: 'healthy', version: '1.0.0' },
      routes: () => [{ method: 'GET', access: 'read', path: 'v1/ok', handler: () => ({ body: { ok: true } }) }],
    });
    const cases = [
      {
        what: 'a missing dependency',
        napp: defineNApp({ manifest: { username: 'test', name: 'needy', version: '1.0.0', napp_dependencies: ['test/absent'] } }),
        reason: /depends on test\/absent/,
      },
      {
        what: 'a setup that throws',
        napp: defineNApp({
          manifest: { username: 'test', name: 'broken', version: '1.0.0' },
          setup: () => {
            throw new Error('no database');
          },
        }),
        reason: /no database/,
      },
      {
        what: 'a setup that never resolves (napps.loadTimeoutMs)',
        napp: defineNApp({ manifest: { username: 'test', name: 'stuck', version: '1.0.0' }, setup: () => new Promise<void>(() => undefined) }),
        reason: /did not finish within 1500 ms/,
      },
      {
        what: 'routes() that throws',
        napp: defineNApp({
          manifest: { username: 'test', name: 'badroutes', version: '1.0.0' },
          routes: () => {
            throw new Error('route table bug');
          },
        }),
        reason: /route table bug/,
      },
      {
        what: 'a missing openapi.yml',
        napp: defineNApp({
          manifest: { username: 'test', name: 'nospec', version: '1.0.0' },
          openapi: new URL('./no-such-openapi.yml', import.meta.url),
          routes: () => [{ method: 'GET', access: 'read', path: 'v1/x', handler: () => ({ body: 1 }) }],
        }),
        reason: /no-such-openapi\.yml/,
      },
    ];
    for (const c of cases) {
      it(`should mark it failed with its reason for ${c.what}, and start the controller without it`, async () => {
        const t = await createTestController({ napps: [c.napp, healthy], config: { napps: { loadTimeoutMs: 1500 } } });
        try {
          const id = `test/${c.napp.manifest.name}`;
          const entry = await failedIn(t, id);
          expect(entry.state).to.equal('failed');
          expect(entry.error).to.match(c.reason);
          expect((await t.http.get('/api/test/healthy/v1/ok')).body).to.deep.equal({ ok: true });
          expect((await t.http.get('/api/kytos/core/status/')).body.system_status).to.equal('degradated');
          // A failed NApp restarts no more: it stays failed.
          expect(t.controller.system.has(`napp:${id}`) ? t.controller.system.info(`napp:${id}`).restarts : 0).to.equal(0);
        } finally {
          await t.stop();
        }
      });
    }
  });

  it('should run shutdown and unmount routes when a NApp is disabled', async () => {
    let shutdowns = 0;
    const tidy = defineNApp({
      manifest: { username: 'test', name: 'tidy', version: '1.0.0' },
      routes: () => [{ method: 'GET', access: 'read', path: 'v1/x', handler: () => ({ body: 1 }) }],
      shutdown: () => {
        shutdowns++;
      },
    });
    const t = await createTestController({ napps: [tidy] });
    try {
      expect((await t.http.get('/api/test/tidy/v1/x')).status).to.equal(200);
      expect((await t.http.post('/api/kytos/core/napps/test/tidy/disable')).body).to.deep.equal({ response: 'disabled' });
      expect(shutdowns).to.equal(1);
      expect((await t.http.get('/api/test/tidy/v1/x')).status).to.equal(404);
      expect(t.controller.system.list().filter((a) => a.name.includes('/api/test/tidy'))).to.have.length(0);
    } finally {
      await t.stop();
    }
  });

  it('should cancel a NApp\'s pending timers when it is disabled', async () => {
    let fired = 0;
    let pending = -1;
    const ticker = defineNApp({
      manifest: { username: 'test', name: 'ticker', version: '1.0.0' },
      setup: (ctx) => {
        ctx.timers.setTimeout(() => fired++, 150);
        ctx.timers.setInterval(() => fired++, 100);
      },
      shutdown: (ctx) => {
        pending = ctx.timers.pending;
      },
    });
    const clock = new ManualClock();
    const t = await createTestController({ napps: [ticker], clock });
    try {
      expect((await t.http.post('/api/kytos/core/napps/test/ticker/disable')).body).to.deep.equal({ response: 'disabled' });
      expect(pending, 'the timers were still pending at shutdown').to.equal(2);
      clock.advance(1000);
      expect(fired).to.equal(0);
    } finally {
      await t.stop();
    }
  });

  it('should run a NApp machine\'s after: transitions on the controller\'s clock', async () => {
    const clock = new ManualClock();
    const getState = defineAsk<Record<never, never>, unknown>()('test/waiter', 'waiter.state');
    const waiter = defineNApp({
      manifest: { username: 'test', name: 'waiter', version: '1.0.0' },
      machine: () =>
        setup({ types: { events: {} as AskMessage<typeof getState> } }).createMachine({
          initial: 'waiting',
          states: { waiting: { after: { 1000: 'done' } }, done: {} },
          on: { [getState.type]: { actions: ({ self, event }) => reply(event, self.getSnapshot().value) } },
        }),
      routes: (ctx) => [{ method: 'GET', access: 'read', path: 'v1/state', handler: async () => ({ body: { state: await ctx.ask(getState, {}) } }) }],
    });
    const t = await createTestController({ napps: [waiter], clock });
    try {
      const state = async () => (await t.http.get('/api/test/waiter/v1/state')).body.state;
      expect(await state()).to.equal('waiting');
      clock.advance(999);
      expect(await state()).to.equal('waiting');
      clock.advance(1);
      expect(await state()).to.equal('done');
    } finally {
      await t.stop();
    }
  });

  it('should give a NApp keyed locks that serialise work across actors', async () => {
    const order: number[] = [];
    // The holder of the lock keeps it until all three requests are in their handlers.
    let entered = 0;
    let allIn!: () => void;
    const allArrived = new Promise<void>((r) => (allIn = r));
    const locker = defineNApp({
      manifest: { username: 'test', name: 'locker', version: '1.0.0' },
      routes: (ctx) => [
        {
          method: 'POST', access: 'write',
          path: 'v1/work/{n}',
          handler: async (req) => {
            if (++entered === 3) allIn();
            return ctx.withLock('resource:1', async () => {
              order.push(Number(req.params.n));
              await allArrived;
              await new Promise((r) => setImmediate(r));
              order.push(-Number(req.params.n));
              return { body: {} };
            });
          },
        },
      ],
    });
    const t = await createTestController({ napps: [locker] });
    try {
      await Promise.all([1, 2, 3].map((n) => t.http.post(`/api/test/locker/v1/work/${n}`)));
      expect(order).to.have.length(6);
      for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).to.equal(-order[i]!);
    } finally {
      await t.stop();
    }
  });

  it('should give each NApp its own namespaced, persistent store', async () => {
    const keeper = (name: string) =>
      defineNApp({
        manifest: { username: 'test', name, version: '1.0.0' },
        routes: (ctx) => {
          const notes = ctx.store.collection<{ id: string; text: string }>('notes', { key: 'id' });
          return [
            { method: 'PUT', access: 'write', path: 'v1/notes/{id}', body: 'json', handler: async (req) => {
              await notes.put({ id: req.params.id!, text: String((req.body as { text: string }).text) });
              return { status: 201, body: {} };
            } },
            { method: 'GET', access: 'read', path: 'v1/notes', handler: async () => ({ body: await notes.all() }) },
          ];
        },
      });
    const dataDir = (await import('../../../src/main.js')).tempDataDir();
    const config = { store: { dataDir } };
    let t = await createTestController({ napps: [keeper('a'), keeper('b')], config });
    try {
      expect((await t.http.put('/api/test/a/v1/notes/1', { text: 'only in a' })).status).to.equal(201);
      expect((await t.http.get('/api/test/b/v1/notes')).body).to.deep.equal([]);
    } finally {
      await t.stop();
    }
    t = await createTestController({ napps: [keeper('a'), keeper('b')], config });
    try {
      expect((await t.http.get('/api/test/a/v1/notes')).body).to.deep.equal([{ id: '1', text: 'only in a' }]);
      expect((await t.http.get('/api/test/b/v1/notes')).body).to.deep.equal([]);
    } finally {
      await t.stop();
    }
  });

  it('should load a NApp from disk (napps/lattice/hello) by config', async () => {
    const t = await createTestController({ config: { napps: { enabled: ['lattice/hello'] } } });
    try {
      const ws = await t.ws();
      await ws.subscribe(['lattice/hello\\.greeted']);
      const res = await t.http.post('/api/lattice/hello/v1/greetings', { name: 'grace' });
      expect(res.body).to.deep.equal({ greeting: 'Hello, grace!', count: 1 });
      expect((await ws.next((m) => m.name === 'lattice/hello.greeted')).content).to.deep.equal({ name: 'grace', count: 1 });
      expect((await t.http.get('/api/lattice/hello/v1/echo/forbidden')).body).to.deep.equal({ description: 'that word is not echoed', code: 400 });
      // The body schema comes from the NApp's openapi.yml ($ref into components).
      const invalid = await t.http.post('/api/lattice/hello/v1/greetings', { name: '' });
      expect(invalid.status).to.equal(400);
      expect(invalid.body.description).to.equal('The request body contains invalid API data., must NOT have fewer than 1 characters for field name.');
      expect((await t.http.post('/api/lattice/hello/v1/greetings', { name: 'x', extra: 1 })).status).to.equal(400);
    } finally {
      await t.stop();
    }
  });
});
