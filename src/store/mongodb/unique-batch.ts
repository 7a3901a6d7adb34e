/**
 * Unique-index checks of a batch before it is journaled (servers without
 * transactions apply a batch op by op, so a refusal in the middle would leave
 * it half-applied). Replays the batch's effect on each unique field in
 * order, like the embedded adapter's transaction would.
 */
import { Binary, type Document } from 'mongodb';
import type { JournalOp } from './batch-journal.js';
import { getPath } from '../validate.js';

/** A stable identity of a stored (encoded) index value. */
function valueId(v: unknown): string {
  if (v instanceof Binary) return `b:${v.sub_type}:${Buffer.from(v.buffer).toString('hex')}`;
  if (v instanceof Date) return `d:${v.getTime()}`;
  return `${typeof v}:${String(v)}`;
}

const valuesOf = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

export interface UniquePlan {
  /** Values the batch gives the field, to be looked up in documents the batch does not rewrite. */
  values: unknown[];
  /** Keys whose value of the field the batch replaces or deletes (they no longer hold their stored values). */
  released: string[];
}

/**
 * For one unique field: undefined when two keys of the batch end up holding
 * one value (a conflict), else what to look up outside the batch.
 */
export function planUnique(field: string, ops: readonly JournalOp[]): UniquePlan | undefined {
  const owner = new Map<string, string>();
  const held = new Map<string, { ids: string[]; values: unknown[] }>();
  const released = new Set<string>();
  const take = (key: string, v: unknown): boolean => {
    for (const id of held.get(key)?.ids ?? []) owner.delete(id);
    const values = valuesOf(v);
    const ids = values.map(valueId);
    for (const id of ids) if ((owner.get(id) ?? key) !== key) return false;
    for (const id of ids) owner.set(id, key);
    held.set(key, { ids, values });
    released.add(key);
    return true;
  };
  const top = field.split('.')[0]!;
  for (const op of ops) {
    let ok = true;
    if (op.t === 'put') ok = take(op.key, getPath(op.doc, field));
    else if (op.t === 'patch' && top in (op.set as Document)) ok = take(op.key, getPath(op.set, field)); // $set replaces the top-level field
    else if (op.t === 'delete') take(op.key, undefined);
    if (!ok) return undefined;
  }
  return { values: [...held.values()].flatMap((h) => h.values), released: [...released] };
}
