/**
 * Drive a run plan with autocannon (the fallback when no genuine k6 is installed): the same
 * method, URL, headers, body and rate. Every response's latency and status is kept so the
 * report computes its percentiles exactly as for any other sample set.
 */
import autocannon, { type AutocannonResult } from 'autocannon';
import { createRequire } from 'node:module';
import { countStatuses, summarizeLatencies, successesFrom, type Measurement } from './report.js';
import type { RunPlan } from './scenario.js';

/** The request bytes autocannon writes for this plan (its request builder's layout). */
export function requestBytes(plan: Pick<RunPlan, 'method' | 'url' | 'headers' | 'body'>): number {
  const url = new URL(plan.url);
  const lines = [`${plan.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: keep-alive'];
  const headers: Record<string, string> = { ...plan.headers };
  const body = plan.body === undefined ? Buffer.alloc(0) : Buffer.from(plan.body);
  if (body.length > 0) headers['Content-Length'] = String(body.length);
  for (const [key, value] of Object.entries(headers)) lines.push(`${key}: ${value}`);
  return Buffer.byteLength(lines.join('\r\n') + '\r\n\r\n') + body.length;
}

export function autocannonVersion(): string {
  return (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
}

export async function runAutocannon(plan: RunPlan): Promise<Measurement> {
  const latencies: number[] = [];
  const statuses: number[] = [];
  const errors: Record<string, number> = {};
  let bytesIn = 0;
  const started = process.hrtime.bigint();
  let lastResponse = started;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: plan.url,
        method: plan.method,
        headers: plan.headers,
        body: plan.body,
        connections: plan.concurrency,
        duration: plan.duration,
        pipelining: 1,
        // A dead target makes autocannon reconnect in a tight loop: stop after this many errors.
        bailout: Math.max(50, Math.round(plan.mode === 'rate' ? plan.rate : 1000)),
        timeout: Math.max(1, Math.ceil(plan.timeoutMs / 1000)),
        // Fixed rate: exactly rate x duration requests. autocannon paces per one-second bucket,
        // so without `amount` it may start one bucket more than the duration holds.
        ...(plan.mode === 'rate' ? { overallRate: plan.rate, amount: Math.max(1, Math.round(plan.rate * plan.duration)) } : {}),
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statuses.push(statusCode);
      bytesIn += resBytes;
      lastResponse = process.hrtime.bigint();
    });
    instance.on('reqError', (error: Error) => {
      statuses.push(0);
      errors[error.message] = (errors[error.message] ?? 0) + 1;
    });
  });
  const elapsedSeconds = Number(lastResponse - started) / 1e9;
  const statusCodes = countStatuses(statuses);
  const requests = statuses.length;
  return {
    tool: 'autocannon',
    toolVersion: autocannonVersion(),
    requests,
    successes: successesFrom(statusCodes, plan.expectedStatus),
    // In rate mode the schedule spans `duration` one-second buckets, whatever the last bucket took.
    elapsedSeconds: plan.mode === 'rate' ? Math.max(elapsedSeconds, plan.duration) : Math.max(elapsedSeconds, result.duration),
    attackSeconds: plan.mode === 'rate' ? Math.max(result.duration, plan.duration) : result.duration,
    latencyMs: summarizeLatencies(latencies),
    bytesIn,
    bytesOut: requests * requestBytes(plan),
    statusCodes,
    errors,
    dropped: 0,
    notes: [
      plan.mode === 'rate'
        ? `autocannon overallRate ${plan.rate} req/s over ${Math.min(plan.concurrency, plan.rate)} connections (autocannon paces each connection per second: requests leave in bursts, not evenly spaced)`
        : `autocannon closed loop, ${plan.concurrency} connections`,
      'latency is time from request written to response complete (raw, no coordinated-omission correction); bytes out are request size x requests',
    ],
  };
}
