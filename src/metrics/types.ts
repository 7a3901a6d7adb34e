export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One metric as declared in `definitions.ts`. */
export interface MetricDeclaration {
  type: MetricType;
  /** Prometheus name: `lattice_<subsystem>_<what>[_total|_seconds]`. */
  name: string;
  help: string;
  labels: readonly string[];
  /** Upper bounds of a histogram's buckets, ascending (histograms only). */
  buckets?: readonly number[];
}

/** One labelled series of a counter or gauge: hot paths keep it and add to `value`. */
export interface Cell {
  value: number;
}

/** One labelled series of a histogram. */
export interface HistogramCell {
  /** Cumulative count per bucket bound (same order as the declaration's buckets), then +Inf. */
  readonly counts: number[];
  sum: number;
  count: number;
}

export interface Sample {
  labels: Record<string, string>;
  value: number | { buckets: Record<string, number>; sum: number; count: number };
}

export interface MetricSnapshot {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}
