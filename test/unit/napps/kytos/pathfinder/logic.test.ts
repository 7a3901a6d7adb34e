import { expect } from 'chai';
import { BadRequestError } from '../../../../../src/sdk/index.js';
import { applyTopology, emptyGraph } from '../../../../../napps/kytos/pathfinder/graph.js';
import { combinations, findPathsIn } from '../../../../../napps/kytos/pathfinder/logic.js';
import { dpid, ring } from './topologies.js';

const s = (i: number) => dpid(i);
const p = (i: number, port: number) => `${dpid(i)}:${port}`;
const graphOf = (t: Parameters<typeof applyTopology>[1]) => applyTopology(emptyGraph(), t);

describe('kytos/pathfinder request rules', () => {
  it('should answer the one-hop path [source] at cost 0 when source is destination (as networkx)', () => {
    expect(findPathsIn(graphOf(ring(3)), { source: s(1), destination: s(1) })).to.deep.equal({ paths: [{ hops: [s(1)], cost: 0 }] });
  });

  it('should answer no paths for an unknown node or a DOWN interface', () => {
    const t = ring(3);
    (t.switches[s(2)]!.interfaces as any)[p(2, 1)].status = 'DOWN';
    const g = graphOf(t);
    expect(findPathsIn(g, { source: 'nope', destination: s(1) })).to.deep.equal({ paths: [] });
    expect(findPathsIn(g, { source: p(2, 1), destination: s(1) })).to.deep.equal({ paths: [] });
  });

  it('should ignore unknown undesired links and drop paths dearer than spf_max_path_cost', () => {
    const g = graphOf(ring(4));
    expect(findPathsIn(g, { source: s(1), destination: s(2), undesired_links: ['nope'] }).paths.map((x) => x.cost)).to.deep.equal([3, 9]);
    expect(findPathsIn(g, { source: s(1), destination: s(2), spf_max_path_cost: 8 }).paths.map((x) => x.cost)).to.deep.equal([3]);
  });

  it('should read ownership as a space-separated string, a list or an object, and not_ownership as a list or a comma-separated string', () => {
    const owners = ['green', 'red blue', ['red', 'blue'], { blue: 1, red: 2 }];
    const g = graphOf(ring(4, (i) => ({ ownership: owners[i - 1] })));
    const via = (r: object) => findPathsIn(g, { source: s(1), destination: s(2), spf_max_paths: 10, ...r }).paths.map((x) => x.cost);
    expect(via({ mandatory_metrics: { ownership: 'red' } })).to.deep.equal([9]);
    expect(via({ mandatory_metrics: { ownership: 'green' } })).to.deep.equal([3]);
    expect(via({ mandatory_metrics: { not_ownership: ['red'] } })).to.deep.equal([3]);
    expect(via({ mandatory_metrics: { not_ownership: 'green,yellow' } })).to.deep.equal([9]);
    expect(via({ mandatory_metrics: { ownership: 'yellow' } })).to.deep.equal([]);
  });

  it('should answer 400 for a numeric metric compared with text metadata', () => {
    const g = graphOf(ring(3, () => ({ bandwidth: 'fast' })));
    expect(() => findPathsIn(g, { source: s(1), destination: s(2), mandatory_metrics: { bandwidth: 10 } })).to.throw(BadRequestError, 'has invalid metadata "bandwidth"');
  });

  it('should fall back to fewer flexible metrics only down to minimum_flexible_hits', () => {
    const g = graphOf(ring(3, () => ({ delay: 10, bandwidth: 10 })));
    const r = (min: number) => findPathsIn(g, { source: s(1), destination: s(2), flexible_metrics: { delay: 5, bandwidth: 5 }, minimum_flexible_hits: min }).paths;
    expect(r(2)).to.deep.equal([]);
    expect(r(1).map((x) => x.metrics)).to.deep.equal([{ bandwidth: 5 }, { bandwidth: 5 }]);
  });

  it('should not combine flexible metrics no link can fail (40 unknown names answer at once)', () => {
    const g = graphOf(ring(3, () => ({ delay: 10 })));
    const flexible_metrics = { delay: 5, ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x${i}`, i])) };
    const [first] = findPathsIn(g, { source: s(1), destination: s(2), flexible_metrics, minimum_flexible_hits: 6 }).paths;
    expect(Object.keys(first!.metrics!)).to.have.length(40).and.not.include('delay');
  });

  it('should list combinations in itertools order', () => {
    expect(combinations(['a', 'b', 'c'], 2)).to.deep.equal([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(combinations(['a'], 0)).to.deep.equal([[]]);
  });
});
