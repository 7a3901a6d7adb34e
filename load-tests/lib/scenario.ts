/**
 * Scenario definitions: read and checked from load-tests/scenarios.json (the one place they are
 * defined), then resolved into a concrete run plan (full URL, serialized body, overrides applied).
 * The k6 script reads the resolved plan as JSON, the autocannon driver reads the same object.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SCENARIOS_FILE = fileURLToPath(new URL('../scenarios.json', import.meta.url));

export interface Thresholds {
  /** Highest accepted share of failed requests (unexpected status, network error, timeout). */
  maxFailureRatio: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** Lowest accepted achieved/offered request rate in fixed-rate mode (default 0.95). */
  minRateRatio?: number;
}

export interface Scenario {
  name: string;
  description: string;
  method: string;
  /** The route under test (may hold `{param}` placeholders filled from `params`). */
  path: string;
  params?: Record<string, string>;
  /** Served in place of `path` while that route does not exist; same body size. */
  standIn?: { path: string; reason: string };
  /** Set (to the reason) while the target route does not exist: the smoke skips it, loudly. */
  pending?: string;
  /** Datapath ids of the Open vSwitch bridges connected to the controller before it runs (load-tests/lib/switches.ts). */
  switches?: number[];
  headers: Record<string, string>;
  body?: unknown;
  expectedStatus: number[];
  /** Offered requests per second (constant arrival rate). */
  rate: number;
  /** Seconds. */
  duration: number;
  thresholds: Thresholds;
}

/** `rate`: open-loop constant arrival rate. `max`: closed loop, as fast as `concurrency` allows. */
export type LoadMode = 'rate' | 'max';

export interface RunPlan {
  scenario: string;
  method: string;
  /** Full URL the load goes to. */
  url: string;
  /** The path actually requested (the stand-in's when there is one). */
  path: string;
  /** The route the scenario stands for. */
  targetPath: string;
  standInReason?: string;
  headers: Record<string, string>;
  body?: string;
  expectedStatus: number[];
  mode: LoadMode;
  rate: number;
  duration: number;
  /** Connections (autocannon) or VUs (k6); for `rate` mode, the VUs pre-allocated. */
  concurrency: number;
  timeoutMs: number;
  thresholds: Thresholds;
  /**
   * bench:flows only: each iteration POSTs its own distinct flows instead of `body` (k6 builds
   * them from its iteration number exactly as bench-flows.ts's flowSeriesRequest does).
   */
  flowSeries?: FlowSeries;
}

/** Iteration n POSTs `batch` flows, serials first + n*batch .. + batch-1, to bridge (n % switches) + 1. */
export interface FlowSeries {
  /** Base URL of the controller. */
  base: string;
  /** Appended to the path, e.g. `?wait=installed`. */
  query: string;
  first: number;
  batch: number;
  switches: number;
}

export interface PlanOverrides {
  target?: string;
  rate?: number;
  duration?: number;
  mode?: LoadMode;
  concurrency?: number;
  timeoutMs?: number;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function fail(where: string, what: string): never {
  throw new ScenarioError(`scenarios: ${where}: ${what}`);
}

function isRecordOfStrings(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Check one raw scenario object; returns it typed or throws a ScenarioError naming the field. */
export function checkScenario(raw: unknown, index: number): Scenario {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`#${index}`, 'not an object');
  const s = raw as Record<string, unknown>;
  const where = typeof s.name === 'string' ? s.name : `#${index}`;
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(s.name)) fail(where, 'name must be kebab-case');
  if (typeof s.description !== 'string') fail(where, 'description must be a string');
  if (typeof s.method !== 'string' || !METHODS.has(s.method)) fail(where, `method must be one of ${[...METHODS].join(', ')}`);
  if (typeof s.path !== 'string' || !s.path.startsWith('/')) fail(where, 'path must start with /');
  if (s.params !== undefined && !isRecordOfStrings(s.params)) fail(where, 'params must map names to strings');
  for (const [, param] of s.path.matchAll(/\{([^}]+)\}/g)) {
    if (!(s.params as Record<string, string> | undefined)?.[param]) fail(where, `path parameter {${param}} has no value in params`);
  }
  if (s.standIn !== undefined) {
    const si = s.standIn as Record<string, unknown>;
    if (typeof si !== 'object' || si === null || typeof si.path !== 'string' || !si.path.startsWith('/') || typeof si.reason !== 'string') {
      fail(where, 'standIn must be { path: "/...", reason: "..." }');
    }
  }
  if (s.pending !== undefined && (typeof s.pending !== 'string' || s.pending.length === 0)) fail(where, 'pending must be the reason, a non-empty string');
  if (s.switches !== undefined && (!Array.isArray(s.switches) || s.switches.length === 0 || !s.switches.every((d) => Number.isSafeInteger(d) && (d as number) > 0))) {
    fail(where, 'switches must be a non-empty list of datapath ids (positive integers)');
  }
  if (!isRecordOfStrings(s.headers)) fail(where, 'headers must map names to strings');
  if (!Array.isArray(s.expectedStatus) || s.expectedStatus.length === 0 || !s.expectedStatus.every((c) => Number.isInteger(c) && c >= 100 && c <= 599)) {
    fail(where, 'expectedStatus must be a non-empty list of HTTP status codes');
  }
  if (!positive(s.rate)) fail(where, 'rate must be a positive number (req/s)');
  if (!positive(s.duration)) fail(where, 'duration must be a positive number (s)');
  const t = s.thresholds as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null) fail(where, 'thresholds missing');
  if (typeof t.maxFailureRatio !== 'number' || t.maxFailureRatio < 0 || t.maxFailureRatio > 1) fail(where, 'thresholds.maxFailureRatio must be in [0, 1]');
  for (const key of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
    if (t[key] !== undefined && !positive(t[key])) fail(where, `thresholds.${key} must be a positive number of ms`);
  }
  if (t.minRateRatio !== undefined && (typeof t.minRateRatio !== 'number' || t.minRateRatio < 0 || t.minRateRatio > 1)) {
    fail(where, 'thresholds.minRateRatio must be in [0, 1]');
  }
  return s as unknown as Scenario;
}

