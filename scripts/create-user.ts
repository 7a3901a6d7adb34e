/**
 * `npm run user:create`: creates a user over REST (the first one through the
 * loopback bootstrap, later ones with LATTICE_TOKEN). Asks for the username,
 * email and password on the terminal (the password is not echoed); never takes
 * a password on the command line. LATTICE_URL defaults to http://127.0.0.1:8181.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

const url = (process.env.LATTICE_URL ?? 'http://127.0.0.1:8181').replace(/\/$/, '');

let muted = false;
const output = new Writable({
  write(chunk: Buffer, _enc, done) {
    if (!muted) process.stdout.write(chunk);
    done();
  },
});
const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
const lines = rl[Symbol.asyncIterator]();

async function ask(question: string, hidden = false): Promise<string> {
  process.stdout.write(question);
  muted = hidden;
  const next = await lines.next();
  muted = false;
  if (hidden) process.stdout.write('\n');
  if (next.done) {
    process.stderr.write('input ended\n');
    process.exit(1);
  }
  return next.value.trim();
}

const username = await ask('Username: ');
const email = await ask('Email: ');
const password = await ask('Password: ', true);
const again = await ask('Retype password: ', true);
if (password !== again) {
  process.stderr.write('passwords differ\n');
  process.exit(1);
}
const role = (await ask('Role [admin]: ')) || 'admin';
rl.close();
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (process.env.LATTICE_TOKEN) headers.authorization = `Bearer ${process.env.LATTICE_TOKEN}`;
const res = await fetch(`${url}/api/kytos/core/auth/users/`, { method: 'POST', headers, body: JSON.stringify({ username, email, password, role }) });
const text = await res.text();
process.stdout.write(`${res.status} ${text}\n`);
process.exit(res.status === 201 ? 0 : 1);
