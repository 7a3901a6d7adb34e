import { METRICS } from './definitions.js';
import type { Cell, HistogramCell, MetricDeclaration, MetricSnapshot, Sample } from './types.js';

interface Series {
  labels: readonly string[];
  cell: Cell | HistogramCell;
}

/**
 * One declared metric and its labelled series. Hot paths take a series once
 * (`cell(...)`) and add to it; values that another part already counts are
 * read at snapshot time instead (`collectFrom`), which costs nothing per event.
 */
export class Metric {
  private readonly series = new Map<string, Series>();
  private source: (() => number) | undefined;

  constructor(readonly declaration: MetricDeclaration) {}

  /** The series for these label values (in declared order), made on first use. Counters and gauges. */
  cell(...labelValues: string[]): Cell {
    if (this.declaration.type === 'histogram') throw new TypeError(`${this.declaration.name} is a histogram: use histogramCell()`);
    return this.get(labelValues, () => ({ value: 0 })) as Cell;
  }

  /** The series of a histogram for these label values. */
  histogramCell(...labelValues: string[]): HistogramCell {
    const buckets = this.declaration.buckets;
    if (this.declaration.type !== 'histogram' || !buckets) throw new TypeError(`${this.declaration.name} is not a histogram`);
    return this.get(labelValues, () => ({ counts: new Array<number>(buckets.length + 1).fill(0), sum: 0, count: 0 })) as HistogramCell;
  }

  inc(by = 1, ...labelValues: string[]): void {
    if (this.declaration.type === 'gauge' || by >= 0) this.cell(...labelValues).value += by;
    else throw new RangeError(`counter ${this.declaration.name} cannot go down`);
  }

  set(value: number, ...labelValues: string[]): void {
    if (this.declaration.type !== 'gauge') throw new TypeError(`${this.declaration.name} is not a gauge`);
    this.cell(...labelValues).value = value;
  }

  observe(value: number, ...labelValues: string[]): void {
    observe(this.declaration.buckets!, this.histogramCell(...labelValues), value);
  }

  /** The (unlabelled) value is read from `fn` at snapshot time: for counts another part keeps already. */
  collectFrom(fn: () => number): void {
    if (this.declaration.labels.length > 0) throw new TypeError(`${this.declaration.name} has labels: it cannot be collected from one number`);
    this.source = fn;
  }

  samples(): Sample[] {
    if (this.source) return [{ labels: {}, value: this.source() }];
    const names = this.declaration.labels;
    const out: Sample[] = [];
    for (const s of this.series.values()) {
      const labels: Record<string, string> = {};
      names.forEach((n, i) => (labels[n] = s.labels[i]!));
      out.push({ labels, value: 'value' in s.cell ? s.cell.value : histogramValue(this.declaration.buckets!, s.cell) });
    }
    // An unlabelled counter or gauge that never moved still reads 0.
    if (out.length === 0 && names.length === 0 && this.declaration.type !== 'histogram') out.push({ labels: {}, value: 0 });
    return out;
  }

  private get(labelValues: string[], make: () => Cell | HistogramCell): Cell | HistogramCell {
    const names = this.declaration.labels;
    if (labelValues.length !== names.length) {
      throw new RangeError(`${this.declaration.name} takes labels [${names.join(', ')}], got ${labelValues.length} values`);
    }
    const key = labelValues.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { labels: [...labelValues], cell: make() };
      this.series.set(key, s);
    }
    return s.cell;
  }
}

/** Adds one observation to a histogram series (cumulative buckets, as Prometheus has them). */
export function observe(buckets: readonly number[], cell: HistogramCell, value: number): void {
  for (let i = 0; i < buckets.length; i++) if (value <= buckets[i]!) cell.counts[i]!++;
  cell.counts[buckets.length]!++;
  cell.sum += value;
  cell.count++;
}

function histogramValue(buckets: readonly number[], cell: HistogramCell): Sample['value'] {
  const out: Record<string, number> = {};
  buckets.forEach((b, i) => (out[String(b)] = cell.counts[i]!));
  out['+Inf'] = cell.counts[buckets.length]!;
  return { buckets: out, sum: cell.sum, count: cell.count };
}

/**
 * The metrics of one controller, made from the declarations (no global
 * registry: `src/main.ts` makes one and passes it to whoever counts).
 */
export class MetricsRegistry<D extends Record<string, MetricDeclaration> = typeof METRICS> {
  private readonly metrics = new Map<keyof D, Metric>();

  constructor(declarations: D = METRICS as unknown as D) {
    const names = new Set<string>();
    for (const key of Object.keys(declarations) as (keyof D)[]) {
      const d = declarations[key]!;
      if (names.has(d.name)) throw new Error(`metric ${d.name} is declared twice`);
      if (!/^[a-z_][a-z0-9_]*$/.test(d.name)) throw new Error(`metric name ${d.name} is not a Prometheus name`);
      names.add(d.name);
      this.metrics.set(key, new Metric(d));
    }
  }

  get(key: keyof D): Metric {
    return this.metrics.get(key)!;
  }

  snapshot(): MetricSnapshot[] {
    return [...this.metrics.values()].map((m) => ({
      name: m.declaration.name,
      type: m.declaration.type,
      help: m.declaration.help,
      samples: m.samples(),
    }));
  }

  /**
   * The compact JSON view (`GET /api/kytos/core/status/` under `metrics`):
   * name -> value for an unlabelled metric, name -> [{...labels, value}] otherwise.
   */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const m of this.metrics.values()) {
      const samples = m.samples();
      out[m.declaration.name] =
        m.declaration.labels.length === 0 && samples.length === 1 ? samples[0]!.value : samples.map((s) => ({ ...s.labels, value: s.value }));
    }
    return out;
  }
}
