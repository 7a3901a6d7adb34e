/**
 * Entry point of the store: `openStore()` picks the adapter. Both resolve
 * even when the database is down (MongoDB: `status().up === false` and a
 * background reconnect); operations then fail with StoreUnavailableError.
 */
import type { Logger } from 'pino';
import type { Clock } from '../actor/clock.js';
import { openEmbeddedStore } from './embedded/embedded-store.js';
import { openMongoStore, type MongoStoreOptions } from './mongodb/mongo-store.js';
import type { Store } from './ports.js';

export type {
  BatchOp,
  Collection,
  CollectionSpec,
  Expected,
  IndexValue,
  ListQuery,
  PatchIfResult,
  Range,
  Store,
  StoreStatus,
} from './ports.js';
export { ScopedStore } from './scoped.js';
export { embeddedStoreUsers } from './embedded/in-use.js';
export {
  StoreClosedError,
  StoreConflictError,
  StoreError,
  StoreOperationError,
  StoreUnavailableError,
  StoreValidationError,
  type StoreErrorCode,
} from './errors.js';

export interface StoreOptions {
  backend: 'embedded' | 'mongodb';
  /** Embedded: the LMDB environment lives in `<dataDir>/store`. */
  dataDir: string;
  embedded?: {
    /** 'flush' (default): acknowledge after fsync. 'commit': after commit (survives kill -9, not power loss). */
    durability?: 'flush' | 'commit';
  };
  /** The MongoDB adapter's options (see MongoStoreOptions for each one's meaning and default). */
  mongodb: Omit<MongoStoreOptions, 'log' | 'clock'>;
  /** The controller's clock (MongoDB retry and reconnect delays); the system clock when absent. */
  clock?: Clock;
  log: Logger;
}

export function openStore(options: StoreOptions): Promise<Store> {
  const log = options.log.child({ component: 'store', backend: options.backend });
  if (options.backend === 'mongodb') return openMongoStore({ ...options.mongodb, clock: options.clock, log });
  return openEmbeddedStore({ dataDir: options.dataDir, durability: options.embedded?.durability, log });
}
