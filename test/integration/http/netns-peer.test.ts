/**
 * A real non-loopback peer: a network namespace and a veth pair this test
 * creates (and removes), so the controller sees a 10.x socket address. The
 * first-run bootstrap must refuse it whatever its headers say (a loopback
 * Host, X-Forwarded-For: 127.0.0.1), and the per-address rate limit applies to
 * it. Needs root and iproute2; skipped otherwise (a failure with CI=true).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';

const NS = `lat-auth-${process.pid}`;
const A = `lta${process.pid % 100000}`;
const B = `ltb${process.pid % 100000}`;
const NET = `10.213.${process.pid % 250}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

function canUseNetns(): boolean {
  try {
    return process.getuid?.() === 0 && execFileSync('ip', ['netns', 'list'], { stdio: 'pipe' }) !== undefined;
  } catch {
    return false;
  }
}

/** curl run inside the namespace (asynchronously: the controller shares this event loop): status and body. */
async function curlFromNs(args: string[]): Promise<{ status: number; body: string }> {
  const out = (await promisify(execFile)('ip', ['netns', 'exec', NS, 'curl', '-s', '-m', '5', '-w', '\n%{http_code}', ...args])).stdout;
  const i = out.lastIndexOf('\n');
  return { status: Number(out.slice(i + 1)), body: out.slice(0, i) };
}

describe('a non-loopback peer (network namespace + veth)', function () {
  this.timeout(30_000);
  let t: TestController;

  before(async function () {
    if (!canUseNetns()) {
      if (process.env.CI === 'true') throw new Error('network namespaces need root and iproute2');
      console.log('    (skipped: needs root and iproute2 for a network namespace)');
      this.skip();
    }
    ip('netns', 'add', NS);
    ip('link', 'add', A, 'type', 'veth', 'peer', 'name', B);
    ip('link', 'set', B, 'netns', NS);
    ip('addr', 'add', `${NET}.1/30`, 'dev', A);
    ip('link', 'set', A, 'up');
    ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NET}.2/30`, 'dev', B);
    ip('netns', 'exec', NS, 'ip', 'link', 'set', B, 'up');
    ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
    t = await createTestController({ config: { http: { host: '0.0.0.0', rateLimitPerSecond: 2, rateLimitBurst: 3 } } });
  });

  after(async () => {
    await t?.stop();
    try {
      ip('netns', 'del', NS); // takes the veth pair with it
    } catch {
      /* not created */
    }
    try {
      ip('link', 'del', A);
    } catch {
      /* already gone */
    }
  });

  it('should refuse the bootstrap to it, even with a loopback Host and X-Forwarded-For, and say how to create the first user', async () => {
    const url = `http://${NET}.1:${t.port}/api/kytos/core/auth/users/`;
    const res = await curlFromNs([
      '-X', 'POST', url,
      '-H', `Host: 127.0.0.1:${t.port}`,
      '-H', 'X-Forwarded-For: 127.0.0.1',
      '-H', 'Content-Type: application/json',
      '-d', JSON.stringify({ username: 'admin', email: 'admin@example.com', password: 'Admin1234' }),
    ]);
    expect(res.status).to.equal(401);
    expect(JSON.parse(res.body).error).to.match(/no user exists yet.*LATTICE_ADMIN_PASSWORD_FILE/);
  });

  it('should rate-limit it per address (loopback stays exempt)', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await curlFromNs([`http://${NET}.1:${t.port}/api/kytos/core/ping/`])).status);
    expect(statuses).to.include(429);
    for (let i = 0; i < 6; i++) expect((await t.http.get('/api/kytos/core/ping/')).status).to.equal(200);
  });
});
