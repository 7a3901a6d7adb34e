/**
 * Brings collections to the schema version the code declares, at start,
 * before anything reads them. Each collection's version is one document of
 * `lattice.schema_versions` (`{ collection, version, updated_at, history }`);
 * a collection without one is at version 1 (the shapes from before versions
 * existed, or an empty new collection). Migrations run one version at a time,
 * the version is recorded after each, and every step is logged. A stored
 * version newer than the declared one is a downgrade: refused.
 */
import type { Logger } from 'pino';
import type { Clock } from '../actor/clock.js';
import type { Store } from '../store/ports.js';
import { checkSchema, type SchemaDeclaration } from '../sdk/schema.js';

export const SCHEMA_VERSIONS = 'lattice.schema_versions';

export interface SchemaVersionDoc {
  /** The collection's full name (`kytos.topology.switches`). */
  collection: string;
  version: number;
  updated_at: string;
  /** Each migration applied, oldest first. */
  history: { to: number; description: string; at: string }[];
}

export class SchemaDowngradeError extends Error {
  override readonly name = 'SchemaDowngradeError';
  readonly code = 'SCHEMA_DOWNGRADE';
  constructor(
    readonly collection: string,
    readonly stored: number,
    readonly known: number,
  ) {
    super(
      `collection ${collection} is at schema version ${stored}, but this Lattice knows versions up to ${known}: ` +
        'a downgrade is refused (run the newer Lattice, or restore a backup taken before the upgrade)',
    );
  }
}

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  readonly code = 'SCHEMA_MIGRATION_FAILED';
  constructor(collection: string, to: number, cause: unknown) {
    super(`migration of ${collection} to schema version ${to} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface SchemaOwner {
  /** "username/name" of a NApp, or "core". */
  owner: string;
  /** The store the owner opens its collections in (a NApp's scoped store), given to migrations. */
  store: Store;
  /** The prefix of its collections' full names (`kytos.topology.`, or '' for core). */
  prefix: string;
  schema: SchemaDeclaration;
}

export interface MigrationStep {
  collection: string;
  from: number;
  to: number;
  description: string;
}

/** What `migrateSchemas` found and did, per collection. */
export interface SchemaReport {
  collection: string;
  /** The version found (1 when none was recorded). */
  from: number;
  version: number;
  applied: MigrationStep[];
}

/** The store could not be reached (the migration neither ran nor was refused). */
export function isStoreDown(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'STORE_UNAVAILABLE' || code === 'STORE_CLOSED';
}

/**
 * `migrateSchemas`, except that a store that is down is tolerated when every
 * declared version is 1 (nothing could need migrating; only the downgrade check
 * is skipped, with a warning); with a version above 1 it is an error.
 * Resolves to whether the versions were checked.
 */
export async function migrateOrTolerate(root: Store, owner: SchemaOwner, log: Logger, clock: Clock): Promise<boolean> {
  try {
    await migrateSchemas(root, owner, log, clock);
    return true;
  } catch (error) {
    if (!isStoreDown(error) || Object.values(owner.schema).some((s) => s.version > 1)) throw error;
    log.warn({ owner: owner.owner, err: error }, 'schema versions not checked: the store is unavailable');
    return false;
  }
}

export const schemaVersions = (root: Store) => root.collection<SchemaVersionDoc>(SCHEMA_VERSIONS, { key: 'collection' });

/** The recorded version of every collection (for `lattice import-kytos` and tests). */
export async function storedVersions(root: Store): Promise<Map<string, number>> {
  return new Map((await schemaVersions(root).all()).map((d) => [d.collection, d.version]));
}

/**
 * Checks every collection of `owner` for a downgrade first (nothing runs when
 * one is found), then migrates each to its declared version and records it.
 */
export async function migrateSchemas(root: Store, owner: SchemaOwner, log: Logger, clock: Clock): Promise<SchemaReport[]> {
  checkSchema(owner.owner, owner.schema);
  const versions = schemaVersions(root);
  const entries = Object.entries(owner.schema).sort(([a], [b]) => a.localeCompare(b));
  const found = new Map<string, SchemaVersionDoc | undefined>();
  for (const [name, s] of entries) {
    const full = owner.prefix + name;
    const doc = await versions.get(full);
    if (doc && doc.version > s.version) throw new SchemaDowngradeError(full, doc.version, s.version);
    found.set(name, doc);
  }
  const reports: SchemaReport[] = [];
  for (const [name, s] of entries) {
    const full = owner.prefix + name;
    const doc = found.get(name);
    const from = doc?.version ?? 1;
    const history = [...(doc?.history ?? [])];
    const applied: MigrationStep[] = [];
    const byTo = new Map((s.migrations ?? []).map((m) => [m.to, m]));
    for (let to = from + 1; to <= s.version; to++) {
      const m = byTo.get(to)!;
      const step = { collection: full, from: to - 1, to, description: m.description };
      log.warn({ schema: step, owner: owner.owner }, 'schema migration starting');
      try {
        await m.up({ store: owner.store, log: log.child({ collection: full, to }), collection: name });
      } catch (error) {
        log.error({ schema: step, owner: owner.owner, err: error }, 'schema migration failed');
        throw new MigrationFailedError(full, to, error);
      }
      const at = new Date(clock.now()).toISOString();
      history.push({ to, description: m.description, at });
      await versions.put({ collection: full, version: to, updated_at: at, history });
      log.warn({ schema: step, owner: owner.owner }, 'schema migration applied');
      applied.push(step);
    }
    if (!doc) {
      // First start with versions: record where the collection is, so a later downgrade is seen.
      if (applied.length === 0) await versions.put({ collection: full, version: s.version, updated_at: new Date(clock.now()).toISOString(), history });
    }
    reports.push({ collection: full, from, version: s.version, applied });
  }
  return reports;
}
