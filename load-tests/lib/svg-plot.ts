/**
 * A small hand-made SVG writer for latency plots: latency percentiles (x) on a
 * log scale of milliseconds (y), one line per series. Pure: returns the text.
 */
export interface PlotSeries {
  name: string;
  /** In order along x; values in milliseconds. */
  points: { label: string; ms: number }[];
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const W = 760;
const H = 440;
const M = { left: 70, right: 200, top: 40, bottom: 50 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number): string => (Math.round(n * 10) / 10).toString();

function msLabel(ms: number): string {
  if (ms >= 1000) return `${ms / 1000} s`;
  if (ms >= 1) return `${ms} ms`;
  return `${Math.round(ms * 1000)} µs`;
}

export function latencyPlotSvg(title: string, series: PlotSeries[]): string {
  const labels = series[0]?.points.map((p) => p.label) ?? [];
  const values = series.flatMap((s) => s.points.map((p) => p.ms)).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.floor(Math.log10(values.length ? Math.min(...values) : 0.1));
  let hi = Math.ceil(Math.log10(values.length ? Math.max(...values) : 10));
  if (hi <= lo) hi = lo + 1;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number) => M.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (ms: number) => M.top + plotH - ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo)) * plotH;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="${M.top - 16}" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let d = lo; d <= hi; d++) {
    const yy = num(y(10 ** d));
    out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(msLabel(10 ** d))}</text>`);
  }
  labels.forEach((l, i) => {
    out.push(`<line x1="${num(x(i))}" x2="${num(x(i))}" y1="${M.top}" y2="${M.top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${num(x(i))}" y="${M.top + plotH + 18}" text-anchor="middle">${esc(l)}</text>`);
  });
  out.push(`<text x="${M.left + plotW / 2}" y="${H - 10}" text-anchor="middle">percentile</text>`);
  out.push(`<text transform="translate(16 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">latency (log scale)</text>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    const pts = s.points.map((p, i) => `${num(x(i))},${num(y(p.ms))}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [i, p] of s.points.entries()) {
      out.push(`<circle cx="${num(x(i))}" cy="${num(y(p.ms))}" r="3.5" fill="${colour}"><title>${esc(`${s.name} ${p.label}: ${p.ms.toFixed(3)} ms`)}</title></circle>`);
    }
    const ly = M.top + 10 + k * 20;
    out.push(`<line x1="${W - M.right + 16}" x2="${W - M.right + 40}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${W - M.right + 46}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

interface RoundRun {
  phase: 'max' | 'rate';
  server: 'bare' | 'lattice';
  report: { offeredRate: number | null; latencyMs: Record<(typeof PERCENTILES)[number], number> };
}

/** One series per server and phase of an alternating bench: each latency percentile's median over the rounds. */
export function roundSeries(runs: readonly RoundRun[], labels: Record<'bare' | 'lattice', string>): PlotSeries[] {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const out: PlotSeries[] = [];
  for (const phase of ['rate', 'max'] as const) {
    for (const server of ['bare', 'lattice'] as const) {
      const rs = runs.filter((r) => r.phase === phase && r.server === server).map((r) => r.report);
      if (rs.length === 0) continue;
      out.push({
        name: `${labels[server]} (${phase === 'rate' ? `${rs[0]!.offeredRate}/s` : 'closed loop'})`,
        points: PERCENTILES.map((p) => ({ label: p, ms: median(rs.map((r) => r.latencyMs[p])) })),
      });
    }
  }
  return out;
}

/** The percentiles plotted from a latency summary (milliseconds). */
export const PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'max'] as const;
export function summaryPoints(latencyMs: Record<(typeof PERCENTILES)[number], number>): PlotSeries['points'] {
  return PERCENTILES.map((p) => ({ label: p, ms: latencyMs[p] }));
}

/** One panel of a time-series plot: values over minutes, linear y, with an optional fitted line. */
export interface TimePanel {
  name: string;
  unit: string;
  points: { tMin: number; value: number }[];
  /** A fitted line value = intercept + slope * tMin, drawn from `fromMin` on. */
  fit?: { slopePerMin: number; intercept: number; fromMin: number };
}

/** Small multiples: one panel per series stacked vertically (a soak's heap, RSS, fds ...). Pure: returns the text. */
export function timeSeriesPlotSvg(title: string, panels: TimePanel[]): string {
  const PW = 760;
  const PH = 150;
  const L = 80;
  const R = 20;
  const top = 64;
  const gap = 44;
  const height = top + panels.length * (PH + gap) + 20;
  const tMax = Math.max(1e-9, ...panels.flatMap((p) => p.points.map((q) => q.tMin)));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PW}" height="${height}" viewBox="0 0 ${PW} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${PW}" height="${height}" fill="#fff"/>`,
    `<text x="${L}" y="24" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  panels.forEach((p, k) => {
    const y0 = top + k * (PH + gap);
    const plotW = PW - L - R;
    const vals = p.points.map((q) => q.value).filter(Number.isFinite);
    let lo = vals.length ? Math.min(...vals) : 0;
    let hi = vals.length ? Math.max(...vals) : 1;
    if (hi - lo < Math.abs(hi) * 0.05 + 1e-9) {
      const pad = Math.abs(hi) * 0.05 + 1e-9;
      lo -= pad;
      hi += pad;
    }
    const x = (t: number) => L + (t / tMax) * plotW;
    const y = (v: number) => y0 + PH - ((v - lo) / (hi - lo)) * PH;
    const colour = COLOURS[k % COLOURS.length]!;
    out.push(`<rect x="${L}" y="${y0}" width="${plotW}" height="${PH}" fill="none" stroke="#999"/>`);
    out.push(`<text x="${L}" y="${y0 - 6}" font-weight="bold">${esc(`${p.name} (${p.unit})`)}</text>`);
    for (const v of [lo, (lo + hi) / 2, hi]) {
      out.push(`<text x="${L - 6}" y="${num(y(v))}" text-anchor="end" dominant-baseline="middle">${esc(fmt(v))}</text>`);
      out.push(`<line x1="${L}" x2="${L + plotW}" y1="${num(y(v))}" y2="${num(y(v))}" stroke="#eee"/>`);
    }
    out.push(`<text x="${L + plotW}" y="${y0 + PH + 14}" text-anchor="end">${esc(`${tMax.toFixed(1)} min`)}</text>`);
    out.push(`<text x="${L}" y="${y0 + PH + 14}">0</text>`);
    const pts = p.points.filter((q) => Number.isFinite(q.value)).map((q) => `${num(x(q.tMin))},${num(y(q.value))}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    if (p.fit) {
      const a = p.fit.fromMin;
      const f = (t: number) => p.fit!.intercept + p.fit!.slopePerMin * t;
      out.push(`<line x1="${num(x(a))}" x2="${num(x(tMax))}" y1="${num(y(f(a)))}" y2="${num(y(f(tMax)))}" stroke="#000" stroke-dasharray="4 3"/>`);
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}
