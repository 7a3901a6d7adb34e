/**
 * `lattice backup` / `lattice restore`: the embedded store (one LMDB
 * environment in `<dataDir>/store`) copied to one file and back. These two
 * commands work on the local data dir, not over REST.
 *
 * Backup runs while the controller runs: LMDB lets a second process open the
 * environment, and `mdb_env_copy2` (lmdb's `backup()`) copies it inside one
 * read transaction, i.e. a consistent snapshot of the last committed
 * transaction, while the controller keeps writing. The copy is compacted
 * (free pages left out), opened again and walked end to end before it is
 * renamed into place, and a `<file>.sha256` (sha256sum format) is written
 * next to it.
 *
 * Restore refuses while any process maps the store (the controller runs), and
 * refuses a file whose checksum does not match or that is not a Lattice store
 * (LMDB opens it, every key reads back, the collection metadata is there).
 * The current store is kept aside as `store.before-restore-<its last write>-<pid>`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, closeSync, createReadStream, existsSync, openSync, readSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { open } from 'lmdb';
import { CliError, EXIT, usage } from './exit-codes.js';

export interface StoreLocation {
  dataDir: string;
  /** Where the data dir came from (for messages). */
  from: string;
}

/**
 * The data dir as the controller would find it: --data-dir, else LATTICE_DATA_DIR, else the config
 * file's store.dataDir (LATTICE_CONFIG), else ./data. A config naming the MongoDB backend is refused.
 */
export function locateStore(option: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  let file: { store?: { backend?: unknown; dataDir?: unknown } } = {};
  if (env.LATTICE_CONFIG) {
    try {
      file = JSON.parse(readFileSync(env.LATTICE_CONFIG, 'utf8')) as typeof file;
    } catch (error) {
      throw usage(`cannot read the config file ${env.LATTICE_CONFIG} (LATTICE_CONFIG): ${(error as Error).message}`);
    }
  }
  const backend = env.LATTICE_STORE || file.store?.backend || 'embedded';
  if (backend !== 'embedded') {
    throw usage('the store backend is mongodb: back it up with mongodump and restore it with mongorestore (README "Backup and restore")');
  }
  if (option) return { dataDir: resolve(option), from: '--data-dir' };
  if (env.LATTICE_DATA_DIR) return { dataDir: resolve(env.LATTICE_DATA_DIR), from: 'LATTICE_DATA_DIR' };
  if (typeof file.store?.dataDir === 'string') return { dataDir: resolve(file.store.dataDir), from: `store.dataDir in ${env.LATTICE_CONFIG}` };
  return { dataDir: resolve('data'), from: 'the default ./data' };
}

const failed = (message: string): CliError => new CliError(message, EXIT.LOCAL);

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface StoreSummary {
  entries: number;
  documents: number;
  collections: string[];
}

/**
 * Opens an LMDB environment directory read-only and reads every key and value back (a
 * structural check of every page); refuses what is not a Lattice store.
 */
export function inspectStore(dir: string): StoreSummary {
  let db;
  try {
    db = open({ path: dir, readOnly: true, encoding: 'binary', noSubdir: false });
  } catch (error) {
    throw failed(`not an LMDB store: ${(error as Error).message}`);
  }
  try {
    let entries = 0;
    let documents = 0;
    const collections: string[] = [];
    for (const { key, value } of db.getRange({})) {
      entries++;
      if (!Array.isArray(key)) throw failed(`not a Lattice store: a key of another layout (${JSON.stringify(key)})`);
      if (key[0] === 'm' && typeof key[1] === 'string') collections.push(key[1]);
      else if (key[0] === 'd') documents++;
      if (!(value instanceof Uint8Array)) throw failed('not a Lattice store: a value is not binary');
    }
    if (collections.length === 0) throw failed('not a Lattice store: no collection metadata');
    return { entries, documents, collections };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw failed(`the store does not read back: ${(error as Error).message}`);
  } finally {
    void db.close();
  }
}

/** LMDB's meta page magic (MDB_MAGIC), after the page header of page 0 (16 bytes in LMDB 0.9, 24 in the 1.0 format lmdb-js uses). */
const MDB_MAGIC = 0xbeefc0de;

/** The file starts like an LMDB data file (a damaged tree can still crash LMDB: see inspectIsolated). */
function looksLikeLmdb(file: string): boolean {
  const head = Buffer.alloc(32);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, head, 0, 32, 0) < 32) return false;
  } finally {
    closeSync(fd);
  }
  return head.readUInt32LE(16) === MDB_MAGIC || head.readUInt32LE(24) === MDB_MAGIC;
}

/**
 * `inspectStore` in a child process (this CLI, hidden command `__inspect-store`): LMDB trusts its
 * file, and a damaged one can crash the process that reads it; a crash here becomes a refusal.
 */
