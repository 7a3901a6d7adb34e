import { expect } from 'chai';
import {
  buildReport,
  countStatuses,
  evaluateThresholds,
  formatDuration,
  formatReport,
  percentile,
  successesFrom,
  summarizeLatencies,
  type Measurement,
} from '../../../load-tests/lib/report.js';
import { resolvePlan, type Scenario } from '../../../load-tests/lib/scenario.js';

const scenario: Scenario = {
  name: 'demo',
  description: 'demo',
  method: 'GET',
  path: '/api/kytos/core/status/',
  headers: {},
  expectedStatus: [200],
  rate: 100,
  duration: 10,
  thresholds: { maxFailureRatio: 0, p50Ms: 1, p95Ms: 5, p99Ms: 10 },
};

function measurement(over: Partial<Measurement> = {}): Measurement {
  return {
    tool: 'autocannon',
    toolVersion: '9.0.0',
    requests: 1000,
    successes: 1000,
    elapsedSeconds: 10,
    attackSeconds: 10,
    latencyMs: { min: 0.1, mean: 0.5, p50: 0.4, p90: 0.9, p95: 1.5, p99: 4, max: 20 },
    bytesIn: 393_000,
    bytesOut: 118_000,
    statusCodes: { '200': 1000 },
    errors: {},
    dropped: 0,
    notes: [],
    ...over,
  };
}

