import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControllerProcess, type ControllerProcess } from '../../helpers/controller-process.js';
import { until } from '../../helpers/log.js';

/** The controller as a real process: its config file rewritten, then SIGHUP. */
describe('SIGHUP reloads the config file (real process)', function () {
  this.timeout(60_000);
  let c: ControllerProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'lattice-sighup-'));
  const file = join(dir, 'config.json');
  const write = (config: unknown) => writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  const get = async (path: string) => {
    const r = await fetch(`${c!.url}${path}`);
    return { status: r.status, body: (await r.json().catch(() => undefined)) as any };
  };
  /** Sends SIGHUP and waits for the n-th "lattice: SIGHUP:" line on stderr. */
  const hup = async (n: number): Promise<string> => {
    c!.child.kill('SIGHUP');
    await until(() => (c!.stderr().match(/lattice: SIGHUP: .*\n/g) ?? []).length >= n, 10_000, `SIGHUP answer ${n}`);
    return c!.stderr().match(/lattice: SIGHUP: .*\n/g)![n - 1]!;
  };

  after(async () => {
    await c?.stop();
  });

  it('should apply the reloadable keys, name the ones needing a restart, and keep running on a bad file', async () => {
    write({ log: { level: 'warn' }, auth: { protectReads: false, loopbackBootstrap: false }, http: { rateLimitPerSecond: 0, maxBodyBytes: 1_048_576 } });
    c = await startControllerProcess({ LATTICE_CONFIG: file, LATTICE_NAPPS: '' }, { unsetEnv: ['LATTICE_LOG_LEVEL'] });
    expect((await get('/api/kytos/core/config')).body.log.level).to.equal('warn');

    // 1: the log level (reloadable) and a body limit (needs a restart).
    write({ log: { level: 'info' }, auth: { protectReads: false, loopbackBootstrap: false }, http: { rateLimitPerSecond: 0, maxBodyBytes: 2048 } });
    const first = await hup(1);
    expect(first).to.match(/reloaded log\.level;/);
    expect(first).to.match(/needing a restart \(not applied\): http\.maxBodyBytes/);
    const cfg = (await get('/api/kytos/core/config')).body;
    expect(cfg.log.level).to.equal('info');
    expect(cfg.http.maxBodyBytes).to.equal(1_048_576);
    expect(c.stdout()).to.match(/"msg":"SIGHUP: config reloaded"/);

    // 2: reads behind a token and a per-address rate limit, at once, without a restart.
    expect((await get('/metrics')).status).to.equal(200);
    write({ log: { level: 'info' }, auth: { protectReads: true, loopbackBootstrap: false }, http: { rateLimitPerSecond: 1, rateLimitBurst: 2, rateLimitLoopback: true, maxBodyBytes: 1_048_576 } });
    const second = await hup(2);
    const applied = /reloaded (.*)\n/.exec(second)![1]!.split(', ').sort();
    expect(applied).to.deep.equal(['auth.protectReads', 'http.rateLimitBurst', 'http.rateLimitLoopback', 'http.rateLimitPerSecond']);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/metrics')).status);
    expect(statuses.slice(0, 2)).to.deep.equal([401, 401]);
    expect(statuses).to.include(429);

    // 3: a file that does not parse changes nothing; the controller keeps running.
    write('{"auth": {"protectReads": false');
    const third = await hup(3);
    expect(third).to.match(/config not reloaded, the running config stays: cannot read config file/);
    expect(c.child.exitCode).to.equal(null);

    // The info level applies: the shutdown is logged at info.
    await c.stop();
    expect(c.stdout()).to.match(/"msg":"shutting down"/);
    expect((await c.exited).code).to.equal(0);
  });
});
