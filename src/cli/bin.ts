#!/usr/bin/env node
/** The `lattice` executable (package.json `bin`): runs the CLI and exits with its code. */
import { run } from './main.js';

const code = await run(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
);
// Pipes and files are written synchronously on Linux; exit now rather than wait for idle keep-alive sockets.
process.exit(code);