export function inspectIsolated(dir: string): StoreSummary {
  if (!looksLikeLmdb(join(dir, 'data.mdb'))) throw failed('not an LMDB store: no LMDB meta page at the start of the file');
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '__inspect-store', dir], { encoding: 'utf8', timeout: 600_000 });
  if (child.status === 0) return JSON.parse(child.stdout) as StoreSummary;
  const why = child.signal ? `the check crashed (${child.signal}): the file is damaged` : child.stderr.trim().replace(/^lattice: /, '') || `the check exited ${child.status}`;
  throw failed(why.startsWith('not ') || why.startsWith('the store') ? why : `the store does not read back: ${why}`);
}

/** PIDs of other processes that map a file (Linux /proc; processes of other users may be unreadable). */
export function processesMapping(file: string): number[] {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const maps = readFileSync(`/proc/${entry}/maps`, 'utf8');
      if (maps.includes(real)) {
        out.push(Number(entry));
        continue;
      }
      // An open descriptor without a mapping yet (opening) counts too.
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === real) {
          out.push(Number(entry));
          break;
        }
      }
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  summary: StoreSummary;
}

/** Copies the store of `dataDir` (running controller or not) to `file`, verified, with `<file>.sha256`. */
export async function backupStore(dataDir: string, file: string): Promise<BackupResult> {
  const storeDir = join(dataDir, 'store');
  if (!existsSync(join(storeDir, 'data.mdb'))) throw failed(`no embedded store in ${storeDir} (data.mdb missing)`);
  const target = resolve(file);
  if (existsSync(target) && statSync(target).isDirectory()) throw usage(`${target} is a directory; name a file`);
  mkdirSync(dirname(target), { recursive: true });
  // No dot in the name: lmdb would take a name with an extension for a file (noSubdir is set anyway).
  const tmp = join(dirname(target), `lattice-backup-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    const db = open({ path: storeDir, readOnly: true, encoding: 'binary', noSubdir: false });
    try {
      // One read transaction: the snapshot of the last committed write; compacted.
      await db.backup(tmp, true);
    } finally {
      await db.close();
    }
    const summary = inspectIsolated(tmp);
    const copy = join(tmp, 'data.mdb');
    const digest = await sha256(copy);
    const bytes = statSync(copy).size;
    renameSync(copy, target);
    writeFileSync(`${target}.sha256`, `${digest}  ${basename(target)}\n`);
    return { file: target, bytes, sha256: digest, summary };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export interface RestoreResult {
  storeDir: string;
  /** Where the store that was there went (absent when there was none). */
  keptAside?: string;
  checksum: 'verified' | 'absent';
  summary: StoreSummary;
}

/**
 * Replaces the store of `dataDir` with the backup `file`: refused while a process maps the
 * store, when `<file>.sha256` does not match, or when the file is not a Lattice store.
 */
export async function restoreStore(dataDir: string, file: string): Promise<RestoreResult> {
  const source = resolve(file);
  if (!existsSync(source) || !statSync(source).isFile()) throw usage(`no backup file ${source}`);
  const storeDir = join(dataDir, 'store');
  const users = [...new Set([...processesMapping(join(storeDir, 'data.mdb')), ...processesMapping(join(storeDir, 'lock.mdb'))])];
  if (users.length > 0) {
    throw failed(`the store ${storeDir} is in use by process ${users.join(', ')} (the controller runs?): stop it first (systemctl stop lattice), then restore`);
  }
  let checksum: RestoreResult['checksum'] = 'absent';
  if (existsSync(`${source}.sha256`)) {
    const want = readFileSync(`${source}.sha256`, 'utf8').trim().split(/\s+/)[0];
    const got = await sha256(source);
    if (want !== got) throw failed(`${source} does not match ${source}.sha256 (${got} != ${want}): the file is damaged or not this backup`);
    checksum = 'verified';
  }
  const staging = join(dataDir, `restoring-store-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    copyFileSync(source, join(staging, 'data.mdb'));
    const summary = inspectIsolated(staging);
    // The reader table of the check is not the controller's: a fresh one is made at open.
    rmSync(join(staging, 'lock.mdb'), { force: true });
    let keptAside: string | undefined;
    if (existsSync(storeDir)) {
      // Named after the old store's last write (its data file's mtime), unique per restore.
      const old = join(storeDir, 'data.mdb');
      const stamp = existsSync(old) ? statSync(old).mtime.toISOString().replace(/[:.]/g, '-') : 'empty';
      keptAside = join(dataDir, `store.before-restore-${stamp}-${process.pid}`);
      renameSync(storeDir, keptAside);
    }
    renameSync(staging, storeDir);
    // Run as root on a data dir the service user owns: hand the new store to that user, or it could not open it.
    const owner = statSync(dataDir);
    if (process.getuid?.() === 0 && owner.uid !== 0) {
      for (const p of [storeDir, join(storeDir, 'data.mdb')]) chownSync(p, owner.uid, owner.gid);
    }
    return { storeDir, ...(keptAside ? { keptAside } : {}), checksum, summary };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
