/**
 * `lattice import-kytos`: the one command that does not talk to a running
 * controller. It reads Kytos-ng's MongoDB (or a mongodump folder) and writes
 * Lattice's store directly, chosen by the same config as the controller
 * (LATTICE_CONFIG, LATTICE_STORE, LATTICE_DATA_DIR, LATTICE_MONGODB_*), so it
 * runs while the controller is stopped: it refuses when one answers on the
 * configured HTTP port, or (embedded store) another process has the store open.
 */
import { resolve } from 'node:path';
import { pino } from 'pino';
import { systemClock } from '../actor/clock.js';
import { defaults, loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../log.js';
import { builtInNAppsDir } from '../package-root.js';
import { coreImporter, importKytos, nappImporters, type ImportReport } from '../platform/import-kytos.js';
import { dumpSource, mongoSource } from '../platform/kytos-source.js';
import { storeOptionsFromConfig } from '../platform/store-options.js';
import { embeddedStoreUsers, openStore } from '../store/index.js';
import { CliError, EXIT, usage, type ExitCode } from './exit-codes.js';

export interface ImportCommandOptions {
  from?: string;
  db: string;
  dryRun: boolean;
  overwrite: boolean;
  json: boolean;
  out: (s: string) => void;
  err: (s: string) => void;
  /** A loaded config (tests); else LATTICE_CONFIG and the environment. */
  config?: Config;
}

/** Whether a controller answers on the configured HTTP port (then its store is in use). */
async function controllerAnswers(config: Config): Promise<string | undefined> {
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}/api/kytos/core/status/`;
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return url;
  } catch {
    return undefined;
  }
}

export function formatReport(r: ImportReport): string {
  const lines: string[] = [`source: ${r.source}`, `read: ${Object.entries(r.read).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}`];
  for (const c of r.collections) {
    lines.push(`  ${c.collection}: ${c.mapped} mapped, ${c.inserted} new, ${c.replaced} replaced, ${c.unchanged} unchanged${c.kept ? `, ${c.kept} kept as stored` : ''}`);
  }
  for (const s of r.skipped) lines.push(`skipped ${s.from} ${s.id}: ${s.reason}`);
  for (const s of r.refused) lines.push(`REFUSED ${s.from} ${s.id}: ${s.reason}`);
  if (r.refused.length > 0) lines.push(`import refused: ${r.refused.length} document(s) cannot be mapped; nothing was written`);
  else if (!r.changes) {
    const kept = r.collections.reduce((n, c) => n + c.kept, 0);
    lines.push(kept ? `nothing to change: ${kept} document(s) kept as Lattice holds them (skipped above)` : 'nothing to change: the store already holds every imported document');
  }
  else if (r.dry_run) lines.push('dry run: nothing was written');
  else lines.push('imported');
  return `${lines.join('\n')}\n`;
}

export async function importKytosCommand(o: ImportCommandOptions): Promise<ExitCode> {
  if (!o.from) throw usage('import-kytos needs --from mongodb://... (Kytos-ng\'s MongoDB) or --from <mongodump folder>');
  const config = o.config ?? loadConfig();
  const running = await controllerAnswers(config);
  if (running) {
    throw new CliError(`a controller answers on ${running}: stop it first (import-kytos writes its store directly, and the controller reads it only at start)`, EXIT.STORE_IN_USE);
  }
  if (config.store.backend === 'embedded') {
    const users = embeddedStoreUsers(config.store.dataDir);
    if (users.length > 0) {
      throw new CliError(`the embedded store in ${resolve(config.store.dataDir)} is open in process ${users.join(', ')}: stop the controller first`, EXIT.STORE_IN_USE);
    }
  }
  const from = o.from;
  const source = /^mongodb(\+srv)?:\/\//.test(from) ? mongoSource(from, o.db) : dumpSource(resolve(from));
  const clock = systemClock();
  // Log lines go to stderr: stdout carries the report. At the default level only errors: the
  // import closes the store right after its last write, which interrupts (and would log) index
  // creations still in flight on MongoDB; the controller creates every index at its start.
  const log = createLogger(config.log.level === 'warn' ? 'error' : config.log.level, pino.destination(2));
  const store = await openStore(storeOptionsFromConfig(config, log.child({ part: 'store' }), clock));
  try {
    if (!store.status().up) throw new CliError(`Lattice's store (${config.store.backend}) is unavailable: ${store.status().lastError ?? 'not reachable'}`, EXIT.UNREACHABLE);
    const dir = config.napps.dir === defaults().napps.dir ? builtInNAppsDir(import.meta.url) : resolve(config.napps.dir);
    const owners = [coreImporter(store), ...(await nappImporters(dir, store, config.napps.settings))];
    const report = await importKytos({
      source,
      root: store,
      owners,
      dryRun: o.dryRun,
      overwrite: o.overwrite,
      clock,
      progress: process.stderr.isTTY ? (line) => o.err(`${line}\n`) : undefined,
    });
    o.out(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.refused.length > 0 ? EXIT.IMPORT_REFUSED : EXIT.OK;
  } finally {
    await source.close().catch(() => undefined);
    await store.close();
  }
}
