import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';
import { startControllerProcess } from '../../helpers/controller-process.js';

describe('A NApp whose shutdown fails', function () {
  it('should still stop everything, then make controller.stop() reject naming the NApp', async () => {
    const bad = defineNApp({
      manifest: { username: 'test', name: 'bad_stop', version: '1.0.0' },
      shutdown: async () => {
        throw new Error('no');
      },
    });
    const ok = defineNApp({ manifest: { username: 'test', name: 'good_stop', version: '1.0.0' } });
    const t = await createTestController({ napps: [bad, ok] });
    const error = await t.controller.stop().then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal('NApp shutdown failed: test/bad_stop');
    expect(t.controller.napps.states().map((s) => s.state)).to.deep.equal(['stopped', 'stopped']);
    const after = await fetch(`http://127.0.0.1:${t.port}/api/kytos/core/status`).catch((e: Error) => e);
    expect(after).to.be.instanceOf(Error);
  });

  it('should make the process (npm run dev) exit 1 on SIGTERM', async function () {
    this.timeout(40_000);
    // napps.dir is relative: it resolves from the working directory (the project root here).
    const config = join(mkdtempSync(join(tmpdir(), 'lattice-conf-')), 'lattice.json');
    writeFileSync(config, JSON.stringify({ napps: { dir: 'test/fixtures/napps' } }));
    const controller = await startControllerProcess({ LATTICE_CONFIG: config, LATTICE_NAPPS: 'test/bad_shutdown' });
    expect((await fetch(`${controller.url}/api/test/bad_shutdown/v1/ping`)).status).to.equal(200);
    controller.child.kill('SIGTERM');
    const { code } = await controller.exited;
    expect(code, controller.stderr()).to.equal(1);
    expect(controller.stderr()).to.include('shutdown failed: NApp shutdown failed: test/bad_shutdown');
  });
});
