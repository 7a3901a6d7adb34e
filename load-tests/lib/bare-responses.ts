/**
 * The fixed responses the bare uWebSockets.js baseline serves: one per scenario, at the path the
 * scenario requests, with the bytes Kytos (and Lattice) answer there. bench:http replaces these
 * with the bytes captured from the running controller, so both servers send the very same bytes.
 */
import { readFileSync } from 'node:fs';
import { requestPath, type Scenario } from './scenario.js';

export interface FixedResponse {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: string;
}

/** A JSON document of exactly `size` bytes (compact, ASCII), the same on every call. */
export function fixedJsonBody(size: number): string {
  const head = '{"blob":"';
  const tail = '"}';
  const fill = size - head.length - tail.length;
  if (fill < 0) throw new Error(`a JSON body cannot be smaller than ${head.length + tail.length} bytes`);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let text = '';
  for (let i = 0; i < fill; i++) text += alphabet[(i * 7) % alphabet.length];
  return head + text + tail;
}

/** Default body per scenario name; a scenario missing here gets `{}`. */
const DEFAULT_BODIES: Record<string, string> = {
  'topology-get': fixedJsonBody(8601),
  'lldp-polling-post': JSON.stringify('Polling time has been updated.'),
  'flow-post': JSON.stringify({ response: 'FlowMod Messages Sent' }),
  'trivial-get': JSON.stringify({ response: 'pong' }),
};

export function defaultResponses(scenarios: Scenario[]): FixedResponse[] {
  return scenarios.map((s) => ({
    method: s.method,
    path: requestPath(s),
    status: s.expectedStatus[0],
    contentType: 'application/json',
    body: DEFAULT_BODIES[s.name] ?? '{}',
  }));
}

export function isFixedResponse(value: unknown): value is FixedResponse {
  const r = value as Record<string, unknown>;
  return (
    typeof r === 'object' && r !== null &&
    typeof r.method === 'string' && typeof r.path === 'string' && r.path.startsWith('/') &&
    Number.isInteger(r.status) && typeof r.contentType === 'string' && typeof r.body === 'string'
  );
}

/** Read a responses file: `{ "responses": [FixedResponse, ...] }`. */
export function readResponsesFile(file: string): FixedResponse[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { responses?: unknown };
  if (!Array.isArray(doc.responses) || !doc.responses.every(isFixedResponse)) {
    throw new Error(`${file}: expected { "responses": [{ method, path, status, contentType, body }] }`);
  }
  return doc.responses;
}
