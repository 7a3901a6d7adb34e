import { expect } from 'chai';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import pathfinder from '../../../napps/kytos/pathfinder/index.js';
import { dpid2, grid } from '../../unit/napps/kytos/pathfinder/topologies.js';

const URL = '/api/kytos/pathfinder/v3/';
const N = 36; // 1,296 switches, 6,480 interfaces: corner to corner is 71 switches away

/**
 * A search on a large graph must not hold the event loop: while a 10-path
 * search runs, other requests are answered. Responsiveness is counted (how
 * many status requests, sent one after another, were answered while the
 * search was in flight), never timed. With slicing off (one slice as long as
 * the search) the same count falls to what was already in flight, which shows
 * the test can fail.
 */
describe('kytos/pathfinder on a large graph (real controller)', function () {
  this.timeout(120_000);

  async function servedDuring(settings: Record<string, unknown>): Promise<{ served: number; paths: unknown[] }> {
    const t: TestController = await createTestController({ napps: [pathfinder], config: { napps: { settings: { 'kytos/pathfinder': settings } } } });
    try {
      t.bus.publish('kytos/topology.updated', { topology: grid(N) });
      for (let i = 0; ; i++) {
        const r = await t.http.post(URL, { source: dpid2(1), destination: dpid2(2) });
        if ((r.body.paths as unknown[]).length > 0) break;
        if (i > 200) throw new Error('the grid never reached pathfinder');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      let done = false;
      const big = t.http.post(URL, { source: dpid2(1), destination: dpid2(N * N), spf_attribute: 'delay', spf_max_paths: 10 }).finally(() => (done = true));
      let served = 0;
      for (let i = 0; i < 100_000 && !done; i++) {
        const r = await t.http.get('/api/kytos/core/status/');
        expect(r.status).to.equal(200);
        if (!done) served++;
      }
      const answer = await big;
      expect(answer.status, answer.text).to.equal(200);
      return { served, paths: answer.body.paths as unknown[] };
    } finally {
      await t.stop();
    }
  }

  it('should answer other requests while a 10-path search on 1,296 switches runs, and answer the search', async () => {
    const sliced = await servedDuring({ SEARCH_SLICE_MS: 5 });
    expect(sliced.paths).to.have.length(10);
    const whole = await servedDuring({ SEARCH_SLICE_MS: 600_000 });
    expect(whole.paths).to.deep.equal(sliced.paths);
    expect(whole.served, 'one slice holds the loop: only requests already in flight get through').to.be.at.most(3);
    expect(sliced.served, `sliced ${sliced.served} vs whole ${whole.served}`).to.be.at.least(10);
  });
});
