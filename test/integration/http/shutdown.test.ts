import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

describe('Graceful shutdown', function () {
  it('should let in-flight requests finish and refuse new connections', async () => {
    const slow = defineNApp({
      manifest: { username: 'test', name: 'slow', version: '1.0.0' },
      routes: () => [{ method: 'GET', path: 'v1/slow', handler: () => new Promise((r) => setTimeout(() => r({ body: { done: true } }), 300)) }],
    });
    const t = await createTestController({ napps: [slow] });
    const pending = t.http.get('/api/test/slow/v1/slow');
    await new Promise((r) => setTimeout(r, 50));
    const stopping = t.controller.stop();
    const res = await pending;
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ done: true });
    expect(await stopping).to.equal(true);
    const after = await fetch(`http://127.0.0.1:${t.port}/api/kytos/core/status`).catch((e: Error) => e);
    expect(after).to.be.instanceOf(Error);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`should exit 0 within 10 s of ${signal} (npm start's process)`, async function () {
      this.timeout(40_000);
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: {
          ...process.env,
          LATTICE_HTTP_PORT: '0',
          LATTICE_HTTP_HOST: '127.0.0.1',
          LATTICE_OPENFLOW_PORT: '0',
          LATTICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lattice-sig-')),
          LATTICE_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await until(() => /REST on http:\/\/127\.0\.0\.1:(\d+)/.test(stderr), 20_000, 'the controller to start');
      const port = Number(/REST on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)![1]);
      expect((await fetch(`http://127.0.0.1:${port}/api/kytos/core/status`)).status).to.equal(200);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const sentAt = Date.now();
      child.kill(signal);
      const code = await exited;
      expect(code).to.equal(0);
      expect(Date.now() - sentAt).to.be.below(10_000);
    });
  }
});
