/**
 * `lattice`: the controller's command-line client, a REST (and WebSocket)
 * client. It imports nothing of the controller: it talks to a running one
 * at --url (default http://127.0.0.1:8181) with the token in LATTICE_TOKEN.
 * `backup` and `restore` work on the local data dir instead (backup.ts).
 */
import { parseArgs } from 'node:util';
import { RestClient } from './client.js';
import { COMMANDS } from './commands.js';
import { followEvents } from './events.js';
import { backupStore, inspectStore, locateStore, restoreStore } from './backup.js';
import { CliError, EXIT, usage, type ExitCode } from './exit-codes.js';

export const HELP = `usage: lattice [--url URL] [--json] <command> [arguments]

commands:
  status                           controller status
  switches                         switches (kytos/topology)
  links                            links (kytos/topology)
  flows [dpid]                     stored flows (kytos/flow_manager)
  flows add <dpid> <file.json>     install the flows in the file ({"flows": [...]} or [...])
  flows delete <dpid> <file.json>  delete the flows the file matches
  evcs                             EVCs (kytos/mef_eline)
  napps list                       installed NApps and whether they are enabled
  napps enable|disable <user/name>
  users list                       API users (auth)
  users add <name> --password P --email E
  users delete <name>
  login <name> --password P        print a token for LATTICE_TOKEN (export LATTICE_TOKEN=$(lattice login ...))
  events [pattern]                 follow bus events matching a regex (default ".*"); --count N stops after N
  import-kytos --from URI|DIR      copy Kytos-ng's data (its MongoDB, or a mongodump folder) into Lattice's store,
                                   all or nothing; [--db napps] [--dry-run] [--overwrite]; run with the controller
                                   stopped, with its config (LATTICE_CONFIG, LATTICE_STORE, LATTICE_DATA_DIR, ...)
  backup <file>                    copy the embedded store to <file> (+ <file>.sha256); works while the controller runs
  restore <file>                   replace the embedded store with <file> (controller stopped; the old store is kept aside)

options:
  --url URL        controller base URL (default $LATTICE_URL or http://127.0.0.1:8181)
  --json           print the server's JSON (one JSON document per event for "events")
  --timeout MS     request timeout (default 10000)
  --data-dir DIR   backup/restore: the data dir (default $LATTICE_DATA_DIR, store.dataDir of $LATTICE_CONFIG, ./data)
  -h, --help       this help

environment: LATTICE_TOKEN (sent as "Authorization: Bearer"), LATTICE_URL, LATTICE_USER_PASSWORD
exit codes: 0 ok, 1 usage, 2 client error (4xx), 3 server error (5xx), 4 unreachable, 5 auth (401/403),
            6 import refused (nothing written), 7 store in use (a controller runs on it),
            8 backup/restore refused or failed
`;

export async function run(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<ExitCode> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '10000' },
        help: { type: 'boolean', short: 'h', default: false },
        password: { type: 'string' },
        email: { type: 'string' },
        count: { type: 'string' },
        from: { type: 'string' },
        db: { type: 'string', default: 'napps' },
        'dry-run': { type: 'boolean', default: false },
        overwrite: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
    });
  } catch (error) {
    err(`lattice: ${(error as Error).message}\n\n${HELP}`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(HELP);
    return EXIT.OK;
  }
  const [name, ...args] = positionals;
  try {
    if (!name) throw usage('no command given');
    if (name === 'import-kytos') {
      if (args.length > 0) throw usage(`unexpected argument: ${args[0]}`);
      // Loaded only here: every other command is a REST client that never opens the store.
      const { importKytosCommand } = await import('./import-kytos.js');
      return await importKytosCommand({ from: values.from, db: values.db, dryRun: values['dry-run'], overwrite: values.overwrite, json: values.json, out, err });
    }
    const url = values.url ?? process.env.LATTICE_URL ?? 'http://127.0.0.1:8181';
    if (!/^https?:\/\/[^/]+/.test(url)) throw usage(`--url must be an http(s) URL, got ${url}`);
    const timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw usage(`--timeout must be a positive integer, got ${values.timeout}`);
    const token = process.env.LATTICE_TOKEN || undefined;
    if (name === 'events') {
      if (args.length > 1) throw usage(`unexpected argument: ${args[1]}`);
      const count = values.count === undefined ? undefined : Number(values.count);
      if (count !== undefined && (!Number.isInteger(count) || count <= 0)) throw usage(`--count must be a positive integer, got ${values.count}`);
      await followEvents({ url, token, pattern: args[0] ?? '.*', json: values.json, count, write: (line) => out(`${line}\n`) });
      return EXIT.OK;
    }
    if (name === '__inspect-store') {
      // Internal: restore and backup check a copy in a child process (a damaged file may crash LMDB).
      out(`${JSON.stringify(inspectStore(args[0] ?? ''))}\n`);
      return EXIT.OK;
    }
    if (name === 'backup' || name === 'restore') {
      if (args.length !== 1) throw usage(`${name} takes one file`);
      const where = locateStore(values['data-dir']);
      if (name === 'backup') {
        const r = await backupStore(where.dataDir, args[0]!);
        const text =
          `backup: ${r.file} (${r.bytes} bytes, ${r.summary.documents} documents in ${r.summary.collections.length} collections) ` +
          `of the store in ${where.dataDir} (${where.from}); sha256 ${r.sha256} in ${r.file}.sha256`;
        out(values.json ? `${JSON.stringify({ ...r, dataDir: where.dataDir }, null, 2)}\n` : `${text}\n`);
      } else {
        const r = await restoreStore(where.dataDir, args[0]!);
        const text =
          `restore: ${r.storeDir} now holds ${args[0]} (${r.summary.documents} documents in ${r.summary.collections.length} collections; ` +
          `checksum ${r.checksum === 'verified' ? 'verified' : 'absent: no .sha256 next to the file'})` +
          `${r.keptAside ? `; the previous store is in ${r.keptAside}` : ''}`;
        out(values.json ? `${JSON.stringify({ ...r, dataDir: where.dataDir }, null, 2)}\n` : `${text}\n`);
      }
      return EXIT.OK;
    }
    const command = COMMANDS[name];
    if (!command) throw usage(`unknown command: ${name}`);
    const client = new RestClient({ url, token, timeoutMs });
    const result = await command({ client, args, options: { password: values.password, email: values.email } });
    out(values.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CliError) {
      err(`lattice: ${error.message}\n${error.exitCode === EXIT.USAGE ? `\n${HELP}` : ''}`);
      return error.exitCode;
    }
    err(`lattice: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.SERVER_ERROR;
  }
}
