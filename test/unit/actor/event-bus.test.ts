import { expect } from 'chai';
import { assign, setup } from 'xstate';
import { ActorSystem, compilePattern, KeyedMutex, systemClock, type KytosEvent, type Message } from '../../../src/actor/index.js';
import { silentLog, ticks } from '../../helpers/log.js';

const recorder = setup({
  types: { context: {} as { names: string[] }, events: {} as Message },
}).createMachine({
  context: { names: [] },
  on: {
    'bus.event': {
      actions: assign({ names: ({ context, event }) => [...context.names, (event.event as KytosEvent).name] }),
    },
  },
});

describe('EventBus', () => {
  describe('compilePattern (Kytos semantics: the regex must match the whole name)', () => {
    const cases: [string, string, boolean][] = [
      ['kytos/topology.link_up', 'kytos/topology.link_up', true],
      ['kytos/topology.link_up', 'kytos/topology.link_up.extra', false],
      ['kytos/topology.link_up', 'xkytos/topology.link_up', false],
      ['kytos/topology.*', 'kytos/topology.link_down', true],
      ['kytos/topology.*', 'kytos/of_core.switch.new', false],
      ['kytos/of_core.v0x04.messages.in.ofpt_(packet_in|port_status)', 'kytos/of_core.v0x04.messages.in.ofpt_port_status', true],
      ['kytos/of_core.v0x04.messages.in.ofpt_(packet_in|port_status)', 'kytos/of_core.v0x04.messages.in.ofpt_flow_removed', false],
      ['.*switch', 'kytos/core.switch.new', false],
      ['a|b', 'ab', false],
      ['a|b', 'b', true],
    ];
    for (const [pattern, name, expected] of cases) {
      it(`should ${expected ? '' : 'not '}match ${name} with ${pattern}`, () => {
        expect(compilePattern(pattern).test(name)).to.equal(expected);
      });
    }
  });

  it('should deliver matching events into subscribers mailboxes, Kytos-shaped', async () => {
    const system = new ActorSystem({ clock: systemClock(), log: silentLog() });
    system.spawn('topo', recorder);
    system.spawn('all', recorder);
    system.bus.subscribe('topo', ['kytos/topology\\..*']);
    system.bus.subscribe('all', ['.*']);
    const ev = system.bus.publish('kytos/topology.link_up', { link: 'x' });
    system.bus.publish('kytos/of_core.switch.new', {});
    await ticks();
    expect(ev).to.have.keys('id', 'name', 'content', 'timestamp', 'reinjections');
    expect(ev.timestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const names = (a: string) => (system.handle(a).snapshot().context as { names: string[] }).names;
    expect(names('topo')).to.deep.equal(['kytos/topology.link_up']);
    expect(names('all')).to.deep.equal(['kytos/topology.link_up', 'kytos/of_core.switch.new']);
    system.shutdown();
  });

  it('should record an event a subscriber could not take as a dead letter under its own name and re-inject it', async () => {
    const system = new ActorSystem({ clock: systemClock(), log: silentLog() });
    system.spawn('slow', recorder, { mailbox: 1, accepts: () => false });
    system.bus.subscribe('slow', ['kytos/x\\..*']);
    system.bus.publish('kytos/x.a', { n: 1 });
    const lost = system.bus.publish('kytos/x.a', { n: 2 });
    const letters = system.deadLetters.list();
    expect(Object.keys(letters)).to.deep.equal(['kytos/x.a']);
    expect(letters['kytos/x.a']![lost.id]).to.include({ id: lost.id, reason: 'mailbox_full' });
    system.stop('slow');
    system.spawn('slow', recorder);
    system.bus.subscribe('slow', ['kytos/x\\..*']);
    system.reinject(system.deadLetters.take('kytos/x.a', [lost.id]));
    await ticks();
    expect((system.handle('slow').snapshot().context as { names: string[] }).names).to.deep.equal(['kytos/x.a']);
    system.shutdown();
  });

  it('should keep at most maxPerName dead letters per name, oldest evicted first', () => {
    const system = new ActorSystem({ clock: systemClock(), log: silentLog(), deadLettersPerName: 3 });
    for (let i = 0; i < 5; i++) system.tell('nobody', { type: 'x', i });
    const bucket = Object.values(system.deadLetters.list()['lattice/actor.nobody.x']!);
    expect(bucket.map((l) => l.content.i)).to.deep.equal([2, 3, 4]);
    expect(system.deadLetters.evictedCount).to.equal(2);
  });
});

describe('KeyedMutex', () => {
  it('should serialise work per key and let other keys run', async () => {
    const locks = new KeyedMutex();
    const order: string[] = [];
    // a1 holds key a until b1 (another key) has finished: b1 must not wait for it.
    let b1Done!: () => void;
    const b1Finished = new Promise<void>((r) => (b1Done = r));
    const work = (tag: string, until: Promise<void> = Promise.resolve(), done: () => void = () => undefined) => async () => {
      order.push(`${tag}:start`);
      await until;
      order.push(`${tag}:end`);
      done();
    };
    await Promise.all([locks.run('a', work('a1', b1Finished)), locks.run('a', work('a2')), locks.run('b', work('b1', undefined, b1Done))]);
    expect(order.indexOf('a2:start')).to.be.greaterThan(order.indexOf('a1:end'));
    expect(order.indexOf('b1:end')).to.be.lessThan(order.indexOf('a1:end'));
    expect(locks.size).to.equal(0);
  });
});
