import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { EmulatedSwitch } from '../../tools/switch-emulator.js';
import { lattice, type Run } from './run.js';

/** A NApp whose setup always fails: enabling it answers 500. */
const broken = defineNApp({
  manifest: { username: 'test', name: 'broken', version: '1.0.0' },
  setup: () => {
    throw new Error('broken on purpose');
  },
});

/** A stand-in for kytos/flow_manager (the real NApp is someone else's): the routes the CLI reads and writes. */
const FLOWS = { '00:00:00:00:00:00:00:01': { flows: [{ table_id: 0, priority: 100, cookie: 0, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] }] } };
const received: { method: string; dpid: string; body: unknown }[] = [];
const flowManager = defineNApp({
  manifest: { username: 'kytos', name: 'flow_manager', version: '0.0.0-test' },
  routes: () => [
    { method: 'GET', access: 'read', path: 'v2/flows', handler: () => ({ body: FLOWS }) },
    ...(['POST', 'DELETE'] as const).map((method) => ({
      method,
      access: 'write' as const,
      path: 'v2/flows/{dpid}',
      handler: (req: { params: Record<string, string>; body: unknown }) => {
        received.push({ method, dpid: req.params.dpid!, body: req.body });
        return { status: 202, body: { response: 'FlowMod Messages Sent' } };
      },
    })),
  ],
});

