import { observe, type Cell, type HistogramCell, type Metric } from '../metrics/index.js';

/**
 * The series of one route template: `lattice_http_requests_total` by status
 * class (1xx..5xx) and `lattice_http_request_duration_seconds`, each made on
 * first use, then one increment (and one observation) per response.
 */
export class StatusCells {
  private readonly cells: (Cell | undefined)[] = [];
  private histogram: HistogramCell | undefined;

  constructor(
    private readonly metric: Metric,
    private readonly route: string,
    private readonly duration?: Metric,
  ) {}

  count(status: number): void {
    const k = (status / 100) | 0;
    let c = this.cells[k];
    if (c === undefined) c = this.cells[k] = this.metric.cell(this.route, `${k}xx`);
    c.value++;
  }

  /** One response took `seconds` (only when latency is measured). */
  observe(seconds: number): void {
    const d = this.duration!;
    this.histogram ??= d.histogramCell(this.route);
    observe(d.declaration.buckets!, this.histogram, seconds);
  }
}
