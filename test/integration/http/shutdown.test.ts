import { expect } from 'chai';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';
import { startControllerProcess } from '../../helpers/controller-process.js';

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
      const controller = await startControllerProcess();
      expect((await fetch(`${controller.url}/api/kytos/core/status`)).status).to.equal(200);
      const sentAt = Date.now();
      controller.child.kill(signal);
      const { code } = await controller.exited;
      expect(code).to.equal(0);
      expect(Date.now() - sentAt).to.be.below(10_000);
    });
  }
});
