// Generic k6 script: runs one scenario of load-tests/scenarios.json, as resolved by the runner
// into a run plan (full URL, serialized body, rate, duration, thresholds).
//
//   k6 run -e LATTICE_PLAN_FILE=/abs/plan.json -e LATTICE_SUMMARY_FILE=/abs/summary.json load-tests/k6/scenario.js
//
// `npm run load -- <scenario> --tool k6` writes the plan and reads the summary back; the plan's
// fields are those of RunPlan in load-tests/lib/scenario.ts.
import http from 'k6/http';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const plan = JSON.parse(open(__ENV.LATTICE_PLAN_FILE));

// One counter per status code (k6 metrics must be declared in the init context).
const KNOWN_STATUSES = [0, 200, 201, 202, 204, 301, 302, 304, 307, 308, 400, 401, 403, 404, 405, 409, 413, 415, 422, 424, 429, 500, 501, 502, 503, 504];
const statusCounters = {};
for (const code of KNOWN_STATUSES) statusCounters[code] = new Counter(`lattice_status_${code}`);
const otherStatus = new Counter('lattice_status_other');
// Requests without an HTTP response, by k6 error code (1000-1699; the runner names them).
const errorCounters = {};
for (let code = 1000; code < 1700; code++) errorCounters[code] = new Counter(`lattice_error_${code}`);
const otherError = new Counter('lattice_error_other');

http.setResponseCallback(http.expectedStatuses(...plan.expectedStatus));

function executor() {
  if (plan.mode === 'max') {
    return { executor: 'constant-vus', vus: plan.concurrency, duration: `${plan.duration}s`, gracefulStop: '5s' };
  }
  return {
    executor: 'constant-arrival-rate',
    rate: plan.rate,
    timeUnit: '1s',
    duration: `${plan.duration}s`,
    preAllocatedVUs: plan.concurrency,
    maxVUs: Math.max(plan.concurrency * 4, 50),
    gracefulStop: '5s',
  };
}

function thresholds() {
  const t = plan.thresholds;
  const out = { http_req_failed: [`rate<=${t.maxFailureRatio}`] };
  if (plan.mode === 'rate') {
    const latency = [];
    if (t.p50Ms !== undefined) latency.push(`med<=${t.p50Ms}`);
    if (t.p95Ms !== undefined) latency.push(`p(95)<=${t.p95Ms}`);
    if (t.p99Ms !== undefined) latency.push(`p(99)<=${t.p99Ms}`);
    if (latency.length > 0) out.http_req_duration = latency;
  }
  return out;
}

export const options = {
  scenarios: { [plan.scenario]: executor() },
  thresholds: thresholds(),
  summaryTrendStats: ['min', 'avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
  discardResponseBodies: true,
  userAgent: 'lattice-load/k6',
};

const params = { headers: plan.headers, timeout: `${plan.timeoutMs}ms`, tags: { scenario_name: plan.scenario } };
const body = plan.body === undefined || plan.body === null ? null : plan.body;

// bench:flows' distinct flows (plan.flowSeries): iteration n sends `batch` flows numbered from
// first + n * batch, to bridge (n % switches) + 1; bench-flows.ts's flowSeriesRequest is the same.
const series = plan.flowSeries;
const dpidOf = (n) => n.toString(16).padStart(16, '0').match(/../g).join(':');
function seriesRequest() {
  const n = exec.scenario.iterationInTest;
  const flows = [];
  for (let k = 0; k < series.batch; k++) {
    const i = series.first + n * series.batch + k;
    flows.push({ priority: 10 + Math.floor(i / 4094), match: { in_port: 1, dl_vlan: (i % 4094) + 1 }, actions: [{ action_type: 'output', port: 1 }] });
  }
  const url = `${series.base}/api/kytos/flow_manager/v2/flows/${dpidOf((n % series.switches) + 1)}${series.query}`;
  return { url, body: JSON.stringify({ force: true, flows }) };
}

export default function () {
  const next = series ? seriesRequest() : { url: plan.url, body };
  const res = http.request(plan.method, next.url, next.body, params);
  const counter = statusCounters[res.status];
  if (counter) counter.add(1);
  else otherStatus.add(1);
  if (res.status === 0) (errorCounters[res.error_code] ?? otherError).add(1);
}

export function handleSummary(data) {
  // The runner prints its own vegeta-style report from this JSON.
  return { [__ENV.LATTICE_SUMMARY_FILE]: JSON.stringify(data) };
}
