import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { ActorSystem } from '../actor/index.js';
import type { MetricsRegistry } from '../metrics/index.js';
import { ofp } from '../openflow/index.js';
import type { MetricsService } from '../sdk/catalogue/core.js';

export interface RuntimeMetricSources {
  system: ActorSystem;
  southbound: {
    list(): unknown[];
    readonly stats: { framesIn: number; framesOut: number };
    readonly byType: { readonly in: readonly number[]; readonly out: readonly number[] };
  };
  /** WebSocket clients connected now. */
  wsClients: () => number;
}

/** The event-loop lag gauge shows the largest delay over the last 10 to 20 s. */
const LAG_WINDOW_MS = 10_000;
/**
 * The monitor's timer period: it records the time between its runs, so the delay is that minus
 * the period. One wake-up a second: on a 2-vCPU VM each wake-up of an otherwise idle process costs
 * 100-140 µs of CPU, so at 100 ms the monitor alone took 1.2-1.4 ms/s of an idle Node process, and
 * a controller at rest with three switches went from 6.9 to 5.1 ms/s when it moved to 1 s. A hold
 * of the loop longer than a second is always seen (as at least its length minus a second); a
 * shorter one when the timer fell due during it.
 */
const LAG_RESOLUTION_MS = 1000;

/** OpenFlow type number -> `packet_in` etc. (unknown types as their number). */
const TYPE_NAMES: string[] = Array.from({ length: 256 }, (_, i) => String(i));
for (const [name, n] of Object.entries(ofp.OFPT)) TYPE_NAMES[n] = name.toLowerCase();

function* nonZero(counts: readonly number[]): Generator<readonly [readonly string[], number]> {
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) yield [[TYPE_NAMES[i]!], counts[i]!];
}

function* entries(map: ReadonlyMap<string, number>): Generator<readonly [readonly string[], number]> {
  for (const [k, v] of map) yield [[k], v];
}

/**
 * Points the declared metrics that other parts count already (the actor
 * runtime, the southbound, the WebSocket hub) at those counts. They are read
 * when metrics are asked for, so they cost nothing per message. Returns the
 * function that stops the event-loop monitor.
 */
export function collectRuntimeMetrics(metrics: MetricsRegistry, { system, southbound, wsClients }: RuntimeMetricSources): () => void {
  metrics.get('actorMailboxRefusals').collectSeriesFrom(() => entries(system.refusalsByKind()));
  metrics.get('actorMailboxDepth').collectSeriesFrom(() => entries(system.mailboxDepthByKind()));
  metrics.get('actorCrashes').collectFrom(() => system.crashCount);
  metrics.get('actorRestarts').collectFrom(() => system.restartCount);
  metrics.get('deadLetters').collectFrom(() => system.deadLetters.size);
  metrics.get('switchesConnected').collectFrom(() => southbound.list().length);
  metrics.get('openflowMessagesIn').collectSeriesFrom(() => nonZero(southbound.byType.in));
  metrics.get('openflowMessagesOut').collectSeriesFrom(() => nonZero(southbound.byType.out));
  metrics.get('websocketClients').collectFrom(wsClients);
  // The largest delay over the last full window and the one running now: the same for every reader
  // (a scrape, the status route), however often they read.
  const loop = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  loop.enable();
  const maxNow = () => (Number.isFinite(loop.max) && loop.count > 0 ? Math.max(0, (loop.max / 1e6 - LAG_RESOLUTION_MS) / 1e3) : 0);
  let lastWindow = 0;
  const window = system.clock.setInterval(
    () => {
      lastWindow = maxNow();
      loop.reset();
    },
    LAG_WINDOW_MS,
    { unref: true },
  );
  metrics.get('eventLoopLag').collectFrom(() => Math.max(lastWindow, maxNow()));
  metrics.get('heapUsed').collectFrom(() => getHeapStatistics().used_heap_size);
  return () => {
    system.clock.clearInterval(window);
    loop.disable();
  };
}

/** The `metrics` service NApps get (`ctx.service(metricsService)`). */
export function metricsServiceOf(metrics: MetricsRegistry): MetricsService {
  const flows = metrics.get('flows');
  return {
    count: (metric, by, ...labels) => metrics.get(metric).inc(by, ...labels),
    setFlows: (state, count) => flows.set(count, state),
  };
}