describe('lattice CLI (the real process against a real controller)', function () {
  this.timeout(60_000);
  let t: TestController;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'lattice-cli-'));

  before(async () => {
    t = await createTestController({ napps: [broken, flowManager], config: { napps: { enabled: ['lattice/hello'] } } });
    url = `http://127.0.0.1:${t.port}`;
  });
  after(async () => t?.stop());

  it('should print the status as a table, and the server JSON with --json (exit 0)', async () => {
    const table = await lattice(['--url', url, 'status']);
    expect(table.code, table.stderr).to.equal(0);
    // test/broken failed its setup: the controller says so.
    expect(table.stdout).to.match(/^status\s+degradated$/m);
    expect(table.stdout).to.match(/^napps\s+.*test\/broken \(failed\)/m);
    const json = await lattice(['--url', url, '--json', 'status']);
    expect(json.code).to.equal(0);
    expect(JSON.parse(json.stdout).response).to.equal('running');
  });

  it('should take the URL from LATTICE_URL', async () => {
    const r = await lattice(['status'], { LATTICE_URL: url });
    expect(r.code, r.stderr).to.equal(0);
  });

  it('should list, disable and enable NApps', async () => {
    const list = await lattice(['--url', url, 'napps', 'list']);
    expect(list.code, list.stderr).to.equal(0);
    expect(list.stdout).to.match(/^lattice\/hello\s+enabled$/m);
    expect((await lattice(['--url', url, 'napps', 'disable', 'lattice/hello'])).code).to.equal(0);
    expect((await lattice(['--url', url, '--json', 'napps', 'list'])).stdout).to.not.match(/"enabled": \[[^\]]*hello/);
    expect((await lattice(['--url', url, 'napps', 'enable', 'lattice/hello'])).code).to.equal(0);
    const after = JSON.parse((await lattice(['--url', url, '--json', 'napps', 'list'])).stdout) as { enabled: string[][] };
    expect(after.enabled).to.deep.include(['lattice', 'hello']);
  });

  it('should show flows as a table and as JSON', async () => {
    const table = await lattice(['--url', url, 'flows']);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout.split('\n')[0]).to.match(/^DPID\s+TABLE\s+PRIORITY\s+COOKIE\s+MATCH\s+INSTRUCTIONS$/);
    expect(table.stdout).to.contain('00:00:00:00:00:00:00:01  0      100');
    const json = await lattice(['--url', url, '--json', 'flows']);
    expect(JSON.parse(json.stdout)).to.deep.equal(FLOWS);
  });

  it('should add and delete the flows of a file ({"flows": [...]} or a bare list)', async () => {
    const flows = [{ priority: 10, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] }];
    const wrapped = join(dir, 'wrapped.json');
    const bare = join(dir, 'bare.json');
    writeFileSync(wrapped, JSON.stringify({ flows }));
    writeFileSync(bare, JSON.stringify(flows));
    received.length = 0;
    const add = await lattice(['--url', url, 'flows', 'add', '00:00:00:00:00:00:00:01', wrapped]);
    expect(add.code, add.stderr).to.equal(0);
    expect(add.stdout).to.equal('added 1 flow(s) on 00:00:00:00:00:00:00:01\n');
    const del = await lattice(['--url', url, 'flows', 'delete', '00:00:00:00:00:00:00:01', bare]);
    expect(del.code, del.stderr).to.equal(0);
    expect(received).to.deep.equal([
      { method: 'POST', dpid: '00:00:00:00:00:00:00:01', body: { flows } },
      { method: 'DELETE', dpid: '00:00:00:00:00:00:00:01', body: { flows } },
    ]);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"flows": [');
    expect((await lattice(['--url', url, 'flows', 'add', '00:00:00:00:00:00:00:01', broken])).code).to.equal(1);
  });

  it('should exit 1 on a usage error: unknown command, unknown option, missing argument, unreadable file', async () => {
    for (const args of [['frobnicate'], ['--nope', 'status'], [], ['flows', 'add', '00:00:00:00:00:00:00:01'], ['flows', 'add', '1', join(dir, 'missing.json')]]) {
      const r = await lattice(['--url', url, ...args]);
      expect(r.code, args.join(' ')).to.equal(1);
      expect(r.stderr).to.match(/^lattice: /);
    }
  });

  it('should exit 2 with a clear message when a route does not exist (links without kytos/topology)', async () => {
    const r = await lattice(['--url', url, 'links']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('GET /api/kytos/topology/v3/links: 404');
    expect(r.stderr).to.contain('NApp that serves this route is not enabled');
    const file = join(dir, 'flows.json');
    writeFileSync(file, JSON.stringify({ flows: [{ priority: 10, match: { in_port: 1 } }] }));
    // No route for this dpid form (the stand-in has GET v2/flows only, no GET v2/flows/{dpid}).
    expect((await lattice(['--url', url, 'flows', '00:00:00:00:00:00:00:01'])).code).to.equal(2);
    expect((await lattice(['--url', url, 'evcs'])).code).to.equal(2);
  });

  it('should exit 3 when the server answers 5xx (enabling a NApp whose setup fails)', async () => {
    const r = await lattice(['--url', url, 'napps', 'enable', 'test/broken']);
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stderr).to.contain(': 500');
  });

  it('should exit 4 when the controller is unreachable (connection refused)', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await lattice(['--url', `http://127.0.0.1:${port}`, 'status']);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.contain(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
    const ws = await lattice(['--url', `http://127.0.0.1:${port}`, 'events']);
    expect(ws.code).to.equal(4);
  });

  // After every test that writes: once a user exists, writes need a token (auth's first-run bootstrap ends).
  it('should add the first user, log in, and exit 5 on 401 (no token, a wrong password)', async () => {
    const added = await lattice(['--url', url, 'users', 'add', 'alice', '--password', 'Secret-pass-123', '--email', 'alice@example.org']);
    expect(added.code, added.stderr).to.equal(0);
    const denied = await lattice(['--url', url, 'users', 'list']);
    expect(denied.code).to.equal(5);
    expect(denied.stderr).to.contain('LATTICE_TOKEN');
    expect(denied.stderr).to.not.contain('[object Object]');
    expect((await lattice(['--url', url, 'login', 'alice', '--password', 'wrong-pass-123'])).code).to.equal(5);
    const login = await lattice(['--url', url, 'login', 'alice', '--password', 'Secret-pass-123']);
    expect(login.code, login.stderr).to.equal(0);
    const token = login.stdout.trim();
    expect(token).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const listed = await lattice(['--url', url, 'users', 'list'], { LATTICE_TOKEN: token });
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.match(/^alice\s+alice@example\.org/m);
    expect((await lattice(['--url', url, 'users', 'add', 'bob', '--password', 'Secret-pass-456'], { LATTICE_TOKEN: token })).code).to.equal(1);
    expect((await lattice(['--url', url, 'users', 'delete', 'nobody'], { LATTICE_TOKEN: token })).code).to.equal(2);
    // A write without the token is refused now that a user exists.
    expect((await lattice(['--url', url, 'napps', 'disable', 'lattice/hello'])).code).to.equal(5);
  });

  it('should exit 5 on 403 (a viewer writing), and delete a user (exit 0)', async () => {
    const token = (await lattice(['--url', url, 'login', 'alice'], { LATTICE_USER_PASSWORD: 'Secret-pass-123' })).stdout.trim();
    const admin = { headers: { authorization: `Bearer ${token}` } };
    expect((await t.http.post('/api/kytos/core/auth/users/', { username: 'vic', email: 'vic@example.org', password: 'Viewer-pass-1', role: 'viewer' }, admin)).status).to.equal(201);
    const viewer = (await lattice(['--url', url, 'login', 'vic', '--password', 'Viewer-pass-1'])).stdout.trim();
    expect((await lattice(['--url', url, 'status'], { LATTICE_TOKEN: viewer })).code).to.equal(0);
    const refused = await lattice(['--url', url, 'napps', 'disable', 'lattice/hello'], { LATTICE_TOKEN: viewer });
    expect(refused.code).to.equal(5);
    expect(refused.stderr).to.contain('403');
    const deleted = await lattice(['--url', url, 'users', 'delete', 'vic'], { LATTICE_TOKEN: token });
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect(deleted.stdout).to.equal('user vic deleted\n');
    // Soft-deleted, as Kytos-ng does: listed with its deletion time, and its token ends at once.
    const listed = JSON.parse((await lattice(['--url', url, '--json', 'users', 'list'], { LATTICE_TOKEN: token })).stdout) as { users: { username: string; deleted_at: string | null }[] };
    expect(listed.users.find((u) => u.username === 'vic')?.deleted_at).to.be.a('string');
    expect((await lattice(['--url', url, 'users', 'list'], { LATTICE_TOKEN: viewer })).code).to.equal(5);
  });

  it('should follow the event WebSocket until interrupted (events, no --count): each match as it comes, exit 0 on SIGINT', async () => {
    let n = 0;
    const timer = setInterval(() => {
      if (t.controller.http.ws.stats.clients > 0) t.controller.system.bus.publish('test/follow.tick', { n: ++n });
    }, 50);
    const r = await lattice(['--url', url, '--json', 'events', 'test/follow\\..*'], {}, undefined, {
      // Interrupt once three events arrived: the stream stays open until then.
      onStdout: (out, child) => {
        if (out.split('\n').filter(Boolean).length >= 3) child.kill('SIGINT');
      },
    }).finally(() => clearInterval(timer));
    expect(r.code, r.stderr).to.equal(0);
    const names = r.stdout.trim().split('\n').map((l) => JSON.parse(l).name as string);
    expect(names.length).to.be.at.least(3);
    expect(new Set(names)).to.deep.equal(new Set(['test/follow.tick']));
  });

  it('should follow events matching a pattern (events --count 1)', async () => {
    let published = false;
    const run = lattice(['--url', url, '--json', '--count', '1', 'events', 'test/cli\\..*']);
    // The subscription is live once the controller has a WebSocket client; publish until the CLI has one event.
    const timer = setInterval(() => {
      if (t.controller.http.ws.stats.clients > 0) {
        t.controller.system.bus.publish('test/other.event', {});
        t.controller.system.bus.publish('test/cli.hello', { n: 1 });
        published = true;
      }
    }, 100);
    const r = await run.finally(() => clearInterval(timer));
    expect(published).to.equal(true);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0]!)).to.include({ name: 'test/cli.hello' });
  });
});

