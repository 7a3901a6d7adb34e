/**
 * Link constraints (Kytos-ng pathfinder's filters): whether one link's
 * metadata meets one requested metric. A link without the attribute meets it
 * (Kytos-ng compares the requested value with itself), as does every
 * switch-interface edge; an attribute of the wrong type is a 400.
 */
import { BadRequestError } from '#sdk';
import type { EdgeAttrs } from './graph.js';

/** Numeric metrics: the link's value compared with the requested one. */
const NUMERIC: Readonly<Record<string, (link: number, wanted: number) => boolean>> = {
  bandwidth: (link, wanted) => link >= wanted,
  reliability: (link, wanted) => link >= wanted,
  priority: (link, wanted) => link <= wanted,
  utilization: (link, wanted) => link <= wanted,
  delay: (link, wanted) => link <= wanted,
};

/** The metrics a link can fail; any other name is always met. */
export const KNOWN_METRICS: ReadonlySet<string> = new Set([...Object.keys(NUMERIC), 'ownership', 'not_ownership']);

/** A link's metadata cannot be compared or summed: 400, naming the link's endpoints. */
export class InvalidLinkMetadataError extends BadRequestError {
  constructor(u: string, v: string, attribute: string, value: unknown) {
    super(`(${u}, ${v}) has invalid metadata "${attribute}" with value ${JSON.stringify(value)}`);
  }
}

/** A requested metric that is not a number where one is compared. */
export class InvalidMetricError extends BadRequestError {
  constructor(metric: string, value: unknown) {
    super(`Error in ${metric} value: ${JSON.stringify(value)}`);
  }
}

/** The owners of a link: a space-separated string, a list, or an object's keys; undefined when absent. */
function owners(value: unknown, u: string, v: string): Set<unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return new Set(value.split(/\s+/).filter((s) => s !== ''));
  if (Array.isArray(value)) return new Set(value);
  if (typeof value === 'object') return new Set(Object.keys(value));
  throw new InvalidLinkMetadataError(u, v, 'ownership', value);
}

/** Whether the edge u-v (attributes `attrs`) meets `metric` = `wanted`. Unknown metrics are always met. */
export function meets(metric: string, wanted: unknown, attrs: EdgeAttrs, u: string, v: string): boolean {
  const compare = NUMERIC[metric];
  if (compare) {
    if (typeof wanted !== 'number') throw new InvalidMetricError(metric, wanted);
    const value = attrs[metric];
    if (value === undefined || value === null) return true;
    if (typeof value !== 'number' || Number.isNaN(value)) throw new InvalidLinkMetadataError(u, v, metric, value);
    return compare(value, wanted);
  }
  if (metric === 'ownership') {
    const own = owners(attrs.ownership, u, v);
    return own === undefined ? true : own.has(wanted);
  }
  if (metric === 'not_ownership') {
    const banned = typeof wanted === 'string' ? wanted.split(',') : Array.isArray(wanted) ? wanted : undefined;
    if (!banned) throw new InvalidMetricError(metric, wanted);
    const own = owners(attrs.ownership, u, v);
    return own === undefined || !banned.some((b) => own.has(b));
  }
  return true;
}

/** The cost of an edge under `attribute`: its value, 1 when absent (and always 1 for `hop`). */
export function edgeCost(attribute: string, attrs: EdgeAttrs, u: string, v: string): number {
  if (attribute === 'hop' || !(attribute in attrs)) return 1;
  const value = attrs[attribute];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidLinkMetadataError(u, v, attribute, value);
  return value;
}
