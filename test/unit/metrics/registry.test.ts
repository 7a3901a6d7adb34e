import { expect } from 'chai';
import { METRICS, MetricsRegistry, type MetricDeclaration } from '../../../src/metrics/index.js';

describe('metrics registry', () => {
  it('should declare every metric once, with a Prometheus name, help and labels', () => {
    const names = Object.values(METRICS).map((d: MetricDeclaration) => d.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const d of Object.values(METRICS) as MetricDeclaration[]) {
      expect(d.name, d.name).to.match(/^lattice_[a-z0-9_]+$/);
      expect(d.help.length, d.name).to.be.greaterThan(10);
      if (d.type === 'counter') expect(d.name, d.name).to.match(/_total$/);
      if (d.type === 'histogram') expect([...d.buckets!].sort((a, b) => a - b)).to.deep.equal([...d.buckets!]);
    }
    // A registry of the declarations builds (no duplicate, every name valid).
    expect(new MetricsRegistry().snapshot().map((m) => m.name)).to.deep.equal(names);
  });

  it('should count labelled series through cells kept by the caller', () => {
    const r = new MetricsRegistry();
    const requests = r.get('httpRequests');
    const ok = requests.cell('GET /a', '2xx');
    ok.value++;
    ok.value++;
    requests.inc(1, 'GET /a', '4xx');
    expect(requests.cell('GET /a', '2xx')).to.equal(ok);
    expect(r.toJSON().lattice_http_requests_total).to.deep.equal([
      { route: 'GET /a', status_class: '2xx', value: 2 },
      { route: 'GET /a', status_class: '4xx', value: 1 },
    ]);
    expect(() => requests.cell('GET /a')).to.throw(RangeError);
    expect(() => requests.inc(-1, 'GET /a', '2xx')).to.throw(RangeError);
  });

  it('should read collected values at snapshot time and show unlabelled metrics as numbers', () => {
    const r = new MetricsRegistry();
    let crashes = 0;
    r.get('actorCrashes').collectFrom(() => crashes);
    r.get('switchesConnected').set(3);
    crashes = 2;
    const json = r.toJSON();
    expect(json.lattice_actor_crashes_total).to.equal(2);
    expect(json.lattice_switches_connected).to.equal(3);
    expect(json.lattice_dead_letters).to.equal(0);
    expect(() => r.get('httpRequests').collectFrom(() => 1)).to.throw(TypeError);
  });

  it('should keep histograms as cumulative buckets with sum and count', () => {
    const r = new MetricsRegistry({
      latency: { type: 'histogram', name: 'lattice_test_seconds', help: 'a test histogram', labels: [], buckets: [0.1, 1] },
    });
    const h = r.get('latency');
    for (const v of [0.05, 0.5, 5]) h.observe(v);
    expect(r.snapshot()[0]!.samples).to.deep.equal([{ labels: {}, value: { buckets: { '0.1': 1, '1': 2, '+Inf': 3 }, sum: 5.55, count: 3 } }]);
  });

  it('should refuse a name declared twice', () => {
    const d = { type: 'counter', name: 'lattice_x_total', help: 'twice declared', labels: [] } as const;
    expect(() => new MetricsRegistry({ a: d, b: d })).to.throw(/declared twice/);
  });
});
