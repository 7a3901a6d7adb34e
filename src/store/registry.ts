import { StoreValidationError } from './errors.js';
import type { Collection, CollectionSpec } from './ports.js';
import { checkCollectionName, checkSpec, sameSpec } from './validate.js';

/**
 * The collections a store has opened, with their specs. Both adapters open
 * collections through it, so they accept and refuse exactly the same names
 * and specs: opening a name again needs the same spec and gives the same object.
 */
export class CollectionRegistry<C extends Collection<any>> {
  private readonly opened = new Map<string, { spec: CollectionSpec<object>; coll: C }>();

  open<T extends object>(
    name: string,
    spec: CollectionSpec<T>,
    make: (frozen: CollectionSpec<T>) => C,
  ): { coll: Collection<T>; created: boolean; spec: CollectionSpec<object> } {
    checkCollectionName(name);
    checkSpec(name, spec);
    const known = this.opened.get(name);
    if (known) {
      if (!sameSpec(known.spec, spec as CollectionSpec<object>)) {
        throw new StoreValidationError('collection already opened with another spec', { collection: name });
      }
      return { coll: known.coll as unknown as Collection<T>, created: false, spec: known.spec };
    }
    const frozen: CollectionSpec<T> = { key: spec.key, indexes: [...(spec.indexes ?? [])], unique: [...(spec.unique ?? [])] };
    const coll = make(frozen);
    this.opened.set(name, { spec: frozen as CollectionSpec<object>, coll });
    return { coll: coll as unknown as Collection<T>, created: true, spec: frozen as CollectionSpec<object> };
  }

  /** Every opened collection's name and spec. */
  specs(): [string, CollectionSpec<object>][] {
    return [...this.opened].map(([name, { spec }]) => [name, spec]);
  }
}
