import { expect } from 'chai';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import pathfinder from '../../../napps/kytos/pathfinder/index.js';
import { dpid, ring } from '../../unit/napps/kytos/pathfinder/topologies.js';

const URL = '/api/kytos/pathfinder/v3/';
const s = (i: number) => dpid(i);
const p = (i: number, port: number) => `${dpid(i)}:${port}`;

describe('kytos/pathfinder POST v3/ (real controller, no topology NApp)', function () {
  let t: TestController;
  const topo = ring(4, (i) => ({ delay: i * 10, bandwidth: 100, ownership: 'red' }));

  before(async () => {
    t = await createTestController({ napps: [pathfinder] });
  });
  after(async () => {
    await t?.stop();
  });

  /** Posts until the answer satisfies `ok` (bus events reach the NApp's mailbox asynchronously). */
  async function until(body: object, ok: (paths: any[]) => boolean): Promise<any[]> {
    for (let i = 0; i < 50; i++) {
      const res = await t.http.post(URL, body);
      expect(res.status).to.equal(200);
      if (ok(res.body.paths)) return res.body.paths;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the graph did not follow the events');
  }

  it('should answer {"paths": []} while it knows no topology, and start without kytos/topology', async () => {
    const res = await t.http.post(URL, { source: s(1), destination: s(2) });
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('{"paths":[]}');
    const status = await t.http.get('/api/kytos/core/status/');
    expect(status.body.napps['kytos/pathfinder']).to.equal('running');
    expect(status.body.napps_failed).to.deep.equal({});
  });

  it('should answer Kytos-ng shapes once topology.updated is published', async () => {
    t.bus.publish('kytos/topology.updated', { topology: topo });
    const paths = await until({ source: p(1, 1), destination: p(3, 1), spf_attribute: 'delay', spf_max_paths: 3 }, (x) => x.length > 0);
    expect(paths).to.deep.equal([
      { hops: [p(1, 1), s(1), p(1, 2), p(2, 3), s(2), p(2, 2), p(3, 3), s(3), p(3, 1)], cost: 36 },
      { hops: [p(1, 1), s(1), p(1, 3), p(4, 2), s(4), p(4, 3), p(3, 2), s(3), p(3, 1)], cost: 76 },
    ]);
  });

  it('should carry the metrics of a constrained request and leave out undesired links', async () => {
    const res = await t.http.post(URL, { source: s(1), destination: s(3), undesired_links: ['ring-1', 'unknown'], mandatory_metrics: { ownership: 'red' } });
    expect(res.status).to.equal(200);
    expect(res.text).to.equal(
      `{"paths":[{"hops":${JSON.stringify([s(1), p(1, 3), p(4, 2), s(4), p(4, 3), p(3, 2), s(3)])},"metrics":{"ownership":"red"},"cost":6}]}`,
    );
  });

  it('should follow link_down incrementally', async () => {
    t.bus.publish('kytos/topology.link_down', { link: { ...topo.links['ring-4'], status: 'DOWN' }, reason: 'link down' });
    const paths = await until({ source: s(1), destination: s(3), spf_max_paths: 5 }, (x) => x.length === 1);
    expect(paths[0].hops).to.include(p(2, 3));
    t.bus.publish('kytos/topology.link_up', { link: topo.links['ring-4'], reason: 'link up' });
    await until({ source: s(1), destination: s(3), spf_max_paths: 5 }, (x) => x.length === 2);
  });

  it('should answer 400 for a body the openapi.yml refuses, with Kytos-ng wording', async () => {
    for (const body of [{ source: s(1) }, { source: s(1), destination: s(2), spf_max_paths: 11 }, { source: s(1), destination: s(2), spf_attribute: 'cost' }]) {
      const res = await t.http.post(URL, body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.code).to.equal(400);
      expect(res.body.description).to.match(/^The request body contains invalid API data\./);
    }
  });

  it('should answer 400 when a link metadata cannot be summed', async () => {
    t.bus.publish('kytos/topology.links.metadata.added', { link: { ...topo.links['ring-2'], metadata: { delay: 'x' } }, metadata: { delay: 'x' } });
    let res;
    for (let i = 0; i < 50 && res?.status !== 400; i++) {
      res = await t.http.post(URL, { source: s(1), destination: s(3), spf_attribute: 'delay' });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(res!.status).to.equal(400);
    expect(res!.body).to.deep.equal({ description: `(${p(2, 2)}, ${p(3, 3)}) has invalid metadata "delay" with value "x"`, code: 400 });
  });
});
