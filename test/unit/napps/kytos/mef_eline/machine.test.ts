import { expect } from 'chai';
import { askInput, checkEvcFlows, deliver, getEvcs, stepNApp, topologyLinkDown } from '../../../../../src/sdk/index.js';
import mefEline from '../../../../../napps/kytos/mef_eline/index.js';

describe('kytos/mef_eline NApp machine (stepNApp)', () => {
  it('should answer the EVC asks and take link events without asking anything when there is no EVC', async () => {
    const link = { id: 'L1', endpoint_a: { id: 'a' }, endpoint_b: { id: 'b' } };
    const r = await stepNApp(mefEline, [askInput(getEvcs, {}), deliver(topologyLinkDown, { link, reason: 'test' } as never), askInput(checkEvcFlows, {})], {
      settings: { CONSISTENCY_INTERVAL: 0 },
    });
    expect(r.answers.map((a) => [a.type, a.value])).to.deep.equal([
      [getEvcs.type, {}],
      [checkEvcFlows.type, []],
    ]);
    expect(r.asks).to.deep.equal([]);
  });
});
