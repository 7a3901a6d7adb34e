/**
 * `lattice import-kytos`: Kytos-ng's data into Lattice's store, all or
 * nothing. Every collection is read first, every owner (the controller for
 * `users`, each NApp that declares `importKytos`) maps its documents, and the
 * result is checked against the store (keys, unique fields, schema versions,
 * documents already there) before anything is written. One refusal writes
 * nothing. A document already stored with the same content is left alone, so
 * a second run changes nothing; one stored with other content is kept unless
 * `overwrite`.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../actor/clock.js';
import type { Store } from '../store/ports.js';
import type { ImportNote, KytosDocument, KytosImporter } from '../sdk/kytos-import.js';
import type { NAppDefinition } from '../sdk/napp.js';
import type { SchemaDeclaration } from '../sdk/schema.js';
import { fromSources } from '../package-root.js';
import { namespacePrefix } from '../store/validate.js';
import { CORE_SCHEMA } from './core-schema.js';
import { importKytosUsers } from './import-kytos-users.js';
import { schemaVersions } from './migrations.js';
import type { KytosSource } from './kytos-source.js';

/** One party that maps Kytos-ng documents into collections it owns. */
export interface ImportOwner {
  /** "core" or the NApp's "username/name". */
  owner: string;
  /** Its store: the root (core) or the NApp's scoped store. */
  store: Store;
  /** Prefix of its collections' full names ('' or `kytos.flow_manager.`). */
  prefix: string;
  importer: KytosImporter;
  settings: unknown;
  schema?: SchemaDeclaration;
}

export interface CollectionReport {
  owner: string;
  /** The Lattice collection's full name. */
  collection: string;
  /** Documents mapped for it. */
  mapped: number;
  inserted: number;
  replaced: number;
  unchanged: number;
  /** Stored with other content and kept (no `overwrite`), or held by another document's unique field. */
  kept: number;
}

export interface ImportReport {
  source: string;
  dry_run: boolean;
  /** Kytos-ng collection -> documents read. */
  read: Record<string, number>;
  collections: CollectionReport[];
  skipped: ImportNote[];
  refused: ImportNote[];
  /** Whether anything was (or, in a dry run, would be) written. */
  changes: boolean;
  /** Whether this run wrote (false: refused, a dry run, or nothing to change). */
  written: boolean;
}

/** The importers of the NApps installed in `dir` (`<username>/<name>/index.ts|js`), each with its settings. */
export async function nappImporters(
  dir: string,
  root: Store,
  settings: Record<string, Record<string, unknown>>,
): Promise<ImportOwner[]> {
  const out: ImportOwner[] = [];
  if (!existsSync(dir)) return out;
  const files = fromSources(import.meta.url) ? ['index.ts', 'index.js'] : ['index.js'];
  for (const user of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    for (const napp of (await readdir(join(dir, user.name), { withFileTypes: true })).filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const folder = join(dir, user.name, napp.name);
      const index = files.map((f) => join(folder, f)).find((f) => existsSync(f));
      if (!index || !existsSync(join(folder, 'manifest.json'))) continue;
      const def = ((await import(pathToFileURL(index).href)) as { default?: NAppDefinition<any> }).default;
      if (!def?.importKytos) continue;
      const id = `${def.manifest.username}/${def.manifest.name}`;
      out.push({
        owner: id,
        store: root.scoped(id),
        prefix: `${namespacePrefix(id)}.`,
        importer: def.importKytos,
        settings: { ...(def.settings ?? {}), ...(settings[id] ?? {}) },
        ...(def.schema ? { schema: def.schema } : {}),
      });
    }
  }
  return out;
}

export const coreImporter = (root: Store): ImportOwner => ({ owner: 'core', store: root, prefix: '', importer: importKytosUsers, settings: {}, schema: CORE_SCHEMA });

/** Values compared as stored: key order, and number/bigint/Date/Buffer identity, as the store keeps them. */
const canonical = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Date) return { $date: v.getTime() };
  if (typeof v === 'bigint') return { $big: v.toString() };
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { $bin: Buffer.from(v).toString('hex') };
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return v;
};
const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(canonical(a), canonical(b));

export interface ImportOptions {
  source: KytosSource;
  root: Store;
  owners: ImportOwner[];
  dryRun: boolean;
  overwrite: boolean;
  clock: Clock;
  /** Called with a line now and then while reading or writing (progress). */
  progress?: (line: string) => void;
}

interface Planned {
  owner: ImportOwner;
  name: string;
  full: string;
  spec: { key: string; indexes?: readonly string[]; unique?: readonly string[] };
  docs: readonly object[];
  writes: object[];
  report: CollectionReport;
}

