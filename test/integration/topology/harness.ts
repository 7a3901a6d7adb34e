/**
 * A real controller with of_core and topology (embedded store in a data dir
 * that survives restarts), its HTTP client, and a recorder of bus events.
 */
import { recordEvents } from '../../helpers/event-recorder.js';
import type { KytosEvent } from '../../../src/actor/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import type { TopologySettings } from '../../../napps/kytos/topology/settings.js';

export const API = '/api/kytos/topology/v3';

export interface TopologyController {
  t: TestController;
  events: KytosEvent[];
  waitEvent(pred: (e: KytosEvent) => boolean, timeoutMs?: number): Promise<KytosEvent>;
  stop(): Promise<void>;
}

export async function startTopology(dataDir: string, settings: Partial<TopologySettings> = {}, extra: Record<string, Record<string, unknown>> = {}): Promise<TopologyController> {
  const t = await createTestController({
    config: {
      ...extra,
      openflow: { echoIntervalMs: 1000 },
      store: { dataDir, ...extra.store },
      napps: { enabled: ['kytos/of_core', 'kytos/topology'], settings: { 'kytos/topology': { LINK_UP_TIMER: 0.3, ...settings } } },
    },
  });
  const recorder = recordEvents(t.bus, ['kytos/.*', 'topology\\..*']);
  return {
    t,
    events: recorder.events,
    waitEvent: recorder.waitEvent,
    async stop() {
      recorder.off();
      await t.stop();
    },
  };
}
