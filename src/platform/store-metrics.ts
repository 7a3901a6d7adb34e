import type { Clock } from '../actor/index.js';
import type { Metric } from '../metrics/index.js';
import { ScopedStore, type BatchOp, type Collection, type CollectionSpec, type Expected, type ListQuery, type Store, type StoreStatus } from '../store/index.js';

type Op = 'get' | 'put' | 'patch' | 'create' | 'patchIf' | 'delete' | 'list' | 'all' | 'count' | 'batch';

/**
 * A Store that times every operation into `lattice_store_operation_duration_seconds`
 * and counts failures into `lattice_store_errors_total` (by op and error code).
 * A store operation costs a disk write or a round trip: two clock reads are noise.
 */
export class InstrumentedStore implements Store {
  constructor(
    private readonly root: Store,
    private readonly clock: Clock,
    private readonly duration: Metric,
    private readonly errors: Metric,
  ) {}

  collection<T extends object>(name: string, spec: CollectionSpec<T>): Collection<T> {
    return new InstrumentedCollection(this.root.collection<T>(name, spec), this);
  }

  scoped(namespace: string): Store {
    return new ScopedStore(this, namespace);
  }

  status(): StoreStatus {
    return this.root.status();
  }

  close(): Promise<void> {
    return this.root.close();
  }

  /** @internal Runs one operation, timed and counted. */
  async timed<R>(op: Op, run: () => Promise<R>): Promise<R> {
    const started = this.clock.monotonic();
    try {
      return await run();
    } catch (error) {
      this.errors.inc(1, op, String((error as { code?: unknown }).code ?? 'UNKNOWN'));
      throw error;
    } finally {
      this.duration.observe((this.clock.monotonic() - started) / 1000, op);
    }
  }
}

class InstrumentedCollection<T extends object> implements Collection<T> {
  constructor(
    private readonly inner: Collection<T>,
    private readonly store: InstrumentedStore,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get(key: string): Promise<T | undefined> {
    return this.store.timed('get', () => this.inner.get(key));
  }
  put(doc: T): Promise<void> {
    return this.store.timed('put', () => this.inner.put(doc));
  }
  patch(key: string, changes: Partial<T>): Promise<T | undefined> {
    return this.store.timed('patch', () => this.inner.patch(key, changes));
  }
  create(doc: T): Promise<void> {
    return this.store.timed('create', () => this.inner.create(doc));
  }
  patchIf(key: string, expected: Expected, changes: Partial<T>) {
    return this.store.timed('patchIf', () => this.inner.patchIf(key, expected, changes));
  }
  delete(key: string): Promise<boolean> {
    return this.store.timed('delete', () => this.inner.delete(key));
  }
  list(query: ListQuery): Promise<T[]> {
    return this.store.timed('list', () => this.inner.list(query));
  }
  all(): Promise<T[]> {
    return this.store.timed('all', () => this.inner.all());
  }
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.inner[Symbol.asyncIterator]();
  }
  count(): Promise<number> {
    return this.store.timed('count', () => this.inner.count());
  }
  batch(ops: readonly BatchOp<T>[]): Promise<void> {
    return this.store.timed('batch', () => this.inner.batch(ops));
  }
}
