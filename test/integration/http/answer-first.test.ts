import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from 'xstate';
import { defineNApp, type HttpResponse } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

/**
 * uWebSockets.js sends what a request's callback wrote only when the callback returns, microtasks
 * included. A route that answers at once and hands work to its NApp (a `tell`) must have its
 * answer on the wire before that work runs, whatever the work costs.
 *
 * Checked across processes, without timing: the client, a child process, creates a marker file
 * once it has read the answer; the NApp's handling of the told message blocks the controller's
 * event loop until that file exists (at most WAIT_MS). Had the answer been held back until the
 * handling ended, the file could not appear while it ran.
 */
const WAIT_MS = 10_000;

/** What the NApp saw while it held the event loop: whether the client had read the answer. */
const seen: boolean[] = [];
let marker = '';

const handoff = defineNApp({
  manifest: { username: 'test', name: 'handoff', version: '1.0.0' },
  machine: () =>
    setup({
      actions: {
        holdLoop: () => {
          const until = Date.now() + WAIT_MS;
          while (!existsSync(marker) && Date.now() < until) {
            // Blocks the event loop on purpose: nothing else in this process runs meanwhile.
          }
          seen.push(existsSync(marker));
        },
      },
    }).createMachine({ on: { 'handoff.work': { actions: 'holdLoop' } } }),
  routes: (ctx) => [
    {
      method: 'POST', access: 'write', path: 'v1/handoff', body: 'json',
      handler: (): HttpResponse => {
        ctx.tell(ctx.self, { type: 'handoff.work' });
        return { status: 202, body: { accepted: true } };
      },
    },
  ],
});

/** POSTs from a child process, which creates `file` once it has read the whole answer. */
function postFromChild(url: string, file: string): Promise<{ code: number | null; out: string }> {
  const script = `fetch(${JSON.stringify(url)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    .then(async (r) => { const text = await r.text(); require('node:fs').writeFileSync(${JSON.stringify(file)}, ''); console.log(r.status, text); })
    .catch((e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('HTTP: an answer is sent before the work a route hands to its NApp runs', function () {
  this.timeout(30_000);
  let t: TestController;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'answer-first-'));
    t = await createTestController({ napps: [handoff] });
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should let the client read a synchronous route answer while the NApp is still handling what the route told it', async () => {
    marker = join(dir, 'answered');
    const result = await postFromChild(`http://127.0.0.1:${t.port}/api/test/handoff/v1/handoff`, marker);
    expect(result.code, result.out).to.equal(0);
    expect(result.out.trim()).to.equal('202 {"accepted":true}');
    await until(() => seen.length === 1, WAIT_MS + 5000, 'the NApp to handle the told message');
    expect(seen, 'the client had read the answer while the NApp held the event loop').to.deep.equal([true]);
  });
});
