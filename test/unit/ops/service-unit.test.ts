import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const UNIT = fileURLToPath(new URL('../../../config/lattice.service', import.meta.url));
const text = readFileSync(UNIT, 'utf8');
/** Every `Key=value` of the unit, in order (repeated keys kept). */
const entries = text
  .split('\n')
  .filter((l) => /^[A-Za-z]+=/.test(l))
  .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
const values = (key: string) => entries.filter(([k]) => k === key).map(([, v]) => v);

describe('config/lattice.service', () => {
  it('should run the built controller as the unprivileged lattice user with its config, data dir and journal', () => {
    expect(values('User')).to.deep.equal(['lattice']);
    expect(values('ExecStart')).to.deep.equal(['/usr/bin/node /opt/lattice/dist/src/main.js']);
    expect(values('Environment')).to.include.members(['LATTICE_CONFIG=/etc/lattice/config.json', 'LATTICE_DATA_DIR=/var/lib/lattice']);
    expect(values('StateDirectory')).to.deep.equal(['lattice']);
    expect(values('StandardOutput')).to.deep.equal(['journal']);
    expect(values('ExecReload')).to.deep.equal(['/bin/kill -HUP $MAINPID']);
  });

  it('should be hardened: no privileges, a read-only system but its data dir', () => {
    for (const [k, v] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ReadWritePaths', '/var/lib/lattice'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
    ]) {
      expect(values(k!), k).to.deep.equal([v]);
    }
    // The JIT needs W+X pages: turning this on would kill node at start.
    expect(values('MemoryDenyWriteExecute')).to.deep.equal(['no']);
  });

  it('should pass systemd-analyze verify without a warning (where systemd is installed)', function () {
    const tool = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
    if (!tool) {
      if (process.env.CI === 'true') throw new Error('systemd-analyze is missing (CI=true)');
      this.skip();
    }
    const out = execFileSync(tool, ['verify', UNIT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).to.equal('');
    // verify prints unknown keys on stderr and still exits 0: run it again capturing stderr.
    const both = execFileSync('sh', ['-c', `"${tool}" verify "${UNIT}" 2>&1`], { encoding: 'utf8' });
    expect(both).to.equal('');
  });
});
