import type { HttpMethod } from './types.js';

interface Segment {
  literal?: string;
  param?: string;
  /** `{name:path}`: takes the rest of the path. */
  rest?: boolean;
}

export interface CompiledRoute<T> {
  method: HttpMethod;
  path: string;
  segments: Segment[];
  value: T;
  order: number;
  /** The match result of a route without parameters, made once. */
  found?: Match<T>;
  /** A route without parameters that an earlier route with parameters also matches. */
  shadowed?: boolean;
}

export type Match<T> =
  | { kind: 'found'; value: T; params: Record<string, string>; route: CompiledRoute<T> }
  | { kind: 'method_not_allowed'; allowed: HttpMethod[] }
  | { kind: 'not_found' };

/** The params of a route without parameters: shared, frozen. */
const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Strips one trailing slash (but keeps "/"), so `/a/` and `/a` are one route. */
export function normalisePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function parse(path: string): Segment[] {
  const parts = normalisePath(path).split('/').slice(1);
  return parts.map((part, i) => {
    const m = /^\{([A-Za-z_][A-Za-z0-9_]*)(:path)?\}$/.exec(part);
    if (!m) {
      if (part.includes('{') || part.includes('}')) throw new Error(`bad route segment "${part}" in ${path}`);
      return { literal: part };
    }
    if (m[2] && i !== parts.length - 1) throw new Error(`{${m[1]}:path} must be the last segment of ${path}`);
    return { param: m[1]!, rest: Boolean(m[2]) };
  });
}

/**
 * Kytos-compatible routing: `{param}` and `{param:path}` parameters; every route
 * answers with and without the trailing slash; the first route (in the order
 * added) whose path and method both match wins; a path that matches only with
 * other methods is 405. Paths without parameters are found by one map lookup.
 */
export class Router<T> {
  private readonly statics = new Map<string, CompiledRoute<T>[]>();
  private readonly dynamic: CompiledRoute<T>[] = [];
  private order = 0;

  add(method: HttpMethod, path: string, value: T): CompiledRoute<T> {
    const segments = parse(path);
    const route: CompiledRoute<T> = { method, path, segments, value, order: this.order++ };
    if (segments.every((s) => s.literal !== undefined)) {
      route.found = { kind: 'found', value, params: NO_PARAMS, route };
      // Routes with parameters added later never win over this one (first added wins).
      const parts = normalisePath(path).split('/').slice(1);
      route.shadowed = this.dynamic.some((d) => matchSegments(d.segments, parts) !== undefined);
      // Under both spellings, so that a request path is looked up as it came.
      const key = normalisePath(path);
      for (const k of key === '/' ? [key] : [key, `${key}/`]) {
        const list = this.statics.get(k) ?? [];
        list.push(route);
        this.statics.set(k, list);
      }
    } else {
      this.dynamic.push(route);
    }
    return route;
  }

  /** Removes every route whose path starts with `prefix` (NApp unload). */
  removePrefix(prefix: string): number {
    const gone = new Set<CompiledRoute<T>>();
    for (const [key, list] of this.statics) {
      if (key.startsWith(prefix)) {
        for (const r of list) gone.add(r);
        this.statics.delete(key);
      }
    }
    let removed = gone.size;
    for (let i = this.dynamic.length - 1; i >= 0; i--) {
      if (this.dynamic[i]!.path.startsWith(prefix)) {
        this.dynamic.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  routes(): CompiledRoute<T>[] {
    return [...new Set([...this.statics.values()].flat()), ...this.dynamic].sort((a, b) => a.order - b.order);
  }

  match(method: string, rawPath: string): Match<T> {
    const head = method === 'HEAD';
    // The first static route with this path and method, if any.
    let best: CompiledRoute<T> | undefined;
    const statics = this.statics.get(rawPath);
    if (statics) {
      for (const r of statics) {
        if (r.method === method || (head && r.method === 'GET')) {
          best = r;
          break;
        }
      }
    }
    // Nothing added earlier can match this path: the common case, one map lookup.
    if (best && !best.shadowed) return best.found!;
    // A dynamic route added earlier wins over it (Kytos: first route added).
    const path = normalisePath(rawPath);
    let bestParams: Record<string, string> | undefined;
    let pathSeen = statics !== undefined;
    if (this.dynamic.length > 0) {
      let parts: string[] | undefined;
      for (const route of this.dynamic) {
        if (best && route.order > best.order) break;
        parts ??= path.split('/').slice(1);
        const params = matchSegments(route.segments, parts);
        if (!params) continue;
        pathSeen = true;
        if (route.method === method || (head && route.method === 'GET')) {
          best = route;
          bestParams = params;
          break;
        }
      }
    }
    if (best) return bestParams ? { kind: 'found', value: best.value, params: bestParams, route: best } : best.found!;
    if (!pathSeen) return { kind: 'not_found' };
    return { kind: 'method_not_allowed', allowed: this.methodsFor(path) };
  }

  /** Every method some route answers on this path. */
  private methodsFor(path: string): HttpMethod[] {
    const methods = new Set<HttpMethod>();
    for (const r of this.statics.get(path) ?? []) methods.add(r.method);
    const parts = path.split('/').slice(1);
    for (const r of this.dynamic) if (matchSegments(r.segments, parts)) methods.add(r.method);
    return [...methods];
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.rest) {
      if (i >= parts.length) return undefined;
      const rest = parts.slice(i).join('/');
      if (rest === '') return undefined;
      params[s.param!] = safeDecode(rest);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (s.literal !== undefined) {
      if (s.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[s.param!] = safeDecode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
