/**
 * The real controller (src/main.ts) with the of_core NApp and its southbound.
 */
import { pino } from 'pino';
import { recordEvents } from '../../helpers/event-recorder.js';
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
  const recorder = recordEvents(main.system.bus, ['kytos/.*']);
  const southbound = main.southbound;
  const port = main.openflowPort;
  return {
    main,
    southbound,
    port,
    events: recorder.events,
    waitEvent: recorder.waitEvent,
    async stop() {
      recorder.off();
      await main.stop();
    },
  };
}
