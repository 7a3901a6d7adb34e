import type { Cell, Metric } from '../metrics/index.js';

/**
 * The `lattice_http_requests_total` series of one route template, by status
 * class (1xx..5xx): each made on first use, then one increment per response.
 */
export class StatusCells {
  private readonly cells: (Cell | undefined)[] = [];

  constructor(
    private readonly metric: Metric,
    private readonly route: string,
  ) {}

  count(status: number): void {
    const k = (status / 100) | 0;
    let c = this.cells[k];
    if (c === undefined) c = this.cells[k] = this.metric.cell(this.route, `${k}xx`);
    c.value++;
  }
}
