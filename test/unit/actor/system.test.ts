import { expect } from 'chai';
import { assign, raise, setup, type AnyActorRef } from 'xstate';
import { ActorSystem, ManualClock, reply, systemClock, type Message, type TimedReply } from '../../../src/actor/index.js';
import { AskTimeoutError, MailboxFullError } from '../../../src/errors/index.js';
import { silentLog, ticks, until } from '../../helpers/log.js';
import { routeHandlerAccepts, routeHandlerLogic } from '../../../actors/route-handler/machine.js';
import type { HttpResponse } from '../../../src/sdk/index.js';

/** A counter that answers `get`, crashes on `boom`, and records what it saw. */
const counter = setup({
  types: { context: {} as { n: number; seen: string[] }, events: {} as Message },
  actions: {
    add: assign({ n: ({ context }) => context.n + 1 }),
    note: assign({ seen: ({ context, event }) => [...context.seen, event.type] }),
    answer: ({ context, event }) => reply(event as never, context.n),
    explode: () => {
      throw new Error('boom');
    },
  },
}).createMachine({
  context: { n: 0, seen: [] },
  on: {
    inc: { actions: 'add' },
    get: { actions: 'answer' },
    boom: { actions: 'explode' },
    'bus.event': { actions: 'add' },
    'actor.child_crashed': { actions: 'note' },
  },
});

/** An actor that takes a message only while `open` (to hold messages in its mailbox). */
const gate = setup({
  types: { context: {} as { open: boolean; n: number }, events: {} as Message },
}).createMachine({
  context: { open: false, n: 0 },
  on: {
    open: { actions: assign({ open: true }) },
    close: { actions: assign({ open: false }) },
    work: { actions: assign({ n: ({ context }) => context.n + 1 }) },
  },
});

/** A child that finishes 1 s after it starts. */
const slowChild = setup({}).createMachine({ initial: 'a', states: { a: { after: { 1000: 'b' } }, b: { type: 'final' } } });

/** Every kind of xstate timer: an `after:` transition, a delayed raise, an invoked and a spawned child with `after:`. */
const timed = setup({
  types: { context: {} as { spawned?: AnyActorRef; invokedDone: boolean; pinged: boolean }, events: {} as Message },
  actors: { slowChild },
}).createMachine({
  context: { invokedDone: false, pinged: false },
  entry: [assign({ spawned: ({ spawn }) => spawn('slowChild') }), raise({ type: 'ping' }, { delay: 1000 })],
  invoke: { src: 'slowChild', onDone: { actions: assign({ invokedDone: true }) } },
  on: { ping: { actions: assign({ pinged: true }) } },
  initial: 'waiting',
  states: { waiting: { after: { 1000: 'late' } }, late: {} },
});