describe('load report', () => {
  describe('percentile (nearest rank)', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

    it('should give the value at rank ceil(p/100 * n)', () => {
      expect(percentile(sorted, 50)).to.equal(50);
      expect(percentile(sorted, 90)).to.equal(90);
      expect(percentile(sorted, 99)).to.equal(99);
      expect(percentile(sorted, 99.5)).to.equal(100);
      expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).to.equal(10);
      expect(percentile([5, 7, 9], 50)).to.equal(7);
    });

    it('should give min and max at the ends and NaN for no samples', () => {
      expect(percentile(sorted, 0)).to.equal(1);
      expect(percentile(sorted, 100)).to.equal(100);
      expect(percentile([], 50)).to.be.NaN;
    });
  });

  describe('summarizeLatencies', () => {
    it('should sort the samples itself and compute min/mean/percentiles/max', () => {
      const samples = [9, 1, 5, 3, 7, 2, 8, 4, 10, 6];
      const s = summarizeLatencies(samples);
      expect(s).to.deep.equal({ min: 1, mean: 5.5, p50: 5, p90: 9, p95: 10, p99: 10, max: 10 });
      expect(samples[0]).to.equal(9); // the caller's array is left alone
    });

    it('should see one slow request in p99 of 100 but not in p95', () => {
      const samples = [...Array(99).fill(1), 250];
      const s = summarizeLatencies(samples);
      expect(s.p95).to.equal(1);
      expect(s.p99).to.equal(1);
      expect(s.max).to.equal(250);
      const twoSlow = summarizeLatencies([...Array(98).fill(1), 250, 300]);
      expect(twoSlow.p99).to.equal(250);
    });
  });

  describe('status codes', () => {
    it('should count each code, with 0 for requests that got no response', () => {
      const counts = countStatuses([200, 200, 503, 0, 200, 404, 0]);
      expect(counts).to.deep.equal({ '0': 2, '200': 3, '404': 1, '503': 1 });
      expect(successesFrom(counts, [200])).to.equal(3);
      expect(successesFrom(counts, [200, 404])).to.equal(4);
      expect(successesFrom(counts, [202])).to.equal(0);
    });
  });

  describe('thresholds', () => {
    const plan = resolvePlan(scenario, { target: 'http://127.0.0.1:8181' });

    it('should pass a clean run at the offered rate', () => {
      const report = buildReport(plan, measurement({ requests: 1000, successes: 1000, attackSeconds: 10 }), null, new Date(), new Date());
      expect(report.passed).to.equal(true);
      expect(report.rate).to.equal(100);
      expect(report.throughput).to.equal(100);
      expect(report.successRatio).to.equal(1);
    });

    it('should fail on a single failed request when the limit is 0', () => {
      const report = buildReport(plan, measurement({ successes: 999, statusCodes: { '200': 999, '503': 1 } }), null, new Date(), new Date());
      expect(report.passed).to.equal(false);
      const failure = report.thresholds.find((t) => t.name === 'failure ratio')!;
      expect(failure.ok).to.equal(false);
      expect(failure.actual).to.equal('0.0010');
    });

    it('should fail when p99 is over its limit and name it', () => {
      const results = evaluateThresholds(
        { requests: 10, successRatio: 1, rate: 100, mode: 'rate', offeredRate: 100, dropped: 0, latencyMs: { ...measurement().latencyMs, p99: 10.5 } },
        scenario.thresholds,
      );
      expect(results.filter((r) => !r.ok).map((r) => r.name)).to.deep.equal(['latency p99']);
    });

    it('should fail when the achieved rate falls short of the offered rate', () => {
      const report = buildReport(plan, measurement({ requests: 800, successes: 800, dropped: 200 }), null, new Date(), new Date());
      expect(report.thresholds.find((t) => t.name === 'achieved/offered rate')!.ok).to.equal(false);
      expect(report.passed).to.equal(false);
    });

    it('should fail a run that sent nothing', () => {
      const report = buildReport(plan, measurement({ requests: 0, successes: 0, statusCodes: {} }), null, new Date(), new Date());
      expect(report.passed).to.equal(false);
    });

    it("should fail when k6's own threshold verdict failed", () => {
      const report = buildReport(
        plan,
        measurement({ toolThresholds: [{ name: 'k6 http_req_failed', limit: 'rate<=0', actual: 'crossed', ok: false }] }),
        null,
        new Date(),
        new Date(),
      );
      expect(report.passed).to.equal(false);
    });

    it('should not judge latency in closed-loop (max) mode, only failures', () => {
      const maxPlan = resolvePlan(scenario, { target: 'http://127.0.0.1:8181', mode: 'max' });
      const report = buildReport(maxPlan, measurement({ latencyMs: { ...measurement().latencyMs, p99: 500 } }), null, new Date(), new Date());
      expect(report.passed).to.equal(true);
      expect(report.offeredRate).to.equal(null);
    });
  });

  describe('formatReport', () => {
    it('should print the vegeta-style rows, the tool, status codes and the verdict', () => {
      const plan = resolvePlan(scenario, { target: 'http://127.0.0.1:8181' });
      const report = buildReport(
        plan,
        measurement({ successes: 998, statusCodes: { '200': 998, '503': 1, '0': 1 }, errors: { 'request timed out': 1 } }),
        { pid: 42, source: '/proc/42/stat utime+stime', ticks: 10, clockTicksPerSecond: 100, seconds: 0.1, perRequestUs: 100, resolution: 0.1, schedstatPerRequestUs: 98 },
        new Date(),
        new Date(),
      );
      const text = formatReport(report);
      expect(text).to.match(/^Tool\s+\[name, version, mode\]\s+autocannon, 9\.0\.0, constant rate 100\/s$/m);
      expect(text).to.match(/^Requests\s+\[total, rate, throughput\]\s+1000, 100\.00, 99\.80$/m);
      expect(text).to.match(/^Latencies\s+\[min, mean, 50, 90, 95, 99, max\]\s+100\.0µs, 500\.0µs, 400\.0µs, 900\.0µs, 1\.500ms, 4\.000ms, 20\.000ms$/m);
      expect(text).to.match(/^Success\s+\[ratio\]\s+99\.80%$/m);
      expect(text).to.match(/^Status Codes\s+\[code:count\]\s+0:1 {2}200:998 {2}503:1$/m);
      expect(text).to.match(/^Server CPU\s+\[pid, total, per request\]\s+42, 0\.100s \(10 ticks\), 100\.0µs/m);
      expect(text).to.contain('request timed out (x1)');
      expect(text).to.match(/^Result: FAIL$/m);
    });

    it('should render durations as Go does', () => {
      expect(formatDuration(0.4512)).to.equal('451.2µs');
      expect(formatDuration(18.72)).to.equal('18.720ms');
      expect(formatDuration(60_000)).to.equal('60.000s');
    });
  });
});
