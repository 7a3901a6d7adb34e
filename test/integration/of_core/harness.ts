/**
 * The real controller (src/main.ts) with the of_core NApp, plus a Southbound on
 * its actor system, wired through the `switches` service as main.ts will do.
 */
import { pino } from 'pino';
import type { KytosEvent } from '../../../src/actor/index.js';
import { startController as startMain, tempDataDir, type Controller as Main } from '../../../src/main.js';
import { Southbound, type SwitchService } from '../../../src/southbound/index.js';
import { switchConnectionMachine } from '../../../actors/switch-connection/machine.js';
import ofCore from '../../../napps/kytos/of_core/index.js';
import type { OfCoreSettings } from '../../../napps/kytos/of_core/settings.js';

export interface OfCoreController {
  main: Main;
  southbound: Southbound;
  port: number;
  events: KytosEvent[];
  waitEvent(pred: (e: KytosEvent) => boolean, timeoutMs?: number): Promise<KytosEvent>;
  stop(): Promise<void>;
}

export async function startOfCore(settings: Partial<OfCoreSettings> = {}, openflowPort = 0): Promise<OfCoreController> {
  let target: Southbound | undefined;
  // Resolved at call time, so the NApp can start before the southbound exists.
  const switches = new Proxy({} as SwitchService, {
    get: (_t, prop) => {
      if (!target) throw new Error('southbound not started');
      const v = (target as unknown as Record<string | symbol, unknown>)[prop];
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const main = await startMain({
    overrides: {
      http: { host: '127.0.0.1', port: 0 },
      store: { dataDir: tempDataDir() },
      napps: { settings: { 'kytos/of_core': settings } },
    },
    log: pino({ level: process.env.LATTICE_TEST_LOG ?? 'silent' }),
    napps: [ofCore],
    services: { switches },
  });
  const events: KytosEvent[] = [];
  const waiters = new Set<{ pred: (e: KytosEvent) => boolean; resolve: (e: KytosEvent) => void }>();
  const off = main.system.bus.on(['kytos/.*'], (e) => {
    if (e.name.startsWith('kytos/of_core.v0x04.messages.in.ofpt_echo')) return;
    events.push(e);
    for (const w of waiters) if (w.pred(e)) (waiters.delete(w), w.resolve(e));
  });
  target = new Southbound({ system: main.system, logic: switchConnectionMachine, options: { host: '127.0.0.1', port: openflowPort, echoIntervalMs: 1000 } });
  const { port } = await target.start();
  const southbound = target;
  return {
    main,
    southbound,
    port,
    events,
    waitEvent(pred, timeoutMs = 5000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (e: KytosEvent) => (clearTimeout(t), resolve(e)) };
        const t = setTimeout(() => (waiters.delete(w), reject(new Error('timeout waiting for a bus event'))), timeoutMs);
        waiters.add(w);
      });
    },
    async stop() {
      off();
      await southbound.stop();
      await main.stop();
    },
  };
}
