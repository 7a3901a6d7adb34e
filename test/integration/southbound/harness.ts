/** A real controller core for southbound tests: ActorSystem + Southbound on 127.0.0.1, port 0. */
import pino from 'pino';
import { recordEvents } from '../../helpers/event-recorder.js';
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
  const recorder = recordEvents(sys.bus, ['(kytos|lattice)/.*']);
  const { port, tlsPort } = await southbound.start();
  return {
    system: sys,
    southbound,
    port,
    tlsPort,
    events: recorder.events,
    waitEvent: recorder.waitEvent,
    async stop() {
      recorder.off();
      await southbound.stop();
      if (!system) sys.shutdown();
    },
  };
}
