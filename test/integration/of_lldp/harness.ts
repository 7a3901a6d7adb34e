/**
 * A real controller with of_core, topology, flow_manager and of_lldp on fast
 * settings, its HTTP client, a recorder of bus events, and helpers to read
 * frames a dummy port sent (`options:tx_pcap`) and inject frames on one
 * (`ovs-appctl netdev-dummy/receive`).
 */
import { readFileSync } from 'node:fs';
import { recordEvents } from '../../helpers/event-recorder.js';
import type { KytosEvent } from '../../../src/actor/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import type { OfLldpSettings } from '../../../napps/kytos/of_lldp/settings.js';
import type { Ovs } from '../../env/ovs.js';

export const LLDP = '/api/kytos/of_lldp/v1';
export const TOPO = '/api/kytos/topology/v3';

export interface LldpController {
  t: TestController;
  events: KytosEvent[];
  waitEvent(pred: (e: KytosEvent) => boolean, timeoutMs?: number): Promise<KytosEvent>;
  stop(): Promise<void>;
}

export async function startLldp(dataDir: string, settings: Partial<OfLldpSettings> = {}, topology: Record<string, unknown> = {}): Promise<LldpController> {
  const t = await createTestController({
    config: {
      openflow: { echoIntervalMs: 1000 },
      store: { dataDir },
      napps: {
        enabled: ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/of_lldp'],
        settings: {
          'kytos/topology': { LINK_UP_TIMER: 0.3, ...topology },
          'kytos/of_lldp': { POLLING_TIME: 0.3, ...settings },
        },
      },
    },
  });
  const recorder = recordEvents(t.bus, ['kytos/.*']);
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

/** The frames of a pcap file (classic format, either byte order), oldest first. */
export function pcapFrames(path: string): Buffer[] {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return [];
  }
  if (buf.length < 24) return [];
  const le = buf.readUInt32LE(0) === 0xa1b2c3d4;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const out: Buffer[] = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const len = u32(off + 8);
    if (off + 16 + len > buf.length) break;
    out.push(Buffer.from(buf.subarray(off + 16, off + 16 + len)));
    off += 16 + len;
  }
  return out;
}

/** Injects a frame as if it arrived on a dummy port. */
export async function inject(ovs: Ovs, port: string, frame: Buffer): Promise<void> {
  await ovs.appctl(['netdev-dummy/receive', port, frame.toString('hex')]);
}
