import { expect } from 'chai';
import { checkScenario, findScenario, loadScenarios, parseScenarios, resolvePlan, ScenarioError } from '../../../load-tests/lib/scenario.js';

describe('load scenarios', () => {
  describe('the shipped scenarios.json', () => {
    const scenarios = loadScenarios();

    it('should define the seed benchmarks and the trivial route at their rates', () => {
      const rates = Object.fromEntries(scenarios.map((s) => [s.name, [s.method, s.path, s.rate]]));
      expect(rates['topology-get']).to.deep.equal(['GET', '/api/kytos/topology/v3/', 500]);
      expect(rates['lldp-polling-post']).to.deep.equal(['POST', '/api/kytos/of_lldp/v1/polling_time', 200]);
      expect(rates['flow-post']).to.deep.equal(['POST', '/api/kytos/flow_manager/v2/flows/{dpid}', 200]);
      expect(rates['trivial-get']).to.deep.equal(['GET', '/api/kytos/core/ping/', 500]);
    });

    it('should give every scenario thresholds on failures and latency percentiles', () => {
      for (const s of scenarios) {
        expect(s.thresholds.maxFailureRatio, s.name).to.equal(0);
        expect(s.thresholds.p99Ms, s.name).to.be.a('number');
      }
    });

    it('should have no pending scenario: every route exists, flow-post on the switch it names', () => {
      for (const s of scenarios) expect(s.pending, s.name).to.equal(undefined);
      expect(findScenario(scenarios, 'flow-post').switches).to.deep.equal([1]);
    });
  });

  describe('checkScenario', () => {
    const good = {
      name: 'x',
      description: 'd',
      method: 'POST',
      path: '/api/a/{id}',
      params: { id: '1' },
      headers: {},
      expectedStatus: [200],
      rate: 10,
      duration: 1,
      thresholds: { maxFailureRatio: 0 },
    };

    it('should accept a complete scenario', () => {
      expect(checkScenario(good, 0).name).to.equal('x');
    });

    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['a method that is not HTTP', { method: 'FETCH' }, /method/],
      ['a path placeholder without a value', { params: {} }, /\{id\}/],
      ['a zero rate', { rate: 0 }, /rate/],
      ['no expected status', { expectedStatus: [] }, /expectedStatus/],
      ['a failure ratio above 1', { thresholds: { maxFailureRatio: 2 } }, /maxFailureRatio/],
      ['a negative p99', { thresholds: { maxFailureRatio: 0, p99Ms: -1 } }, /p99Ms/],
      ['an empty pending reason', { pending: '' }, /pending/],
      ['switches that are not datapath ids', { switches: [0] }, /switches/],
      ['an empty list of switches', { switches: [] }, /switches/],
    ];
    for (const [what, change, message] of bad) {
      it(`should refuse ${what}`, () => {
        expect(() => checkScenario({ ...good, ...change }, 0)).to.throw(ScenarioError, message);
      });
    }

    it('should refuse duplicate names', () => {
      expect(() => parseScenarios(JSON.stringify({ scenarios: [good, good] }))).to.throw(/duplicate name x/);
    });
  });

  describe('resolvePlan', () => {
    const scenarios = loadScenarios();

    it('should request the stand-in path while the target route does not exist, and say so', () => {
      const withStandIn = checkScenario(
        {
          name: 'stand-in',
          description: 'd',
          method: 'GET',
          path: '/api/kytos/topology/v3/',
          standIn: { path: '/api/kytos/core/ping/', reason: 'topology is not written yet' },
          headers: {},
          expectedStatus: [200],
          rate: 10,
          duration: 1,
          thresholds: { maxFailureRatio: 0 },
        },
        0,
      );
      const plan = resolvePlan(withStandIn, { target: 'http://127.0.0.1:8181' });
      expect(plan.url).to.equal('http://127.0.0.1:8181/api/kytos/core/ping/');
      expect(plan.targetPath).to.equal('/api/kytos/topology/v3/');
      expect(plan.standInReason).to.match(/not written yet/);
    });

    it('should fill path parameters (dpids keep their colons) and serialize the body once', () => {
      const plan = resolvePlan(findScenario(scenarios, 'flow-post'), { target: 'http://localhost:9000/' });
      expect(plan.url).to.equal('http://localhost:9000/api/kytos/flow_manager/v2/flows/00:00:00:00:00:00:00:01');
      expect(JSON.parse(plan.body!)).to.have.property('force', true);
      expect(plan.headers['Content-Type']).to.equal('application/json');
    });

    it('should apply rate, duration and mode overrides', () => {
      const plan = resolvePlan(findScenario(scenarios, 'trivial-get'), { target: 'http://127.0.0.1:1', rate: 20, duration: 2, mode: 'max' });
      expect([plan.rate, plan.duration, plan.mode]).to.deep.equal([20, 2, 'max']);
    });

    it('should refuse a target that is not on loopback', () => {
      const s = findScenario(scenarios, 'trivial-get');
      expect(() => resolvePlan(s, { target: 'http://10.0.0.1:8181' })).to.throw(ScenarioError, /loopback/);
      expect(() => resolvePlan(s, { target: 'http://example.com' })).to.throw(ScenarioError, /loopback/);
      expect(() => resolvePlan(s, { target: 'https://127.0.0.1' })).to.throw(ScenarioError, /http:\/\//);
      expect(resolvePlan(s, { target: 'http://[::1]:8181' }).url).to.equal('http://[::1]:8181/api/kytos/core/ping/');
    });
  });
});
