import client from 'prom-client';
import type { MetricSnapshot, MetricsRegistry } from '../metrics/index.js';

export const PROMETHEUS_CONTENT_TYPE = client.Registry.PROMETHEUS_CONTENT_TYPE;

interface PromValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/**
 * The controller's registry in Prometheus text format, written by prom-client.
 * Each declared metric is registered in a private prom-client Registry (no
 * global one) as a collector that reads our registry's snapshot when scraped:
 * the hot paths keep counting into plain numbers, and prom-client does the
 * exposition format (escaping, histogram `_bucket`/`_sum`/`_count` lines).
 */
export class PrometheusExporter {
  private readonly registry = new client.Registry();
  /** The snapshot of the scrape in progress, by metric name (taken once per scrape, so the families agree). */
  private current = new Map<string, MetricSnapshot>();

  constructor(private readonly metrics: MetricsRegistry) {
    for (const snap of metrics.snapshot()) {
      const name = snap.name;
      this.registry.registerMetric({
        name,
        help: snap.help,
        type: snap.type,
        aggregator: 'sum',
        get: () => this.values(name),
      } as unknown as client.Metric);
    }
  }

  get contentType(): string {
    return PROMETHEUS_CONTENT_TYPE;
  }

  /** The text exposition of every declared metric. */
  text(): Promise<string> {
    this.current = new Map(this.metrics.snapshot().map((s) => [s.name, s]));
    return this.registry.metrics();
  }

  private values(name: string): { name: string; help: string; type: string; aggregator: 'sum'; values: PromValue[] } {
    const snap = this.current.get(name)!;
    const values: PromValue[] = [];
    for (const s of snap.samples) {
      if (typeof s.value === 'number') {
        values.push({ value: s.value, labels: s.labels });
        continue;
      }
      for (const [le, count] of Object.entries(s.value.buckets)) values.push({ metricName: `${name}_bucket`, value: count, labels: { ...s.labels, le } });
      values.push({ metricName: `${name}_sum`, value: s.value.sum, labels: s.labels });
      values.push({ metricName: `${name}_count`, value: s.value.count, labels: s.labels });
    }
    return { name, help: snap.help, type: snap.type, aggregator: 'sum', values };
  }
}
