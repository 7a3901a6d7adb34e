import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k6Candidates, probeK6, PROJECT_ROOT, selectTool, ToolUnavailableError, verifyK6, type K6Probe } from '../../../load-tests/lib/tool-select.js';

const REAL_K6 = join(PROJECT_ROOT, '.test-env', 'k6', 'bin', 'k6');

describe('load tool selection', () => {
  let dir: string;
  let impostor: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lattice-k6-test-'));
    // Prints Grafana's banner but is not the Go binary.
    impostor = join(dir, 'k6');
    writeFileSync(impostor, '#!/bin/sh\necho "k6 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)"\n');
    chmodSync(impostor, 0o755);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('selectTool', () => {
    const genuine: K6Probe = { found: { path: '/x/k6', version: 'v1.1.0', banner: 'k6 v1.1.0 (...)' }, rejected: [] };
    const none: K6Probe = { found: null, rejected: [{ path: '/y/k6', reason: 'no build info' }] };

    it('should pick k6 when a genuine binary was found', () => {
      const choice = selectTool(undefined, genuine);
      expect(choice.tool).to.equal('k6');
      expect(choice.k6?.path).to.equal('/x/k6');
    });

    it('should fall back to autocannon and say why when none was found', () => {
      const choice = selectTool(undefined, none);
      expect(choice.tool).to.equal('autocannon');
      expect(choice.reason).to.match(/no genuine k6/).and.to.contain('/y/k6: no build info');
    });

    it('should honour --tool autocannon even with k6 installed', () => {
      expect(selectTool('autocannon', genuine).tool).to.equal('autocannon');
    });

    it('should refuse --tool k6 without a genuine binary', () => {
      expect(() => selectTool('k6', none)).to.throw(ToolUnavailableError, /install-k6\.sh/);
    });
  });

  describe('verifyK6', () => {
    it('should refuse a script that only prints the k6 banner', () => {
      expect(verifyK6(impostor)).to.deep.equal({ reason: 'the binary carries no Go build info for go.k6.io/k6' });
    });

    it('should refuse a program whose banner is not Grafana k6', () => {
      const other = join(dir, 'other');
      writeFileSync(other, '#!/bin/sh\necho "k6 load tester 2.0"\n');
      chmodSync(other, 0o755);
      expect(verifyK6(other)).to.have.property('reason').that.matches(/not Grafana k6's banner/);
    });

    it('should refuse a file that is not executable', () => {
      const plain = join(dir, 'plain');
      writeFileSync(plain, 'x');
      expect(verifyK6(plain)).to.deep.equal({ reason: 'not an executable file' });
    });

    it('should accept the k6 that scripts/load/install-k6.sh installed', function () {
      const result = verifyK6(REAL_K6);
      if (!('path' in result)) {
        if (process.env.CI === 'true') throw new Error(`no genuine k6 at ${REAL_K6} (${result.reason}); CI must run scripts/load/install-k6.sh`);
        this.skip();
      }
      expect(result).to.include({ path: REAL_K6, version: 'v1.1.0' });
      expect(result.banner).to.match(/^k6 v1\.1\.0 \(commit\/\w+, go[\d.]+, linux\/amd64\)$/);
    });
  });

  describe('probeK6', () => {
    it('should look at $LATTICE_K6_BIN first, then the project install, then $PATH', () => {
      const list = k6Candidates({ LATTICE_K6_BIN: '/opt/k6', PATH: '/usr/bin:/bin' }, '/proj');
      expect(list).to.deep.equal(['/opt/k6', '/proj/.test-env/k6/bin/k6', '/usr/bin/k6', '/bin/k6']);
    });

    it('should skip an impostor, record why, and take the genuine binary after it', function () {
      const probe = probeK6([join(dir, 'absent'), impostor, REAL_K6]);
      expect(probe.rejected).to.deep.equal([{ path: impostor, reason: 'the binary carries no Go build info for go.k6.io/k6' }]);
      if (probe.found === null) {
        if (process.env.CI === 'true') throw new Error(`no genuine k6 at ${REAL_K6}; CI must run scripts/load/install-k6.sh`);
        this.skip();
      }
      expect(probe.found.path).to.equal(REAL_K6);
      expect(selectTool(undefined, probe).tool).to.equal('k6');
    });

    it('should choose autocannon when only the impostor is there', () => {
      const choice = selectTool(undefined, probeK6([impostor]));
      expect(choice.tool).to.equal('autocannon');
      expect(choice.reason).to.contain(impostor);
    });
  });
});
