import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { METRICS } from '../../../src/metrics/index.js';

describe('config/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(new URL('../../../config/grafana-dashboard.json', import.meta.url), 'utf8')) as {
    panels: { id: number; title: string; targets: { expr: string }[] }[];
  };

  it('should query only declared metrics, and every declared metric in some panel', () => {
    const declared = new Map<string, string>(Object.values(METRICS).map((m) => [m.name, m.type]));
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const t of panel.targets) {
        for (const [name] of t.expr.matchAll(/lattice_[a-z0-9_]+/g)) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          expect(declared.has(name) || declared.get(base) === 'histogram', `${panel.title}: ${name}`).to.equal(true);
          used.add(declared.has(name) ? name : base);
        }
      }
    }
    expect([...declared.keys()].filter((n) => !used.has(n))).to.deep.equal([]);
  });

  it('should give every panel a unique id', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).to.equal(ids.length);
  });
});
