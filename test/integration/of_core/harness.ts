/**
 * The real controller (src/main.ts) with the of_core NApp and its southbound.
 */
import { pino } from 'pino';
import type { KytosEvent } from '../../../src/actor/index.js';
import { startController as startMain, tempDataDir, type Controller as Main } from '../../../src/main.js';
import type { Southbound } from '../../../src/southbound/index.js';
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
  const main = await startMain({
    overrides: {
      http: { host: '127.0.0.1', port: 0 },
      openflow: { host: '127.0.0.1', port: openflowPort, echoIntervalMs: 1000 },
      store: { dataDir: tempDataDir() },
      napps: { enabled: ['kytos/of_core'], settings: { 'kytos/of_core': settings } },
    },
    log: pino({ level: process.env.LATTICE_TEST_LOG ?? 'silent' }),
  });
  const events: KytosEvent[] = [];
  const waiters = new Set<{ pred: (e: KytosEvent) => boolean; resolve: (e: KytosEvent) => void }>();
  const off = main.system.bus.on(['kytos/.*'], (e) => {
    if (e.name.startsWith('kytos/of_core.v0x04.messages.in.ofpt_echo')) return;
    events.push(e);
    for (const w of waiters) if (w.pred(e)) (waiters.delete(w), w.resolve(e));
  });
  const southbound = main.southbound;
  const port = main.openflowPort;
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
      await main.stop();
    },
  };
}
