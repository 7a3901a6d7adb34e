import { expect } from 'chai';
import { BadRequestError } from '../../../../../src/sdk/index.js';
import { applyTopology, emptyGraph } from '../../../../../napps/kytos/pathfinder/graph.js';
import { findPathsIn, findPathsSteps } from '../../../../../napps/kytos/pathfinder/logic.js';
import { runSliced } from '../../../../../napps/kytos/pathfinder/search.js';
import { dpid2, grid } from './topologies.js';

describe('kytos/pathfinder searches in slices', () => {
  const g = applyTopology(emptyGraph(), grid(8));
  const request = { source: dpid2(1), destination: dpid2(64), spf_attribute: 'delay' as const, spf_max_paths: 5 };

  it('should yield between spur searches and end with the same answer as the whole search', () => {
    const steps = findPathsSteps(g, request);
    let yields = 0;
    let r = steps.next();
    while (!r.done) {
      yields++;
      r = steps.next();
    }
    expect(yields).to.be.greaterThan(50);
    expect(r.value).to.deep.equal(findPathsIn(g, request));
    expect(r.value.paths).to.have.length(5);
  });

  it('should run a slice until its time is spent, go on in a later turn and answer once', () => {
    let now = 0;
    const later: (() => void)[] = [];
    const results: unknown[] = [];
    // Every clock read is a millisecond later: a slice of 5 ms is a handful of steps.
    runSliced(findPathsSteps(g, request), { monotonic: () => now++, later: (fn) => later.push(fn), sliceMs: 5, maxSteps: 1_000_000 }, (r) => results.push(r));
    expect(results, 'not answered within the first slice').to.deep.equal([]);
    let slices = 1;
    while (later.length > 0) {
      later.shift()!();
      slices++;
    }
    expect(slices).to.be.greaterThan(10);
    expect(results).to.deep.equal([{ value: findPathsIn(g, request) }]);
  });

  it('should refuse with a 400 a search that needs more steps than MAX_SEARCH_STEPS', () => {
    const results: { error?: unknown }[] = [];
    runSliced(findPathsSteps(g, request), { monotonic: () => 0, later: () => expect.fail('no slice should be needed'), sliceMs: 5, maxSteps: 20 }, (r) => results.push(r as { error?: unknown }));
    expect(results).to.have.length(1);
    expect(results[0]!.error).to.be.instanceOf(BadRequestError);
    expect(String((results[0]!.error as Error).message)).to.match(/needs more than 20 steps \(setting MAX_SEARCH_STEPS\)/);
  });

  it('should pass on a search error (unusable metadata) as the answer', () => {
    const bad = applyTopology(emptyGraph(), { ...grid(2), links: { x: { id: 'x', endpoint_a: { id: `${dpid2(1)}:2` }, endpoint_b: { id: `${dpid2(2)}:4` }, metadata: { delay: 'slow' }, status: 'UP' } } });
    const results: { error?: unknown }[] = [];
    runSliced(findPathsSteps(bad, { source: dpid2(1), destination: dpid2(2), spf_attribute: 'delay' }), { monotonic: () => 0, later: () => undefined, sliceMs: 5, maxSteps: 100 }, (r) => results.push(r as { error?: unknown }));
    expect(results[0]!.error).to.be.instanceOf(BadRequestError);
  });
});
