/** A real controller core for southbound tests: ActorSystem + Southbound on 127.0.0.1, port 0. */
import pino from 'pino';
import { ActorSystem, systemClock, type KytosEvent } from '../../../src/actor/index.js';
import { Southbound, type SouthboundOptions } from '../../../src/southbound/index.js';
import { switchConnectionMachine } from '../../../actors/switch-connection/machine.js';

export interface Controller {
  system: ActorSystem;
  southbound: Southbound;
  port: number;
  tlsPort?: number;
  events: KytosEvent[];
  /** Resolves with the first recorded/next event matching. */
  waitEvent(pred: (e: KytosEvent) => boolean, timeoutMs?: number): Promise<KytosEvent>;
  stop(): Promise<void>;
}

export async function startController(options: Partial<SouthboundOptions> = {}, system?: ActorSystem): Promise<Controller> {
  const sys = system ?? new ActorSystem({ clock: systemClock(), log: pino({ level: process.env.LATTICE_TEST_LOG ?? 'silent' }) });
  const southbound = new Southbound({ system: sys, logic: switchConnectionMachine, options: { host: '127.0.0.1', port: 0, ...options } });
  const events: KytosEvent[] = [];
  const waiters = new Set<{ pred: (e: KytosEvent) => boolean; resolve: (e: KytosEvent) => void }>();
  const off = sys.bus.on(['(kytos|lattice)/.*'], (e) => {
    if (e.name.startsWith('kytos/of_core.v0x04.messages.in.ofpt_echo')) return;
    events.push(e);
    for (const w of waiters) {
      if (w.pred(e)) {
        waiters.delete(w);
        w.resolve(e);
      }
    }
  });
  const { port, tlsPort } = await southbound.start();
  return {
    system: sys,
    southbound,
    port,
    tlsPort,
    events,
    waitEvent(pred, timeoutMs = 5000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (e: KytosEvent) => { clearTimeout(t); resolve(e); } };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error('timeout waiting for a bus event'));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    async stop() {
      off();
      await southbound.stop();
      if (!system) sys.shutdown();
    },
  };
}
