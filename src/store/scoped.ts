/** A namespaced view of a Store: `scoped('kytos/topology')` prefixes collection names with `kytos.topology.`. */
import type { Collection, CollectionSpec, Store, StoreStatus } from './ports.js';
import { namespacePrefix } from './validate.js';

export class ScopedStore implements Store {
  private readonly prefix: string;

  constructor(
    private readonly root: Store,
    namespace: string,
    parentPrefix?: string,
  ) {
    const own = namespacePrefix(namespace);
    this.prefix = parentPrefix ? `${parentPrefix}.${own}` : own;
  }

  collection<T extends object>(name: string, spec: CollectionSpec<T>): Collection<T> {
    return this.root.collection<T>(`${this.prefix}.${name}`, spec);
  }

  scoped(namespace: string): Store {
    return new ScopedStore(this.root, namespace, this.prefix);
  }

  status(): StoreStatus {
    return this.root.status();
  }

  /** A scoped view does not own the store: closing it is a no-op (the root's owner closes the root). */
  async close(): Promise<void> {}
}
