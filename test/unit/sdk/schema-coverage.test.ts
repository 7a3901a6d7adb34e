/**
 * Every collection Lattice opens carries a declared schema version: each
 * built-in NApp's in its `schema`, the controller's own (src/auth) in
 * CORE_SCHEMA. Found by reading the sources for `.collection<...>('name'`.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORE_SCHEMA } from '../../../src/platform/core-schema.js';
import type { NAppDefinition } from '../../../src/sdk/index.js';

const OPENED = /\.collection(?:<[^>(]*>)?\(\s*'([^']+)'/g;

function opened(dir: string): Set<string> {
  const out = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(OPENED)) out.add(m[1]!);
  }
  return out;
}

describe('schema versions cover every collection', () => {
  const root = join(import.meta.dirname, '../../../napps');
  for (const user of readdirSync(root)) {
    for (const name of readdirSync(join(root, user))) {
      const dir = join(root, user, name);
      it(`${user}/${name}: every collection it opens is in its schema`, async () => {
        const def = ((await import(pathToFileURL(join(dir, 'index.ts')).href)) as { default: NAppDefinition<any> }).default;
        const missing = [...opened(dir)].filter((c) => !(c in (def.schema ?? {})));
        expect(missing).to.deep.equal([]);
      });
    }
  }

  it('finds the collections it checks (not vacuous)', () => {
    const all = ['kytos/flow_manager', 'kytos/mef_eline', 'kytos/topology'].flatMap((n) => [...opened(join(root, n))]);
    expect(all).to.include.members(['flows', 'evcs', 'switches', 'tag_claims']);
  });

  it('the controller: every collection src/auth opens is in CORE_SCHEMA', () => {
    const names = opened(join(import.meta.dirname, '../../../src/auth'));
    expect(names.size).to.be.greaterThan(0);
    expect([...names].filter((c) => !(c in CORE_SCHEMA))).to.deep.equal([]);
  });
});