/** Parse the scenarios file's text; names must be unique. */
export function parseScenarios(text: string): Scenario[] {
  const doc = JSON.parse(text) as { scenarios?: unknown };
  if (!Array.isArray(doc.scenarios)) throw new ScenarioError('scenarios: the file has no "scenarios" list');
  const scenarios = doc.scenarios.map((raw, i) => checkScenario(raw, i));
  const seen = new Set<string>();
  for (const s of scenarios) {
    if (seen.has(s.name)) throw new ScenarioError(`scenarios: duplicate name ${s.name}`);
    seen.add(s.name);
  }
  return scenarios;
}

export function loadScenarios(file: string = SCENARIOS_FILE): Scenario[] {
  return parseScenarios(readFileSync(file, 'utf8'));
}

export function findScenario(scenarios: Scenario[], name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) {
    throw new ScenarioError(`unknown scenario "${name}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
  }
  return found;
}

/** The concrete path requested: stand-in first, then `{param}` substitution. */
export function requestPath(scenario: Scenario): string {
  return fillParams(scenario.standIn?.path ?? scenario.path, scenario.params);
}

/** `{name}` placeholders replaced by their values; dpids keep their colons, as Kytos clients send them. */
export function fillParams(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name] ?? '';
    return /^[A-Za-z0-9:._~-]+$/.test(value) ? value : encodeURIComponent(value);
  });
}

export function targetPath(scenario: Scenario): string {
  return fillParams(scenario.path, scenario.params);
}

/** Load goes to this machine only. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Default VUs/connections: enough for the offered rate at a few ms of latency, never huge. */
export function defaultConcurrency(mode: LoadMode, rate: number): number {
  if (mode === 'max') return 16;
  return Math.min(100, Math.max(4, Math.ceil(rate / 50)));
}

export function resolvePlan(scenario: Scenario, overrides: PlanOverrides & { target: string }): RunPlan {
  const mode = overrides.mode ?? 'rate';
  const rate = overrides.rate ?? scenario.rate;
  const duration = overrides.duration ?? scenario.duration;
  if (!positive(rate)) throw new ScenarioError(`--rate must be a positive number, got ${rate}`);
  if (!positive(duration)) throw new ScenarioError(`--duration must be a positive number of seconds, got ${duration}`);
  const base = new URL(overrides.target);
  if (base.protocol !== 'http:') throw new ScenarioError(`--target must be an http:// URL, got ${overrides.target}`);
  if (!isLoopbackHost(base.hostname)) throw new ScenarioError(`--target must be on loopback (127.0.0.0/8, localhost, [::1]), got ${base.hostname}`);
  const path = requestPath(scenario);
  const body = scenario.body === undefined ? undefined : typeof scenario.body === 'string' ? scenario.body : JSON.stringify(scenario.body);
  return {
    scenario: scenario.name,
    method: scenario.method,
    url: new URL(path, base).toString(),
    path,
    targetPath: targetPath(scenario),
    standInReason: scenario.standIn?.reason,
    headers: { ...scenario.headers },
    body,
    expectedStatus: [...scenario.expectedStatus],
    mode,
    rate,
    duration,
    concurrency: overrides.concurrency ?? defaultConcurrency(mode, rate),
    timeoutMs: overrides.timeoutMs ?? 10_000,
    thresholds: { ...scenario.thresholds },
  };
}
