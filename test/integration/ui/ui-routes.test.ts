import { expect } from 'chai';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';

describe('web UI routes: / redirects to /ui/, the static files are served (also with protected reads)', function () {
  this.timeout(30_000);
  let t: TestController;

  before(async () => {
    t = await createTestController({ config: { auth: { protectReads: true }, napps: { enabled: ['kytos/topology'] } } });
    // A first user ends the loopback bootstrap: from then on reads need a token.
    expect((await t.http.post('/api/kytos/core/auth/users/', { username: 'admin', email: 'a@example.com', password: 'Admin1234' })).status).to.equal(201);
  });
  after(async () => t?.stop());

  const get = (path: string) => fetch(`${t.http.baseUrl}${path}`, { redirect: 'manual' });

  it('should redirect / to /ui/', async () => {
    const res = await get('/');
    expect([res.status, res.headers.get('location')]).to.deep.equal([302, '/ui/']);
  });

  it('should serve the page, its script (cytoscape bundled, no CDN) and its style without a token', async () => {
    for (const path of ['/ui', '/ui/', '/ui/index.html']) {
      const res = await get(path);
      expect([path, res.status, res.headers.get('content-type')]).to.deep.equal([path, 200, 'text/html; charset=utf-8']);
      expect(res.headers.get('content-security-policy')).to.match(/script-src 'self';.*connect-src 'self'/);
      const html = await res.text();
      expect(html).to.include('<script src="/ui/app.js">');
      expect(html).to.not.match(/https?:\/\//);
    }
    const js = await get('/ui/app.js');
    expect([js.status, js.headers.get('content-type')]).to.deep.equal([200, 'text/javascript; charset=utf-8']);
    const code = await js.text();
    expect(code).to.include('__lattice').and.to.include('cytoscape');
    expect(code).to.not.match(/<script|cdn\.|unpkg|jsdelivr/);
    expect((await get('/ui/app.css')).headers.get('content-type')).to.equal('text/css; charset=utf-8');
  });

  it('should answer 404 for any other file, and keep the data behind the token', async () => {
    for (const path of ['/ui/main.ts', '/ui/package.json', '/ui/..%2Fpackage.json']) expect((await get(path)).status, path).to.equal(404);
    expect((await get('/api/kytos/topology/v3/')).status).to.equal(401);
  });
});
