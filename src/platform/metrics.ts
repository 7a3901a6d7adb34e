import { getHeapStatistics } from 'node:v8';
import type { ActorSystem } from '../actor/index.js';
import type { MetricsRegistry } from '../metrics/index.js';
import { ofp } from '../openflow/index.js';
import type { MetricsService } from '../sdk/catalogue/core.js';
import { LoopLag } from './loop-lag.js';

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

/** The event-loop lag gauge: a timer every second, the largest delay over the last 10 to 20 s. */
const LAG_PERIOD_MS = 1000;
const LAG_WINDOW_TICKS = 10;

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
 * function that stops the event-loop timer.
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
  const lag = new LoopLag(system.clock.monotonic(), LAG_PERIOD_MS, LAG_WINDOW_TICKS);
  const timer = system.clock.setInterval(() => lag.tick(system.clock.monotonic()), LAG_PERIOD_MS, { unref: true });
  metrics.get('eventLoopLag').collectFrom(() => lag.seconds);
  metrics.get('heapUsed').collectFrom(() => getHeapStatistics().used_heap_size);
  return () => system.clock.clearInterval(timer);
}

/** The `metrics` service NApps get (`ctx.service(metricsService)`). */
export function metricsServiceOf(metrics: MetricsRegistry): MetricsService {
  const flows = metrics.get('flows');
  return {
    count: (metric, by, ...labels) => metrics.get(metric).inc(by, ...labels),
    setFlows: (state, count) => flows.set(count, state),
  };
}