describe('lattice CLI against kytos/topology (switches, links)', function () {
  this.timeout(60_000);
  let t: TestController;
  let sw: EmulatedSwitch | undefined;
  let url: string;

  before(async () => {
    t = await createTestController({ config: { napps: { enabled: ['kytos/of_core', 'kytos/topology'] } } });
    url = `http://127.0.0.1:${t.port}`;
    sw = new EmulatedSwitch({ port: t.openflowPort, dpid: 0x73n });
    await sw.waitReady();
  });
  after(async () => {
    sw?.close();
    await t?.stop();
  });

  it('should list the connected switch as a table and as JSON, and the (empty) links', async () => {
    const dpid = '00:00:00:00:00:00:00:73';
    let table: Run | undefined;
    for (let i = 0; i < 50; i++) {
      table = await lattice(['--url', url, 'switches']);
      if (table.code === 0 && table.stdout.includes(dpid)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(table!.code, table!.stderr).to.equal(0);
    expect(table!.stdout.split('\n')[0]).to.match(/^DPID\s+NAME\s+ENABLED\s+ACTIVE\s+INTERFACES\s+CONNECTION$/);
    expect(table!.stdout).to.match(new RegExp(`^${dpid}\\s`, 'm'));
    const json = await lattice(['--url', url, '--json', 'switches']);
    expect(JSON.parse(json.stdout).switches).to.have.property(dpid);
    const links = await lattice(['--url', url, '--json', 'links']);
    expect(links.code, links.stderr).to.equal(0);
    expect(JSON.parse(links.stdout)).to.have.property('links');
  });
});
