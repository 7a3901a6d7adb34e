import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { assign, setup } from 'xstate';
import {
  askInput,
  defineAsk,
  defineEvent,
  defineNApp,
  deliver,
  emission,
  greeted,
  ManualClock,
  portStatusIn,
  reply,
  stepNApp,
  switchesService,
  switchReady,
  provide,
  type AskMessage,
  type DeliveryOf,
  type SwitchService,
} from '../../../src/sdk/index.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/ports.js';
import hello from '../../../napps/lattice/hello/index.js';
import { count, greet } from '../../../napps/lattice/hello/events.js';
import ofCore from '../../../napps/kytos/of_core/index.js';

describe('stepNApp (a NApp tested as data)', () => {
  describe('lattice/hello', () => {
    let store: Store;
    before(async () => {
      store = await openStore({ backend: 'embedded', dataDir: mkdtempSync(join(tmpdir(), 'lattice-step-')), log: pino({ level: 'silent' }), mongodb: {} as never });
    });
    after(() => store.close());

    it('should answer and publish greeted only after the greeting is durable', async () => {
      const scoped = store.scoped('lattice/hello');
      let writes = 0;
      const watched: Store = {
        ...scoped,
        scoped: scoped.scoped.bind(scoped),
        status: scoped.status.bind(scoped),
        close: scoped.close.bind(scoped),
        collection: (name, spec) => {
          const c = scoped.collection(name, spec as never);
          return Object.assign(Object.create(c), {
            put: async (doc: never) => {
              await c.put(doc);
              writes++;
            },
          });
        },
      } as Store;
      const r = await stepNApp(hello, [askInput(greet, { name: 'ada' }), askInput(greet, { name: 'bob' }), askInput(count, {})], {
        store: watched,
        settings: { salutation: 'Hi' },
      });
      expect(writes).to.equal(2);
      expect(r.answers.map((a) => a.value)).to.deep.equal([{ greeting: 'Hi, ada!', count: 1 }, { greeting: 'Hi, bob!', count: 2 }, 2]);
      expect(r.emits).to.deep.equal([
        { name: greeted.type, content: { name: 'ada', count: 1 } },
        { name: greeted.type, content: { name: 'bob', count: 2 } },
      ]);
      expect(await scoped.collection<{ name: string; count: number }>('greetings', { key: 'name', indexes: ['count'] }).get('bob')).to.include({ count: 2 });
    });

    it('should answer with the store error and change nothing when the write fails', async () => {
      const failing = { collection: () => ({ put: () => Promise.reject(new Error('disk full')) }) } as unknown as Store;
      const r = await stepNApp(hello, [askInput(greet, { name: 'ada' }), askInput(count, {})], { store: failing });
      expect((r.answers[0].error as Error).message).to.equal('disk full');
      expect(r.answers[1].value).to.equal(0);
      expect(r.emits).to.deep.equal([]);
    });
  });

  describe('kytos/of_core', () => {
    const DPID = '00:00:00:00:00:00:00:01';
    const ready = {
      connection_id: 'c1',
      connection: '127.0.0.1:5000',
      dpid: DPID,
      portsSeq: 1,
      features: { type: 'features_reply' as const, version: 4, xid: 2, datapathId: 1n, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0, reserved: 0 },
      ports: [],
      desc: null,
    };

    it('should run its stats timer on the manual clock and ask the switches service', async () => {
      const requested: string[] = [];
      const switches = {
        requestMultipart: async (dpid: string) => {
          requested.push(dpid);
          return [];
        },
      } as unknown as SwitchService;
      const clock = new ManualClock(0);
      const r = await stepNApp(ofCore, [deliver(switchReady, ready), { advance: 2_999 }], {
        clock,
        services: [provide(switchesService, switches)],
        settings: { STATS_STAGGER_STEP: 3, STATS_INTERVAL: 10 },
      });
      expect(r.emits[0].name).to.equal('kytos/core.switch.new');
      expect(requested).to.deep.equal([]);
      const r2 = await stepNApp(ofCore, [deliver(switchReady, ready), { advance: 3_000 }], {
        services: [provide(switchesService, switches)],
        settings: { STATS_STAGGER_STEP: 3, STATS_INTERVAL: 10 },
      });
      expect(requested).to.deep.equal([DPID, DPID]); // flow and port stats
      expect(r2.sends.map((s) => s.message.type)).to.include('timer');
    });
  });

  describe('contracts', () => {
    const ping = defineEvent<{ n: number }>()('test/ping');
    const total = defineAsk<Record<never, never>, number>()('test/summer', 'summer.total');
    const lookup = defineAsk<{ key: string }, string>()('test/other', 'other.lookup');
    type Ev = DeliveryOf<typeof ping> | AskMessage<typeof total> | { type: 'looked'; value: string };
    const summer = defineNApp({
      manifest: { username: 'test', name: 'summer', version: '1.0.0' },
      subscriptions: [ping],
      machine: (ctx) =>
        setup({ types: { context: {} as { sum: number; seen: string[] }, events: {} as Ev } }).createMachine({
          context: { sum: 0, seen: [] },
          on: {
            [ping.type]: {
              actions: [
                assign({ sum: ({ context, event }) => context.sum + (event.type === ping.type ? event.content.n : 0) }),
                () => void ctx.ask(lookup, { key: 'k' }).then((value) => ctx.tell(ctx.self, { type: 'looked', value })),
              ],
            },
            looked: { actions: assign({ seen: ({ context, event }) => [...context.seen, event.type === 'looked' ? event.value : ''] }) },
            [total.type]: { actions: ({ context, event }) => event.type === total.type && reply(event, context.sum) },
          },
        }),
    });

    it('should deliver bus events typed by name, record asks with their scripted replies, and answer asks', async () => {
      const r = await stepNApp(summer, [deliver(ping, { n: 2 }), deliver(ping, { n: 5 }), askInput(total, {})], {
        replies: { [lookup.type]: ({ key }: { key: string }) => `value of ${key}` },
      });
      expect(r.answers[0].value).to.equal(7);
      expect(r.asks).to.deep.equal([
        { napp: 'test/other', type: 'other.lookup', request: { key: 'k' } },
        { napp: 'test/other', type: 'other.lookup', request: { key: 'k' } },
      ]);
      expect(r.snapshot.context.seen).to.deep.equal(['value of k', 'value of k']);
    });

    it('should pair a contract with its content (emission) and ignore unsubscribed names', () => {
      expect(emission(portStatusIn, { source: { connection_id: 'c', connection: 'x', dpid: null }, message: {} as never, seq: 1 }).event).to.equal(portStatusIn);
      expect(ping.pattern).to.equal('test\\/ping');
      expect(new RegExp(`^${portStatusIn.pattern}$`).test('kytos/of_core.v0x04.messages.in.ofpt_port_status')).to.equal(true);
      expect(new RegExp(`^${portStatusIn.pattern}$`).test('kytos/of_core_v0x04.messages.in.ofpt_port_status')).to.equal(false);
    });
  });
});
