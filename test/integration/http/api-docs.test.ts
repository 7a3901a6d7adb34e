import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { compareRoutes, openApiPath } from '../../../src/platform/api-docs.js';

/** Every NApp shipped under napps/ (username/name). */
const shipped = (): string[] => {
  const root = new URL('../../../napps/', import.meta.url);
  return readdirSync(root, { withFileTypes: true })
    .filter((u) => u.isDirectory())
    .flatMap((u) => readdirSync(new URL(`${u.name}/`, root), { withFileTypes: true }).filter((n) => n.isDirectory()).map((n) => `${u.name}/${n.name}`));
};

/** Every `$ref` in the document points at something in it. */
function danglingRefs(doc: any): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') {
        const target = x.replace(/^#\//, '').split('/').reduce((o: any, key) => o?.[key], doc);
        if (target === undefined) out.push(x);
      } else walk(x);
    }
  };
  walk(doc);
  return out;
}

describe('API docs: GET /api/lattice/v1/openapi.json and /docs/', function () {
  this.timeout(30_000);
  let t: TestController;

  before(async () => {
    t = await createTestController({ config: { napps: { enabled: shipped() } } });
  });
  after(async () => t?.stop());

  it('should run every shipped NApp (the check below covers them all)', async () => {
    const states = (await t.http.get('/api/kytos/core/status/')).body.napps as Record<string, string>;
    for (const id of shipped()) expect(states[id], id).to.equal('running');
  });

  it('should document every registered route, and register every documented path', async () => {
    const res = await t.http.get('/api/lattice/v1/openapi.json');
    expect(res.status).to.equal(200);
    const doc = res.body;
    expect(doc.openapi).to.match(/^3\.0\./);
    const routes = t.controller.http.routeTable();
    expect(routes.length).to.be.greaterThan(15);
    expect(compareRoutes(routes, doc)).to.deep.equal({ undocumented: [], unregistered: [] });
    expect(danglingRefs(doc)).to.deep.equal([]);
  });

  it("should tag a NApp's operations with its id and rename its components", async () => {
    const doc = (await t.http.get('/api/lattice/v1/openapi.json')).body;
    const post = doc.paths['/api/lattice/hello/v1/greetings'].post;
    expect(post.tags).to.deep.equal(['lattice/hello']);
    expect(post.requestBody.content['application/json'].schema.$ref).to.equal('#/components/schemas/lattice.hello.Greeting');
    expect(doc.components.schemas['lattice.hello.Greeting'].required).to.deep.equal(['name']);
  });

  it('should follow NApps as they are disabled and enabled', async () => {
    expect((await t.http.post('/api/kytos/core/napps/lattice/hello/disable')).status).to.equal(200);
    const without = (await t.http.get('/api/lattice/v1/openapi.json')).body;
    expect(Object.keys(without.paths).some((p) => p.startsWith('/api/lattice/hello/'))).to.equal(false);
    expect(compareRoutes(t.controller.http.routeTable(), without)).to.deep.equal({ undocumented: [], unregistered: [] });
    expect((await t.http.post('/api/kytos/core/napps/lattice/hello/enable')).status).to.equal(200);
    const back = (await t.http.get('/api/lattice/v1/openapi.json')).body;
    expect(back.paths).to.have.property('/api/lattice/hello/v1/greetings');
  });

  it('should find the routes of a NApp that ships no openapi.yml', async () => {
    const undocumented = defineNApp({
      manifest: { username: 'test', name: 'undocumented', version: '1.0.0' },
      routes: () => [{ method: 'GET', access: 'read', path: 'v1/secret/{id}', handler: () => ({ body: {} }) }],
    });
    const other = await createTestController({ napps: [undocumented] });
    try {
      const doc = (await other.http.get('/api/lattice/v1/openapi.json')).body;
      expect(compareRoutes(other.controller.http.routeTable(), doc).undocumented).to.deep.equal(['GET /api/test/undocumented/v1/secret/{id}']);
    } finally {
      await other.stop();
    }
  });

  it('should write {name:path} parameters as OpenAPI {name}', () => {
    expect(openApiPath('/api/kytos/core/actors/{name:path}')).to.equal('/api/kytos/core/actors/{name}');
    expect(openApiPath('/api/x/v1/')).to.equal('/api/x/v1');
  });

  it('should serve Swagger UI from the local package at /docs/ and /docs, nothing else from disk', async () => {
    for (const path of ['/docs/', '/docs']) {
      const page = await t.http.get(path);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.text).to.contain('/docs/swagger-ui-bundle.js');
      expect(page.text).to.not.match(/https?:\/\//);
    }
    const bundle = await t.http.get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).to.equal(200);
    expect(bundle.headers.get('content-type')).to.match(/javascript/);
    expect(bundle.text.length).to.be.greaterThan(100_000);
    const init = await t.http.get('/docs/swagger-initializer.js');
    expect(init.text).to.contain('"/api/lattice/v1/openapi.json"');
    for (const path of ['/docs/package.json', '/docs/..%2Fpackage.json', '/docs/swagger-ui-bundle.js.map']) {
      expect((await t.http.get(path)).status, path).to.equal(404);
    }
  });
});
