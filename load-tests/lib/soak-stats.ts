/**
 * The soak's verdict, pure: a least-squares line through each sampled series
 * after the warm-up, its slope per hour, and the bound it must stay under.
 */
export interface Sample {
  /** Minutes since the soak started. */
  tMin: number;
  heapMB: number;
  rssMB: number;
  fds: number;
  storeMB: number;
  lagMs: number;
}

export type SeriesName = Exclude<keyof Sample, 'tMin'>;

export interface Fit {
  /** Change per minute. */
  slopePerMin: number;
  intercept: number;
  n: number;
}

/** Ordinary least squares of y on x; undefined under 3 points or when every x is the same. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): Fit | undefined {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return undefined;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slopePerMin: slope, intercept: my - slope * mx, n };
}

export interface Bound {
  series: SeriesName;
  unit: string;
  /** The slope (per hour, after the warm-up) must stay strictly under this. */
  maxPerHour: number;
  /**
   * What the line is fitted to: every sample, or the lowest sample of each `WINDOW_MIN` window
   * (the floor after garbage collections: a sample of the heap in use includes garbage not yet
   * collected, and V8 lets that grow before a major GC; what is retained is the floor).
   */
  fit: 'samples' | 'floor';
}

/** Minutes per window whose lowest sample makes one point of a `floor` fit. */
export const WINDOW_MIN = 3;

/** The stated bounds: what "flat" means for a 30-minute run on a shared 2-core machine. */
export const BOUNDS: readonly Bound[] = [
  { series: 'heapMB', unit: 'MB', maxPerHour: 20, fit: 'floor' },
  { series: 'rssMB', unit: 'MB', maxPerHour: 40, fit: 'floor' },
  { series: 'fds', unit: 'fds', maxPerHour: 20, fit: 'samples' },
  { series: 'storeMB', unit: 'MB', maxPerHour: 20, fit: 'samples' },
  { series: 'lagMs', unit: 'ms', maxPerHour: 100, fit: 'samples' },
];

/** The lowest sample of each window of `windowMin` minutes (from `from`), as points; all samples when fewer than 3 windows. */
export function floorPoints(samples: readonly Sample[], series: SeriesName, from: number, windowMin = WINDOW_MIN): { tMin: number; value: number }[] {
  const windows = new Map<number, Sample>();
  for (const s of samples) {
    if (!Number.isFinite(s[series])) continue;
    const w = Math.floor((s.tMin - from) / windowMin);
    const cur = windows.get(w);
    if (!cur || s[series] < cur[series]) windows.set(w, s);
  }
  const pts = [...windows.entries()].sort(([a], [b]) => a - b).map(([, s]) => ({ tMin: s.tMin, value: s[series] }));
  return pts.length >= 3 ? pts : samples.map((s) => ({ tMin: s.tMin, value: s[series] }));
}

export interface Verdict {
  series: SeriesName;
  unit: string;
  fitTo: Bound['fit'];
  slopePerHour: number | null;
  maxPerHour: number;
  first: number | null;
  last: number | null;
  ok: boolean;
  fit?: Fit;
}

/** Fits every bounded series over the samples at or after `warmupMin`. */
export function judge(samples: readonly Sample[], warmupMin: number, bounds: readonly Bound[] = BOUNDS): Verdict[] {
  const after = samples.filter((s) => s.tMin >= warmupMin);
  return bounds.map((b) => {
    const pts = b.fit === 'floor' ? floorPoints(after, b.series, warmupMin) : after.map((s) => ({ tMin: s.tMin, value: s[b.series] }));
    const fit = leastSquares(
      pts.map((p) => p.tMin),
      pts.map((p) => p.value),
    );
    const slopePerHour = fit ? fit.slopePerMin * 60 : null;
    return {
      series: b.series,
      unit: b.unit,
      fitTo: b.fit,
      slopePerHour,
      maxPerHour: b.maxPerHour,
      first: after[0]?.[b.series] ?? null,
      last: after[after.length - 1]?.[b.series] ?? null,
      ok: slopePerHour !== null && slopePerHour < b.maxPerHour,
      ...(fit ? { fit } : {}),
    };
  });
}
