import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startController as startProcess } from '../../../load-tests/lib/servers.js';
import { createLogger } from '../../../src/log.js';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

/** A NApp's bugs outside its actor's steps stay the NApp's: the controller, its API and the other NApps go on. */
describe('NApp faults outside its machine', function () {
  this.timeout(60_000);

  it('should log a timer or interval callback that throws, keep serving, and keep firing the interval', async () => {
    const lines: { msg: string; napp?: string; err?: { message: string } }[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    let fired = 0;
    const buggy = defineNApp({
      manifest: { username: 'test', name: 'buggy', version: '1.0.0' },
      setup: (ctx) => {
        ctx.timers.setTimeout(() => {
          throw new Error('once bug');
        }, 10);
        ctx.timers.setInterval(() => {
          fired++;
          throw new Error('interval bug');
        }, 20);
      },
      routes: () => [{ method: 'GET', access: 'read', path: 'v1/fired', handler: () => ({ body: { fired } }) }],
    });
    const t = await createTestController({ napps: [buggy], log: createLogger('error', sink) });
    try {
      await until(() => fired >= 3, 10_000);
      const res = await t.http.get('/api/test/buggy/v1/fired');
      expect(res.status).to.equal(200);
      expect(res.body.fired).to.be.at.least(3);
      const failed = lines.filter((l) => l.msg === 'NApp timer callback failed (the NApp goes on)');
      expect(failed.every((l) => l.napp === 'test/buggy')).to.equal(true);
      expect(failed.map((l) => l.err?.message)).to.include('once bug');
      expect(failed.filter((l) => l.err?.message === 'interval bug').length).to.be.at.least(3);
    } finally {
      await t.stop();
    }
  });

  it('should log a promise rejection nobody catches and keep the controller process serving', async () => {
    // A NApp outside the repository (napps.dir), in plain JavaScript: it imports nothing.
    const dir = mkdtempSync(join(tmpdir(), 'lattice-napps-'));
    mkdirSync(join(dir, 'test', 'leaky'), { recursive: true });
    writeFileSync(
      join(dir, 'test', 'leaky', 'index.js'),
      `export default {
        manifest: { username: 'test', name: 'leaky', version: '1.0.0' },
        setup: (ctx) => { ctx.timers.setTimeout(() => { void Promise.reject(new Error('nobody catches this')); }, 50); },
        routes: () => [{ method: 'GET', access: 'read', path: 'v1/ping', handler: () => ({ body: { pong: true } }) }],
      };\n`,
    );
    writeFileSync(join(dir, 'test', 'leaky', 'manifest.json'), JSON.stringify({ username: 'test', name: 'leaky', version: '1.0.0', description: 'leaves a rejection uncaught', napp_dependencies: [], lattice: '>=0.1.0' }));
    writeFileSync(join(dir, 'lattice.json'), JSON.stringify({ napps: { dir } }));
    const lattice = await startProcess({ env: { LATTICE_CONFIG: join(dir, 'lattice.json'), LATTICE_NAPPS: 'test/leaky' }, logLevel: 'error' });
    try {
      await until(() => lattice.output().includes('nobody catches this'), 20_000);
      const line = lattice.output().split('\n').find((l) => l.includes('nobody catches this'))!;
      expect(JSON.parse(line)).to.deep.include({ msg: 'unhandled promise rejection (a missing catch): logged, the controller goes on' });
      const ping = await fetch(`${lattice.url}/api/test/leaky/v1/ping`);
      expect(ping.status).to.equal(200);
      expect(await ping.json()).to.deep.equal({ pong: true });
    } finally {
      await lattice.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
