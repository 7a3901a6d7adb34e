import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ToolName } from '../../../load-tests/lib/report.js';
import { runPlan } from '../../../load-tests/lib/run.js';
import { findScenario, loadScenarios, resolvePlan, type Scenario } from '../../../load-tests/lib/scenario.js';
import { freePort, startBareServer, type ServerProcess } from '../../../load-tests/lib/servers.js';
import { probeK6, PROJECT_ROOT, selectTool, type ToolChoice } from '../../../load-tests/lib/tool-select.js';
import { skipWithoutOvs } from '../../env/ovs.js';

// Real runs on loopback against the bare uWebSockets.js server, a few seconds each, low rate.
describe('load harness (real runs on loopback)', function () {
  this.timeout(60_000);
  let server: ServerProcess;
  const scenarios = loadScenarios();

  before(async () => {
    server = await startBareServer();
  });

  after(async () => {
    await server?.stop();
  });

  for (const name of ['k6', 'autocannon'] as ToolName[]) {
    describe(`driven by ${name}`, () => {
      let tool: ToolChoice;

      before(function () {
        const probe = probeK6();
        if (name === 'k6' && probe.found === null) {
          if (process.env.CI === 'true') throw new Error('no genuine k6 installed; CI must run scripts/load/install-k6.sh');
          this.skip();
        }
        tool = selectTool(name, probe);
      });

      it('should send the offered rate, count every 200 and the 8,601-byte bodies, and read the server CPU', async () => {
        const plan = resolvePlan(findScenario(scenarios, 'topology-get'), { target: server.url, rate: 40, duration: 2 });
        const report = await runPlan(plan, { tool, pid: server.pid, warmupRequests: 5 });
        expect(report.tool).to.equal(name);
        // 40/s for 2 s: k6 starts one arrival at t=0; a loaded machine may make it drop a few.
        expect(report.requests + report.dropped, `${report.requests} sent, ${report.dropped} dropped`).to.be.within(76, 82);
        expect(report.requests).to.be.at.least(56);
        expect(report.statusCodes).to.deep.equal({ '200': report.requests });
        expect(report.successRatio).to.equal(1);
        expect(report.bytesIn / report.requests).to.be.at.least(8601);
        expect(report.bytesOut).to.be.greaterThan(0);
        expect(report.latencyMs.min).to.be.greaterThan(0);
        expect(report.latencyMs.p99).to.be.at.least(report.latencyMs.p50);
        expect(report.cpu?.pid).to.equal(server.pid);
        expect(report.cpu?.schedstatPerRequestUs).to.be.greaterThan(0);
        // Latency thresholds are not asserted here: tests make no timed assertions (bench:* does).
        expect(report.thresholds.find((t) => t.name === 'failure ratio')?.ok).to.equal(true);
      });

      it('should count unexpected statuses as failures and fail the thresholds', async () => {
        const missing: Scenario = { ...findScenario(scenarios, 'trivial-get'), name: 'missing-route', path: '/no/such/route' };
        const plan = resolvePlan(missing, { target: server.url, rate: 20, duration: 1 });
        const report = await runPlan(plan, { tool, pid: server.pid, warmupRequests: 1 });
        expect(report.statusCodes['404']).to.equal(report.requests);
        expect(report.requests).to.be.greaterThan(10);
        expect(report.successRatio).to.equal(0);
        expect(report.passed).to.equal(false);
        expect(report.thresholds.find((t) => t.name === 'failure ratio')?.ok).to.equal(false);
      });

      it('should count requests that got no response as status 0, with the error, and fail', async () => {
        const port = await freePort(); // nothing listens there
        const plan = resolvePlan(findScenario(scenarios, 'trivial-get'), { target: `http://127.0.0.1:${port}`, rate: 20, duration: 1 });
        const report = await runPlan(plan, { tool, pid: null, warmupRequests: 0 });
        expect(report.requests).to.be.greaterThan(0);
        expect(report.statusCodes).to.deep.equal({ '0': report.requests });
        expect(Object.keys(report.errors).join()).to.match(name === 'k6' ? /^k6 error 1212 \(connection refused\)$/ : /ECONNREFUSED/);
        expect(Object.values(report.errors).reduce((a, b) => a + b, 0)).to.equal(report.requests);
        expect(report.cpu).to.equal(null);
        expect(report.passed).to.equal(false);
      });

      it('should POST the scenario body and count the 202s', async () => {
        const plan = resolvePlan(findScenario(scenarios, 'flow-post'), { target: server.url, rate: 20, duration: 1 });
        const report = await runPlan(plan, { tool, pid: server.pid, warmupRequests: 1 });
        expect(report.statusCodes).to.deep.equal({ '202': report.requests });
        expect(report.bytesOut / report.requests).to.be.at.least(plan.body!.length);
      });
    });
  }

  describe('npm run load (the CLI)', () => {
    const cli = join(PROJECT_ROOT, 'load-tests', 'load.ts');

    it('should run a scenario against a bare server it starts, print the report naming the tool, exit status by verdict', () => {
      const out = spawnSync(process.execPath, ['--conditions=lattice-source', '--import', 'tsx', cli, 'trivial-get', '--server', 'bare', '--duration', '1', '--rate', '20', '--tool', 'autocannon', '--no-write'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      });
      // Exit status follows the verdict (latency thresholds may be crossed on a busy machine).
      const verdict = /^Result: (PASS|FAIL)$/m.exec(out.stdout)?.[1];
      expect(out.status, out.stderr).to.equal(verdict === 'PASS' ? 0 : 1);
      if (verdict === 'FAIL') expect(out.stdout).to.not.match(/^ {2}FAIL (requests sent|failure ratio)/m);
      expect(out.stdout).to.match(/^Tool\s+\[name, version, mode\]\s+autocannon, /m);
      expect(out.stdout).to.match(/^Status Codes\s+\[code:count\]\s+200:\d+$/m);
      expect(out.stdout).to.match(/^Server CPU\s+\[pid, total, per request\]\s+\d+, /m);
    });

    it('should exit non-zero when the target cannot be reached', async () => {
      const port = await freePort();
      const out = spawnSync(process.execPath, ['--conditions=lattice-source', '--import', 'tsx', cli, 'trivial-get', '--target', `http://127.0.0.1:${port}`, '--duration', '1', '--no-write'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(out.status).to.equal(1);
      expect(out.stderr).to.match(/cannot reach GET http:\/\/127\.0\.0\.1:\d+\/api\/kytos\/core\/ping\//);
    });

    it('should run flow-post against the controller with the Open vSwitch bridge it names connected: every POST 202', async function () {
      await skipWithoutOvs(this);
      this.timeout(120_000);
      const out = spawnSync(process.execPath, ['--conditions=lattice-source', '--import', 'tsx', cli, 'flow-post', '--duration', '2', '--rate', '20', '--tool', 'autocannon', '--no-write'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        timeout: 110_000,
      });
      expect(out.stdout, out.stderr).to.match(/^Open vSwitch bridges 1 connected$/m);
      expect(out.stdout).to.match(/^Status Codes\s+\[code:count\]\s+202:\d+$/m);
      expect(out.stdout).to.not.match(/^ {2}FAIL (requests sent|failure ratio)/m);
    });

    it('should refuse an unknown scenario with usage (exit 2)', () => {
      const out = spawnSync(process.execPath, ['--conditions=lattice-source', '--import', 'tsx', cli, 'no-such-scenario'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
      expect(out.status).to.equal(2);
      expect(out.stderr).to.match(/unknown scenario "no-such-scenario"; known: topology-get, lldp-polling-post, flow-post, trivial-get/);
    });
  });
});
