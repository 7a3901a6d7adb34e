import type { ActorSystem } from '../actor/index.js';
import type { MetricsRegistry } from '../metrics/index.js';

export interface RuntimeMetricSources {
  system: ActorSystem;
  southbound: { list(): unknown[]; readonly stats: { framesIn: number; framesOut: number } };
}

/**
 * Points the declared metrics that other parts count already (the actor
 * runtime, the southbound) at those counts. They are read when metrics are
 * asked for, so they cost nothing per message.
 */
export function collectRuntimeMetrics(metrics: MetricsRegistry, { system, southbound }: RuntimeMetricSources): void {
  metrics.get('actorMailboxRefusals').collectFrom(() => system.refusedCount);
  metrics.get('actorCrashes').collectFrom(() => system.crashCount);
  metrics.get('actorRestarts').collectFrom(() => system.list().reduce((n, a) => n + a.restarts, 0));
  metrics.get('deadLetters').collectFrom(() => system.deadLetters.size);
  metrics.get('switchesConnected').collectFrom(() => southbound.list().length);
  metrics.get('openflowMessagesIn').collectFrom(() => southbound.stats.framesIn);
  metrics.get('openflowMessagesOut').collectFrom(() => southbound.stats.framesOut);
}