export async function importKytos(options: ImportOptions): Promise<ImportReport> {
  const { source, root, owners, dryRun, overwrite, clock } = options;
  // 1. Read every collection any owner takes.
  const names = [...new Set(owners.flatMap((o) => o.importer.from))].sort();
  const input: Record<string, KytosDocument[]> = {};
  const read: Record<string, number> = {};
  let lastLine = clock.monotonic();
  const tick = (line: string) => {
    if (clock.monotonic() - lastLine >= 5000) {
      lastLine = clock.monotonic();
      options.progress?.(line);
    }
  };
  for (const name of names) {
    input[name] = await source.read(name, (n) => tick(`reading ${name}: ${n} documents`));
    read[name] = input[name].length;
  }

  // 2. Map.
  const refused: ImportNote[] = [];
  const skipped: ImportNote[] = [];
  const planned: Planned[] = [];
  for (const owner of owners) {
    const own = Object.fromEntries(owner.importer.from.map((n) => [n, input[n] ?? []]));
    const outcome = owner.importer.map(own, owner.settings);
    refused.push(...outcome.refused);
    skipped.push(...outcome.skipped);
    for (const c of outcome.collections) {
      planned.push({
        owner,
        name: c.name,
        full: owner.prefix + c.name,
        spec: c.spec as Planned['spec'],
        docs: c.docs,
        writes: [],
        report: { owner: owner.owner, collection: owner.prefix + c.name, mapped: c.docs.length, inserted: 0, replaced: 0, unchanged: 0, kept: 0 },
      });
    }
  }

  // 3. Check against the store: keys, schema versions, what is there already, unique fields.
  const versions = schemaVersions(root);
  const stampVersions: { full: string; version: number }[] = [];
  for (const p of planned) {
    const declared = p.owner.schema?.[p.name]?.version ?? 1;
    const stored = (await versions.get(p.full))?.version;
    if (stored !== undefined && stored !== declared) {
      refused.push({
        from: p.full,
        id: '(collection)',
        reason: `Lattice's ${p.full} is at schema version ${stored} and this Lattice writes version ${declared}: ${stored < declared ? 'start the controller once to migrate it, then import' : 'run the newer Lattice'}`,
      });
      continue;
    }
    const coll = p.owner.store.collection<Record<string, unknown>>(p.name, p.spec as never);
    // One scan per collection rather than one read per document.
    const current = new Map<string, Record<string, unknown>>();
    for await (const d of coll) current.set(String(d[p.spec.key]), d);
    if (stored === undefined && declared > 1 && current.size > 0) {
      refused.push({ from: p.full, id: '(collection)', reason: `Lattice's ${p.full} holds documents of an unrecorded schema version: start the controller once to migrate it, then import` });
      continue;
    }
    if (stored === undefined) stampVersions.push({ full: p.full, version: declared });
    // Unique fields: which stored document holds each value.
    const held = new Map((p.spec.unique ?? []).map((f) => [f, new Map([...current.values()].map((d) => [d[f], String(d[p.spec.key])]))]));
    for (const [i, doc] of (p.docs as Record<string, unknown>[]).entries()) {
      tick(`checking ${p.full}: ${i} of ${p.docs.length} documents`);
      const key = doc[p.spec.key];
      if (typeof key !== 'string' || key === '' || Buffer.byteLength(key) > 512) {
        refused.push({ from: p.full, id: String(key), reason: 'its key is not a string of 1-512 bytes' });
        continue;
      }
      const existing = current.get(key);
      if (existing && same(existing, doc)) {
        p.report.unchanged++;
        continue;
      }
      const taken = [...held].find(([f, byValue]) => doc[f] !== undefined && byValue.has(doc[f]) && byValue.get(doc[f]) !== key);
      if (taken) {
        p.report.kept++;
        skipped.push({ from: p.full, id: key, reason: `Lattice already has ${taken[1].get(doc[taken[0]])} with ${taken[0]} ${JSON.stringify(doc[taken[0]])} (kept; not imported)` });
        continue;
      }
      if (existing && !overwrite) {
        p.report.kept++;
        skipped.push({ from: p.full, id: key, reason: "Lattice's store holds it with other content (kept; --overwrite replaces it)" });
        continue;
      }
      if (existing) p.report.replaced++;
      else p.report.inserted++;
      p.writes.push(doc);
    }
  }
  const changes = planned.some((p) => p.writes.length > 0);
  const report: ImportReport = { source: source.describe, dry_run: dryRun, read, collections: planned.map((p) => p.report), skipped, refused, changes, written: false };
  if (refused.length > 0 || dryRun) return report;

  // 4. Write: per collection, in atomic batches.
  let done = 0;
  for (const p of planned) {
    const coll = p.owner.store.collection<Record<string, unknown>>(p.name, p.spec as never);
    for (let i = 0; i < p.writes.length; i += 500) {
      await coll.batch(p.writes.slice(i, i + 500).map((doc) => ({ op: 'put' as const, doc: doc as Record<string, unknown> })));
      done += Math.min(500, p.writes.length - i);
      tick(`writing: ${done} documents`);
    }
  }
  const at = new Date(clock.now()).toISOString();
  for (const s of stampVersions) if (!(await versions.get(s.full))) await versions.put({ collection: s.full, version: s.version, updated_at: at, history: [] });
  report.written = changes;
  return report;
}