describe('ActorSystem', () => {
  let system: ActorSystem;
  afterEach(() => system?.shutdown());

  it('should deliver told messages in order and answer asks', async () => {
    system = new ActorSystem({ clock: systemClock(), log: silentLog() });
    system.spawn('c', counter);
    for (let i = 0; i < 5; i++) expect(system.tell('c', { type: 'inc' })).to.equal(true);
    expect(await system.ask<number>('c', { type: 'get' })).to.equal(5);
  });

  it('should refuse a message at once when the mailbox is full and record it as a dead letter', async () => {
    system = new ActorSystem({ clock: systemClock(), log: silentLog() });
    system.spawn('g', gate, { mailbox: 3, accepts: (s) => s.context.open || s.context.n < 0 });
    expect(system.tell('g', { type: 'work', seq: 1 })).to.equal(true);
    expect(system.tell('g', { type: 'work', seq: 2 })).to.equal(true);
    expect(system.tell('g', { type: 'work', seq: 3 })).to.equal(true);
    expect(system.tell('g', { type: 'work', seq: 4 })).to.equal(false);
    const letters = system.deadLetters.list('lattice/actor.g.work')['lattice/actor.g.work'];
    expect(Object.values(letters!)).to.have.length(1);
    expect(Object.values(letters!)[0]).to.include({ reason: 'mailbox_full', target: 'g' });
    expect(Object.values(letters!)[0]!.content).to.deep.equal({ type: 'work', seq: 4 });
    expect(system.info('g').mailbox).to.deep.equal({ depth: 3, capacity: 3 });
    expect(system.info('g').refused).to.equal(1);
    await ticks();
    expect(system.info('g').mailbox.depth, 'held while the gate is closed').to.equal(3);
  });

  it('should reject an ask at once with MailboxFullError when the mailbox is full', async () => {
    system = new ActorSystem({ clock: systemClock(), log: silentLog() });
    system.spawn('g', gate, { mailbox: 1, accepts: (s) => s.context.open });
    system.tell('g', { type: 'work' });
    const err = await system.ask<any>('g', { type: 'work' }).catch((e: any) => e);
    expect(err).to.be.instanceOf(MailboxFullError);
  });

  it('should re-inject a dead letter to its actor', async () => {
    system = new ActorSystem({ clock: systemClock(), log: silentLog() });
    system.spawn('c', counter, { mailbox: 1 });
    system.tell('c', { type: 'inc' });
    expect(system.tell('c', { type: 'inc' })).to.equal(false);
    await ticks();
    expect(await system.ask<number>('c', { type: 'get' })).to.equal(1);
    const taken = system.deadLetters.take('lattice/actor.c.inc', []);
    system.reinject(taken);
    await ticks();
    expect(await system.ask<number>('c', { type: 'get' })).to.equal(2);
    expect(system.deadLetters.size).to.equal(0);
  });

  it('should time out an ask that gets no answer', async () => {
    const clock = new ManualClock();
    system = new ActorSystem({ clock, log: silentLog(), askResolutionMs: 50 });
    system.spawn('c', counter);
    let settled = false;
    const pending = system
      .ask<any>('c', { type: 'inc' }, 250)
      .catch((e: any) => e)
      .finally(() => (settled = true));
    await ticks();
    clock.advance(249);
    await ticks();
    expect(settled, 'not before its deadline').to.equal(false);
    clock.advance(50);
    const err = await pending;
    expect(err).to.be.instanceOf(AskTimeoutError);
    expect(err.code).to.equal('ASK_TIMEOUT');
  });

  it('should restart a crashing actor with backoff, tell its parent, and keep serving', async () => {
    const clock = new ManualClock();
    system = new ActorSystem({ clock, log: silentLog(), restart: { backoffMs: 100, maxBackoffMs: 1000 } });
    system.spawn('parent', counter);
    system.spawn('child', counter, { parent: 'parent' });
    const crashes: string[] = [];
    system.bus.on(['lattice/core.actor.crashed'], (e) => crashes.push(String(e.content.actor)));

    const asked = system.ask<any>('child', { type: 'boom' }).catch((e: any) => e);
    await ticks();
    expect((await asked).message, 'the asker of the fatal message is told').to.equal('boom');
    expect(system.info('child').status).to.equal('restarting');
    expect(crashes).to.deep.equal(['child']);
    // Messages sent while it is down wait in its mailbox.
    system.tell('child', { type: 'inc' });
    clock.advance(99);
    await ticks();
    expect(system.info('child').status).to.equal('restarting');
    clock.advance(1);
    await ticks();
    expect(system.info('child').status).to.equal('running');
    expect(system.info('child').restarts).to.equal(1);
    expect(await system.ask<number>('child', { type: 'get' })).to.equal(1);
    // The parent received the crash report as a message.
    const seen = (system.handle('parent').snapshot().context as { seen: string[] }).seen;
    expect(seen).to.include('actor.child_crashed');
    // A second crash in a row waits twice as long.
    system.tell('child', { type: 'boom' });
    await ticks();
    clock.advance(199);
    await ticks();
    expect(system.info('child').status).to.equal('restarting');
    clock.advance(1);
    await ticks();
    expect(system.info('child').status).to.equal('running');
    expect(system.info('child').restarts).to.equal(2);
  });

  it('should run xstate timers (after:, delayed events, invoked and spawned children) on the injected clock', async () => {
    const clock = new ManualClock();
    system = new ActorSystem({ clock, log: silentLog() });
    const actor = system.spawn('timed', timed);
    const view = () => {
      const s = actor.snapshot() as { value: unknown; context: { spawned: AnyActorRef; invokedDone: boolean; pinged: boolean } };
      return { value: s.value, invokedDone: s.context.invokedDone, pinged: s.context.pinged, spawned: s.context.spawned.getSnapshot().value };
    };
    expect(clock.pending(), 'four timers on the manual clock').to.equal(4);
    clock.advance(999);
    await ticks();
    expect(view()).to.deep.equal({ value: 'waiting', invokedDone: false, pinged: false, spawned: 'a' });
    clock.advance(1);
    await ticks();
    expect(view()).to.deep.equal({ value: 'late', invokedDone: true, pinged: true, spawned: 'b' });
    expect(clock.pending()).to.equal(0);
  });

  it('should cancel an actor\'s xstate timers when it stops', () => {
    const clock = new ManualClock();
    system = new ActorSystem({ clock, log: silentLog() });
    system.spawn('timed', timed);
    expect(clock.pending()).to.equal(4);
    system.stop('timed');
    expect(clock.pending()).to.equal(0);
  });

  it('should end a delivery pass after passMessages even when the clock stands still', async () => {
    system = new ActorSystem({ clock: new ManualClock(), log: silentLog(), throughput: 8, passMessages: 1000 });
    system.spawn('busy', counter, { mailbox: 100_000 });
    for (let i = 0; i < 50_000; i++) system.tell('busy', { type: 'inc' });
    let turned = false;
    setImmediate(() => (turned = true));
    await until(() => turned, 2000, 'the event loop to turn during the flood');
    expect(system.info('busy').mailbox.depth, 'the event loop turned while the flood was delivered').to.be.greaterThan(0);
    await until(() => system.info('busy').mailbox.depth === 0, 10_000, 'flood delivered');
    expect(await system.ask<number>('busy', { type: 'get' })).to.equal(50_000);
  });

  it('should yield to the event loop so one flooded actor cannot starve others', async () => {
    system = new ActorSystem({ clock: systemClock(), log: silentLog(), throughput: 8, sliceMs: 1 });
    system.spawn('busy', counter, { mailbox: 100_000 });
    system.spawn('quiet', counter);
    for (let i = 0; i < 50_000; i++) system.tell('busy', { type: 'inc' });
    const quietAnswer = await system.ask<number>('quiet', { type: 'get' });
    expect(quietAnswer).to.equal(0);
    const busyDepth = system.info('busy').mailbox.depth;
    expect(busyDepth, 'the quiet actor was served before the flood was done').to.be.greaterThan(0);
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    await until(() => timerFired, 2000, 'a timer to fire during the flood');
    expect(system.info('busy').mailbox.depth, 'timers fire while the flood is delivered').to.be.greaterThan(0);
    await until(() => system.info('busy').mailbox.depth === 0, 10_000, 'flood delivered');
    expect(await system.ask<number>('busy', { type: 'get' })).to.equal(50_000);
  });

  it('should fail queued asks when an actor is stopped', async () => {
    system = new ActorSystem({ clock: systemClock(), log: silentLog() });
    system.spawn('g', gate, { accepts: (s) => s.context.open });
    const pending = system.ask<any>('g', { type: 'work' }).catch((e: any) => e);
    system.stop('g');
    expect((await pending).code).to.equal('ACTOR_STOPPED');
    expect(system.tell('g', { type: 'work' })).to.equal(false);
  });

  it('should list actors with their state value and mailbox depth', () => {
    system = new ActorSystem({ clock: systemClock(), log: silentLog(), mailboxCapacity: 7 });
    system.spawn('a', counter, { kind: 'napp' });
    const [info] = system.list();
    expect(info).to.include({ name: 'a', kind: 'napp', status: 'running' });
    expect(info!.mailbox).to.deep.equal({ depth: 0, capacity: 7 });
  });

  describe('the direct step (askWith from an I/O callback, as the HTTP server asks route actors)', () => {
    /** A reply channel as the HTTP server's exchange is one: it records what it was given. */
    class Recorder implements TimedReply<unknown> {
      settled = false;
      value: unknown;
      readonly to = 'relay';
      readonly messageType = 'go';
      readonly timeoutMs = 10_000;
      constructor(private readonly sys: () => ActorSystem) {}
      get deadline(): number {
        return this.sys().askDeadline(this.timeoutMs);
      }
      resolve(value: unknown): void {
        this.settled = true;
        this.value = value;
        this.sys().forgetAsk(this);
      }
      reject(error: unknown): void {
        this.resolve(error);
      }
    }

    /** Answers `go` at once and tells `b` to count (a route that tells a NApp). */
    const relay = (sys: () => ActorSystem) =>
      setup({
        types: { events: {} as Message },
        actions: {
          pass: ({ event }) => {
            sys().tell('b', { type: 'inc' });
            reply(event as never, 'ok');
          },
        },
      }).createMachine({ on: { go: { actions: 'pass' } } });

    const countOf = (name: string): number => (system.handle(name).snapshot() as { context: { n: number } }).context.n;

    it("should answer within the call and deliver the step's messages to other actors only after the caller's microtasks, in a setImmediate pass", async () => {
      system = new ActorSystem({ clock: systemClock(), log: silentLog() });
      system.spawn('b', counter);
      system.spawn('relay', relay(() => system));
      const answer = new Recorder(() => system);
      system.askWith('relay', { type: 'go' }, answer, { direct: true });
      expect(answer.value, 'answered within askWith').to.equal('ok');
      expect(countOf('b'), 'b is told, not yet run').to.equal(0);
      // uWebSockets.js sends what its callback wrote once the callback and its microtasks are over.
      await new Promise<void>((r) => queueMicrotask(r));
      await Promise.resolve();
      expect(countOf('b'), 'nothing else runs before the answer has gone out').to.equal(0);
      await new Promise<void>((r) => setImmediate(r));
      expect(countOf('b'), 'delivered in the pass after the callback').to.equal(1);
    });

    it('should leave a request a saturated route actor cannot take in its mailbox, and serve it once a slot is free', async () => {
      system = new ActorSystem({ clock: systemClock(), log: silentLog() });
      const waiting: Array<(r: HttpResponse) => void> = [];
      const handler = (): Promise<HttpResponse> => new Promise((resolve) => waiting.push(resolve));
      system.spawn('route', routeHandlerLogic(handler), { input: { concurrency: 1 }, accepts: routeHandlerAccepts });
      const first = new Recorder(() => system);
      const second = new Recorder(() => system);
      system.askWith('route', { type: 'http.request', request: {} }, first, { direct: true });
      system.askWith('route', { type: 'http.request', request: {} }, second, { direct: true });
      expect(waiting, 'one request runs, the other waits').to.have.length(1);
      expect(system.info('route').mailbox.depth).to.equal(1);
      waiting[0]!({ status: 200, body: 1 });
      await until(() => first.settled && waiting.length === 2, 2000, 'the first answered and the second taken');
      expect(first.value).to.deep.equal({ status: 200, body: 1 });
      expect(second.settled).to.equal(false);
      waiting[1]!({ status: 200, body: 2 });
      await until(() => second.settled, 2000, 'the second answered');
      expect(second.value).to.deep.equal({ status: 200, body: 2 });
      expect(system.info('route').mailbox.depth).to.equal(0);
    });
  });
});
