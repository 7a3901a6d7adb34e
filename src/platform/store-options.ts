/** The store's options from the config, shared by the controller and `lattice import-kytos` (the same store either way). */
import type { Logger } from 'pino';
import type { Clock } from '../actor/clock.js';
import type { Config } from '../config/index.js';
import type { StoreOptions } from '../store/index.js';

export function storeOptionsFromConfig(config: Config, log: Logger, clock?: Clock): StoreOptions {
  const s = config.store;
  return {
    backend: s.backend as 'embedded' | 'mongodb',
    dataDir: s.dataDir,
    embedded: { durability: s.embeddedDurability as 'flush' | 'commit' },
    mongodb: {
      uri: s.mongodbUri,
      dbName: s.mongodbDatabase,
      writeConcern: /^\d+$/.test(s.mongodbWriteConcern) ? Number(s.mongodbWriteConcern) : 'majority',
      readPreference: s.mongodbReadPreference as StoreOptions['mongodb']['readPreference'],
      maxPoolSize: s.mongodbMaxPoolSize,
      minPoolSize: s.mongodbMinPoolSize,
      serverSelectionTimeoutMS: s.mongodbTimeoutMs,
      journal: s.mongodbJournal,
      connectTimeoutMS: s.mongodbConnectTimeoutMs,
      heartbeatFrequencyMS: s.mongodbHeartbeatMs,
      socketTimeoutMS: s.mongodbSocketTimeoutMs,
      maxRetries: s.mongodbMaxRetries,
    },
    ...(clock ? { clock } : {}),
    log,
  };
}
