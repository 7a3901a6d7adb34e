/** A small in-memory Store for stepping the topology NApp as data; `down` makes every write fail like a store outage. */
import { StoreConflictError, StoreUnavailableError } from '../../../../../src/store/errors.js';
import type { BatchOp, Collection, CollectionSpec, Store, StoreStatus } from '../../../../../src/store/ports.js';

export class MemoryStore implements Store {
  readonly data = new Map<string, Map<string, object>>();
  down = false;
  /** Writes allowed before the store goes down (Infinity: never). */
  failAfterWrites = Infinity;
  writes = 0;

  collection<T extends object>(name: string, spec: CollectionSpec<T>): Collection<T> {
    if (!this.data.has(name)) this.data.set(name, new Map());
    const docs = this.data.get(name)! as Map<string, T>;
    const check = () => {
      if (this.writes >= this.failAfterWrites) this.down = true;
      if (this.down) throw new StoreUnavailableError('store is down', { backend: 'embedded' });
      this.writes++;
    };
    const sorted = () => [...docs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => structuredClone(d));
    const coll: Collection<T> = {
      name,
      get: async (key) => (docs.has(key) ? structuredClone(docs.get(key)!) : undefined),
      put: async (doc) => {
        check();
        docs.set(String(doc[spec.key]), structuredClone(doc));
      },
      create: async (doc) => {
        check();
        const key = String(doc[spec.key]);
        if (docs.has(key)) throw new StoreConflictError(`${key} exists`, { collection: name, key });
        docs.set(key, structuredClone(doc));
      },
      patchIf: async (key, expected, changes) => {
        check();
        const d = docs.get(key) as Record<string, unknown> | undefined;
        if (!d || Object.entries(expected).some(([k, v]) => (d[k] ?? null) !== v)) return { applied: false, current: d as T | undefined };
        const n = { ...d, ...changes } as T;
        docs.set(key, n);
        return { applied: true, doc: n };
      },
      patch: async (key, changes) => {
        check();
        const d = docs.get(key);
        if (!d) return undefined;
        const n = { ...d, ...changes };
        docs.set(key, n);
        return n;
      },
      delete: async (key) => {
        check();
        return docs.delete(key);
      },
      list: async (q) => sorted().filter((d) => !('equals' in q) || (d as Record<string, unknown>)[q.index] === q.equals),
      all: async () => sorted(),
      count: async () => docs.size,
      batch: async (ops: readonly BatchOp<T>[]) => {
        for (const op of ops) {
          if (op.op === 'put') await coll.put(op.doc);
          else if (op.op === 'delete') await coll.delete(op.key);
          else await coll.patch(op.key, op.changes);
        }
      },
      [Symbol.asyncIterator]: () => sorted()[Symbol.iterator]() as unknown as AsyncIterator<T>,
    };
    return coll;
  }

  scoped(namespace: string): Store {
    const prefix = namespace.replace(/\//g, '.');
    const collection = <T extends object>(name: string, spec: CollectionSpec<T>) => this.collection<T>(`${prefix}.${name}`, spec);
    return { ...this, collection, scoped: (n: string) => this.scoped(`${prefix}.${n}`), status: () => this.status(), close: async () => {} } as Store;
  }

  status(): StoreStatus {
    return { backend: 'embedded', up: !this.down };
  }

  async close(): Promise<void> {}
}
