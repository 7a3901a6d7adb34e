import { expect } from 'chai';
import { createActor } from 'xstate';
import { initialState, routeHandlerAccepts, routeHandlerLogic, slotFreed, slotTaken } from '../../../actors/route-handler/machine.js';
import type { HttpResponse } from '../../../src/sdk/index.js';

const replyChannel = () => {
  const out: { value?: HttpResponse; error?: unknown } = {};
  return {
    out,
    replyTo: {
      settled: false,
      resolve: (v: HttpResponse) => (out.value = v),
      reject: (e: unknown) => (out.error = e),
    },
  };
};
const request = { method: 'GET', path: '/x', params: {}, queryString: '', headers: {}, body: undefined };

describe('route-handler actor', () => {
  describe('state changes (as data)', () => {
    it('should go idle -> busy -> saturated as slots are taken, and back as they are freed', () => {
      let s = initialState(2);
      expect(s.value).to.equal('idle');
      s = slotTaken(s);
      expect(s).to.include({ value: 'busy', inFlight: 1 });
      s = slotTaken(s);
      expect(s).to.include({ value: 'saturated', inFlight: 2 });
      expect(routeHandlerAccepts({ context: s })).to.equal(false);
      s = slotFreed(s, true);
      expect(s).to.include({ value: 'busy', inFlight: 1, served: 1 });
      expect(routeHandlerAccepts({ context: s })).to.equal(true);
      s = slotFreed(s, false);
      expect(s).to.include({ value: 'idle', inFlight: 0, served: 1, failed: 1 });
    });
  });

  describe('running', () => {
    it('should answer a synchronous handler within the step, state unchanged', () => {
      const actor = createActor(routeHandlerLogic(() => ({ body: 1 })), { input: { concurrency: 1 } }).start();
      const before = actor.getSnapshot();
      const { out, replyTo } = replyChannel();
      actor.send({ type: 'http.request', request, replyTo });
      expect(out.value).to.deep.equal({ body: 1 });
      expect(actor.getSnapshot().context.value).to.equal('idle');
      // Nothing changed, nothing copied: the very same snapshot.
      expect(actor.getSnapshot()).to.equal(before);
    });

    it('should hold a slot while an asynchronous handler runs and answer when it settles', async () => {
      let finish!: (r: HttpResponse) => void;
      const actor = createActor(routeHandlerLogic(() => new Promise((r) => (finish = r))), {
        input: { concurrency: 1 },
      }).start();
      const { out, replyTo } = replyChannel();
      actor.send({ type: 'http.request', request, replyTo });
      expect(actor.getSnapshot().context).to.include({ value: 'saturated', inFlight: 1 });
      finish({ body: 'late' });
      await new Promise((r) => setImmediate(r));
      expect(out.value).to.deep.equal({ body: 'late' });
      expect(actor.getSnapshot().context).to.include({ value: 'idle', served: 1 });
    });

    it('should fail the request, not the actor, when the handler throws or rejects', async () => {
      const actor = createActor(
        routeHandlerLogic((req) => {
          if (req.path === '/sync') throw new Error('sync bug');
          return Promise.reject(new Error('async bug'));
        }),
        { input: { concurrency: 4 } },
      ).start();
      const a = replyChannel();
      actor.send({ type: 'http.request', request: { ...request, path: '/sync' }, replyTo: a.replyTo });
      expect((a.out.error as Error).message).to.equal('sync bug');
      const b = replyChannel();
      actor.send({ type: 'http.request', request, replyTo: b.replyTo });
      await new Promise((r) => setImmediate(r));
      expect((b.out.error as Error).message).to.equal('async bug');
      expect(actor.getSnapshot().status).to.equal('active');
      expect(actor.getSnapshot().context).to.include({ failed: 1, inFlight: 0 });
    });
  });
});
