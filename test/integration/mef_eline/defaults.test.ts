import { expect } from 'chai';
import { defaults } from '../../../src/config/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';
import { EVC } from './harness.js';

describe('kytos/mef_eline among the default NApps', function () {
  this.timeout(30_000);

  it('should start with every default NApp running, serving its routes with no EVC', async () => {
    const enabled = defaults().napps.enabled;
    expect(enabled).to.include.members(['kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/mef_eline']);
    const t = await createTestController({ config: { napps: { enabled } } });
    try {
      const status = (await t.http.get('/api/kytos/core/status/')).body;
      for (const n of enabled) expect(status.napps[n], n).to.equal('running');
      expect(status.napps_failed).to.deep.equal({});
      expect((await t.http.get(EVC)).body).to.deep.equal({});
      expect((await t.http.get(`${EVC}schedule`)).body).to.deep.equal({});
      const paths = Object.keys((await t.http.get('/api/lattice/v1/openapi.json')).body.paths as Record<string, unknown>);
      expect(paths.filter((p) => p.startsWith('/api/kytos/mef_eline/'))).to.include('/api/kytos/mef_eline/v2/evc/');
    } finally {
      await t.stop();
    }
  });
});
