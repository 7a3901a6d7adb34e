import { expect } from 'chai';
import { normalisePath, Router } from '../../../src/http/router.js';

describe('Router', () => {
  const build = () => {
    const r = new Router<string>();
    r.add('GET', '/api/x/v3/interfaces/tag_ranges', 'tag_ranges');
    r.add('DELETE', '/api/x/v3/interfaces/{intf_id}', 'delete-intf');
    r.add('GET', '/api/x/v3/interfaces/{intf_id}', 'get-intf');
    r.add('GET', '/api/x/v3/switches', 'switches');
    r.add('POST', '/api/x/v3/switches/{dpid}/enable', 'enable');
    r.add('GET', '/ui/{user}/{napp}/{file:path}', 'ui');
    r.add('GET', '/api/x/late', 'late-static');
    return r;
  };

  it('should strip one trailing slash', () => {
    expect(normalisePath('/a/')).to.equal('/a');
    expect(normalisePath('/')).to.equal('/');
  });

  it('should let the first route added win when a static and a dynamic path both match', () => {
    const m = build().match('GET', '/api/x/v3/interfaces/tag_ranges');
    expect(m).to.include({ kind: 'found', value: 'tag_ranges' });
    const d = build().match('DELETE', '/api/x/v3/interfaces/tag_ranges');
    expect(d).to.include({ kind: 'found', value: 'delete-intf' });
  });

  it('should prefer an earlier dynamic route over a later static one', () => {
    const r = new Router<string>();
    r.add('GET', '/a/{id}', 'dynamic');
    r.add('GET', '/a/b', 'static');
    expect(r.match('GET', '/a/b')).to.include({ value: 'dynamic' });
  });

  it('should extract and decode parameters, with {name:path} taking the rest', () => {
    const m = build().match('POST', '/api/x/v3/switches/00%3A00%3A01/enable/');
    expect(m.kind).to.equal('found');
    expect((m as { params: object }).params).to.deep.equal({ dpid: '00:00:01' });
    const ui = build().match('GET', '/ui/kytos/topology/a/b/c.js');
    expect((ui as { params: object }).params).to.deep.equal({ user: 'kytos', napp: 'topology', file: 'a/b/c.js' });
  });

  it('should answer method_not_allowed with the allowed methods, and not_found otherwise', () => {
    const m = build().match('PUT', '/api/x/v3/interfaces/1');
    expect(m.kind).to.equal('method_not_allowed');
    expect((m as { allowed: string[] }).allowed.sort()).to.deep.equal(['DELETE', 'GET']);
    expect(build().match('GET', '/api/x/v3/nothing').kind).to.equal('not_found');
    expect(build().match('GET', '/api/x/v3/switches/1/enable/extra').kind).to.equal('not_found');
    expect(build().match('GET', '/api/x/v3/interfaces/').kind).to.equal('not_found');
  });

  it('should answer HEAD with GET routes', () => {
    expect(build().match('HEAD', '/api/x/late')).to.include({ kind: 'found', value: 'late-static' });
  });

  it('should remove routes by prefix', () => {
    const r = build();
    expect(r.removePrefix('/api/x/v3/')).to.equal(5);
    expect(r.match('GET', '/api/x/v3/switches').kind).to.equal('not_found');
    expect(r.match('GET', '/api/x/late').kind).to.equal('found');
  });

  it('should refuse a malformed pattern', () => {
    expect(() => new Router().add('GET', '/a/{b', 1)).to.throw(/bad route segment/);
    expect(() => new Router().add('GET', '/a/{b:path}/c', 1)).to.throw(/last segment/);
  });
});
