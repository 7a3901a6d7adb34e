/**
 * Schema versions of a NApp's collections, and the migrations between them.
 *
 * A NApp declares, per collection it owns, the version of the document shapes
 * its code reads and writes, and the migrations that bring older documents up
 * to it. Version 1 is the first shape (every collection that existed before
 * versions did is at 1). At start, before the NApp's setup, the controller
 * brings each declared collection from its stored version to the declared one,
 * one migration at a time, recording the version after each; a stored version
 * newer than the declared one (a downgrade) refuses the start.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/ports.js';

export interface MigrationContext {
  /** The NApp's own (namespaced) store: open the collection with the spec the NApp uses. */
  readonly store: Store;
  readonly log: Logger;
  /** The collection being migrated, as the NApp names it (`switches`). */
  readonly collection: string;
}

/**
 * One step, from `to - 1` to `to`. `up` must be idempotent: it may run again
 * over documents it already changed (a crash between its writes and the
 * version record), and must then change nothing.
 */
export interface Migration {
  readonly to: number;
  /** One line for the log: what changes. */
  readonly description: string;
  up(ctx: MigrationContext): Promise<void>;
}

export interface CollectionSchema {
  /** The version this code reads and writes (an integer >= 1). */
  readonly version: number;
  /** Exactly one migration per version 2..version, in any order. */
  readonly migrations?: readonly Migration[];
}

/** Collection name (as the NApp opens it) -> its schema. */
export type SchemaDeclaration = Readonly<Record<string, CollectionSchema>>;

/** Checks a declaration now (a NApp with a gap in its migrations fails at load, not at upgrade). */
export function checkSchema(owner: string, schema: SchemaDeclaration): void {
  for (const [name, s] of Object.entries(schema)) {
    if (!Number.isInteger(s?.version) || s.version < 1) {
      throw new TypeError(`${owner}: schema of ${name}: version must be an integer >= 1`);
    }
    const tos = (s.migrations ?? []).map((m) => m.to);
    for (let v = 2; v <= s.version; v++) {
      const n = tos.filter((t) => t === v).length;
      if (n !== 1) throw new TypeError(`${owner}: schema of ${name}: needs exactly one migration to version ${v} (has ${n})`);
    }
    const extra = tos.find((t) => !Number.isInteger(t) || t < 2 || t > s.version);
    if (extra !== undefined) throw new TypeError(`${owner}: schema of ${name}: a migration to ${extra} is outside 2..${s.version}`);
    for (const m of s.migrations ?? []) {
      if (typeof m.up !== 'function') throw new TypeError(`${owner}: schema of ${name}: migration to ${m.to} has no up()`);
    }
  }
}
